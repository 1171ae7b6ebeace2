"""Side-by-side comparison of a submitted entry with what is already known (the catalog's entry for
the organisation, an earlier version or the published version), field by field, as plain text.

``catalog_entry`` reads an organisation back from the catalog in the same shape as a submitted
entry (govmap/review/submission_form.py), so both sides of the diff list the same fields.
"""

from __future__ import annotations

import math

import pandas as pd

from govmap import i18n
from govmap.review import submission_form as sf

ORG_FIELDS = ("name_ja", "name_en", "name_kana", "corporate_number", "org_type", "founded_year", "website", "sources",
              "postal_code", "pref_name", "municipality_name", "address", "description")
SERVICE_FIELDS = ("name_ja", "name_en", "categories", "offerings_ja", "offerings_en", "description",
                  *sf.PROFILE_TEXT, *sf.PROFILE_URL, "developer_role", *sf.PROFILE_BOOL)
ADOPTION_FIELDS = ("adopter_name", "pref_name", "service_name", "category", "year", "url")
_LABEL_KEYS = {"org.pref_name": "sub.org.pref", "org.municipality_name": "sub.org.municipality",
               "ado.adopter_name": "sub.ado.municipality", "ado.pref_name": "sub.ado.pref",
               "ado.service_name": "sub.ado.service"}


def _text(value, lang: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return i18n.t("sub.tri.yes" if value else "sub.tri.no", lang)
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, str)):
        return "; ".join(str(v) for v in list(value))
    return str(value)


def flatten(entry: dict | None, lang: str = "ja") -> dict[str, str]:
    """``{field: text}`` in display order: organisation, then each service, then each adoption."""
    if not entry:
        return {}
    org = entry.get("org", {})
    out = {f"org.{k}": _text(org.get(k), lang) for k in ORG_FIELDS}
    for i, svc in enumerate(entry.get("services", [])):
        out.update({f"svc.{i}.{k}": _text(svc.get(k), lang) for k in SERVICE_FIELDS})
    for i, ado in enumerate(entry.get("adoptions", [])):
        out.update({f"ado.{i}.{k}": _text(ado.get(k), lang) for k in ADOPTION_FIELDS})
    return out


def label(field: str, lang: str = "ja") -> str:
    part, *rest = field.split(".")
    if part == "org":
        return i18n.t(_LABEL_KEYS.get(field, f"sub.org.{rest[0]}"), lang)
    index, name = int(rest[0]), rest[1]
    if part == "svc":
        key = f"sub.profile.{name}" if name in (*sf.PROFILE_TEXT, *sf.PROFILE_URL, *sf.PROFILE_BOOL,
                                                 "developer_role") else f"sub.svc.{name}"
        text = i18n.t(key, lang, n=i18n.t("sub.any", lang)) if name == "categories" else i18n.t(key, lang)
        return f"{i18n.t('sub.svc.title', lang, n=index + 1)} / {text}"
    key = _LABEL_KEYS.get(f"ado.{name}", f"sub.ado.{name}")
    return f"{i18n.t('sub.ado.title', lang, n=index + 1)} / {i18n.t(key, lang)}"


def rows(current: dict | None, proposed: dict, lang: str = "ja", changed_only: bool = False) -> list[dict]:
    """One row per field of either side: field, label, current, proposed, changed."""
    left, right = flatten(current, lang), flatten(proposed, lang)
    out = []
    for field in dict.fromkeys([*right, *left]):
        a, b = left.get(field, ""), right.get(field, "")
        if changed_only and a == b:
            continue
        out.append({"field": field, "label": label(field, lang), "current": a, "proposed": b, "changed": a != b})
    return out


def catalog_entry(catalog, org_id: str) -> dict | None:
    """An organisation from the catalog, shaped like a submitted entry (None when not found)."""
    orgs = catalog.frame("SELECT * FROM v_organisations WHERE org_id = ?", [org_id]).to_dict("records")
    if not orgs:
        return None
    o = orgs[0]
    place = (o.get("hq_pref_name") or "") + (o.get("hq_municipality_name") or "")
    address = o.get("hq_address") or ""
    org = {"name_ja": o["name_ja"], "name_en": o.get("name_en"), "name_kana": o.get("name_kana"),
           "corporate_number": o.get("corporate_number"), "org_type": o.get("org_type"),
           "founded_year": "" if o.get("founded_year") is None or _nan(o["founded_year"]) else str(int(o["founded_year"])),
           "website": o.get("website"), "sources": list(o.get("source_urls") if o.get("source_urls") is not None else []),
           "postal_code": o.get("hq_postal_code"), "pref_name": o.get("hq_pref_name"),
           "municipality_name": o.get("hq_municipality_name"),
           "address": address[len(place):] if place and address.startswith(place) else "",
           "description": o.get("description")}
    services = catalog.frame("SELECT * FROM v_services WHERE org_id = ? ORDER BY service_id", [org_id]).to_dict("records")
    adoptions = catalog.frame("SELECT * FROM v_adoptions WHERE org_id = ? ORDER BY adoption_id", [org_id]).to_dict("records")
    return {"org": {k: (None if _nan(v) else v) for k, v in org.items()},
            "services": [{k: (None if _nan(v) else v) for k, v in s.items()} for s in services],
            "adoptions": [{"adopter_name": a["adopter_name"], "pref_name": a.get("adopter_pref_name"),
                           "service_name": a.get("service_name"), "category": a["category"],
                           "year": "" if _nan(a.get("year")) or a.get("year") is None else str(int(a["year"])),
                           "url": a["source_url"]} for a in adoptions]}


def _nan(value) -> bool:
    if value is pd.NA or value is pd.NaT:
        return True
    try:
        return value is not None and not isinstance(value, (str, list)) and bool(value != value)
    except (TypeError, ValueError):
        return False
