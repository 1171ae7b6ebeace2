"""Normalise: turn validated input rows into the catalog's tables (pandas DataFrames).

Pure functions of their inputs: the same inputs always give the same tables, so a build is
safe to re-run.
"""

from __future__ import annotations

import pandas as pd

from govmap import validators
from govmap.finder import adoption_kinds, source_quality
from govmap.geocode import Gazetteer
from govmap.normalize import legal_form, name_key, place_key, romaji_key
from etl.validate import split_list

SEED_VERIFIED = "2026-11"  # data/seed/README.md: "Researched ... (November 2026)".
PROFILE_COLUMNS = ("export_formats", "open_export", "exit_extraction", "exit_cost", "has_api",
                   "api_docs_url", "open_standards", "oss_license", "oss_repo_url", "developer_role",
                   "standard_compliant", "lgwan_asp", "ismap", "ismap_liu", "isms", "privacy_mark",
                   "dmp_listed", "data_in_japan")


class SourceIds:
    """Assigns stable ids to source URLs in order of first appearance."""

    def __init__(self):
        self.ids: dict[str, int] = {}

    def __call__(self, url: str) -> int:
        return self.ids.setdefault(url, len(self.ids) + 1)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"source_id": list(self.ids.values()), "url": list(self.ids)})


def _or_none(text: str):
    return text if text != "" else None


def organisations(vendors: pd.DataFrame, gaz: Gazetteer, origin: str = "seed") -> pd.DataFrame:
    rows = []
    for v in vendors.to_dict("records"):
        postal = _or_none(v["hq_postal_code"]) and validators.postal_code(v["hq_postal_code"])
        loc = gaz.locate_org(v["hq_prefecture"], v["hq_municipality"], postal)
        rows.append({
            "org_id": v["vendor_key"], "name_ja": v["name_ja"], "name_en": _or_none(v["name_en"]),
            "name_kana": _or_none(v.get("name_kana", "")), "legal_form": legal_form(v["name_ja"]) or legal_form(v["name_en"]),
            "corporate_number": _or_none(v["corporate_number"]), "org_type": _or_none(v["org_type"]),
            "hq_pref_code": loc.pref_code, "hq_municipality_code": loc.code if loc.precision in ("postal_code", "municipality") else None,
            "hq_address": _or_none(v["hq_prefecture"] + v["hq_municipality"]), "hq_postal_code": postal or None,
            "lat": loc.lat, "lon": loc.lon, "geo_precision": loc.precision,
            "website": _or_none(v["website"]),
            "founded_year": int(v["founded_year"]) if v["founded_year"] else None,
            "description": _or_none(v["notes"]), "last_verified": v.get("last_verified") or SEED_VERIFIED,
            "origin": v.get("origin") or origin, "name_key": name_key(v["name_ja"]), "name_en_key": name_key(v["name_en"]) or None,
            "romaji_key": romaji_key(v.get("name_kana") or v["name_ja"]) or None,
        })
    return pd.DataFrame(rows)


def services(vendors: pd.DataFrame, given: pd.DataFrame | None = None,
             named: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Services per organisation.  ``given`` (approved submissions) lists services with their
    profile and a ``categories`` list; every organisation that is not itself a submission also
    gets one service ``<org_id>:1`` from its offerings (the seed lists offerings, not separate
    products, and no exit / lock-in profile, so every profile column stays NULL = unknown); a seed
    organisation updated by a submission keeps it (etl/submissions.py)."""
    rows, cats = [], []
    has_given = set() if given is None or given.empty else set(given["org_id"])
    if has_given:
        for s in given.to_dict("records"):
            rows.append({k: v for k, v in s.items() if k != "categories"})
            cats.extend({"service_id": s["service_id"], "category": c} for c in dict.fromkeys(s["categories"]))
    for v in vendors.to_dict("records"):
        if v["vendor_key"] in has_given and v.get("origin") == "submission":
            continue
        service_id = f"{v['vendor_key']}:1"
        row = {"service_id": service_id, "org_id": v["vendor_key"], "name_ja": None, "name_en": None,
               "offerings_ja": split_list(v["offerings_ja"]), "offerings_en": split_list(v["offerings_en"]),
               "description": None, "last_verified": None}
        row.update({c: None for c in PROFILE_COLUMNS})
        rows.append(row)
        cats.extend({"service_id": service_id, "category": c} for c in dict.fromkeys(split_list(v["categories"])))
    if named is not None and len(named):  # researched products (data/research/*/services.csv)
        for s in named.to_dict("records"):
            row = {k: s[k] for k in ("service_id", "org_id", "name_ja", "name_en", "offerings_ja", "offerings_en",
                                     "description", "last_verified")}
            row.update({c: None for c in PROFILE_COLUMNS})
            rows.append(row)
            cats.extend({"service_id": s["service_id"], "category": c} for c in dict.fromkeys(s["categories"]))
    return pd.DataFrame(rows), pd.DataFrame(cats, columns=["service_id", "category"])


def prune_unnamed(services: pd.DataFrame, categories: pd.DataFrame, with_facts: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An organisation's unnamed service ``<org_id>:1`` (its offerings, from the seed row) gives way to
    its named products: it keeps only the categories no named service covers, and goes when none is
    left, unless a sourced fact is about it (a product name, a flag)."""
    named = services[services["name_ja"].notna() | services["name_en"].notna()]
    covered = categories[categories["service_id"].isin(set(named["service_id"]))]
    covered = {(sid.partition(":")[0], cat) for sid, cat in zip(covered["service_id"], covered["category"])}
    unnamed = services["service_id"].str.endswith(":1") & services["name_ja"].isna() & services["name_en"].isna()
    candidates = set(services.loc[unnamed, "service_id"]) - with_facts
    orgs_named = set(named["org_id"])
    drop_cats = categories["service_id"].isin(candidates) & pd.Series([
        (sid.partition(":")[0] in orgs_named and (sid.partition(":")[0], cat) in covered)
        for sid, cat in zip(categories["service_id"], categories["category"])], index=categories.index, dtype=bool)
    categories = categories[~drop_cats]
    left = set(categories["service_id"])
    gone = {sid for sid in candidates if sid not in left and sid.partition(":")[0] in orgs_named}
    return (services[~services["service_id"].isin(gone)].reset_index(drop=True),
            categories.reset_index(drop=True))


def organisation_sources(vendors: pd.DataFrame, source_ids: SourceIds) -> pd.DataFrame:
    pairs = {(v["vendor_key"], source_ids(url)) for v in vendors.to_dict("records") for url in split_list(v["sources"])}
    return pd.DataFrame(sorted(pairs), columns=["org_id", "source_id"])


PREFECTURE_OFFSET = {"prefecture": (0.03, 0.03), "group": (-0.03, -0.03)}  # degrees off the office city


def adoptions(rows: pd.DataFrame, gaz: Gazetteer, source_ids: SourceIds, origin: str = "seed",
              websites: dict | None = None, placements: dict | None = None) -> pd.DataFrame:
    """Adoption rows with their point, kind (stated, or from the service name's words), source quality
    (stated, or from the source's domain) and date.  A prefecture or a group placed at its prefecture
    is drawn a little off the office city (PREFECTURE_OFFSET) so that neither hides the other."""
    out = []
    websites, placements = websites or {}, placements or {}
    for i, a in enumerate(rows.to_dict("records"), start=1):
        loc = placements.get(place_key(a["adopter_name_ja"])) or gaz.locate_adopter(a["adopter_name_ja"], a["adopter_prefecture"])
        url = split_list(a["source_url"])[0]
        d_lat, d_lon = PREFECTURE_OFFSET.get(loc.kind, (0.0, 0.0)) if loc.lat is not None else (0.0, 0.0)
        out.append({
            "adoption_id": i, "org_id": a["vendor_key"], "adopter_name": a["adopter_name_ja"],
            "adopter_kind": loc.kind, "adopter_code": loc.code,
            "adopter_pref_code": loc.pref_code if loc.kind != "national" else None,
            "category": a["category"], "service_name": _or_none(a["service_name"]),
            "year": int(a["year"]) if a["year"] else None,
            "lat": loc.lat + d_lat if loc.lat is not None else None, "lon": loc.lon + d_lon if loc.lon is not None else None,
            "geo_precision": loc.precision, "source_id": source_ids(url),
            "origin": a.get("origin") or origin,
            "adoption_kind": a.get("adoption_kind") or adoption_kinds.classify(a["service_name"]),
            "source_quality": source_quality.reconcile(a.get("source_quality"), url, websites.get(a["vendor_key"])),
            "as_of": a.get("as_of") or None, "service_id": a.get("service_id") or None,
        })
    return pd.DataFrame(out)


def categories(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[["code", "label_ja", "label_en", "sort_order"]].copy()
    out["sort_order"] = out["sort_order"].astype(int)
    return out
