"""Facts with sources: every buyer fact about an organisation or a service, one row each.

A fact is (entity, field, value) with its own source URL, as-of date and source quality.  They
come from the seed rows (head office, 法人番号, website: the row's first source), the conformance
list (standard-compliant packages, 法人番号), researched slices (data/research) and approved
submissions (the vendor's own statement).  Where several facts give the same field, the one
``in_use`` is chosen by origin (submission, then research and the list, then seed), then source
quality, then the latest as-of date; the others stay in ``facts`` for review.  ``apply`` writes the
facts in use into the organisations, services and certifications tables.  A flag nobody sourced
stays NULL (unknown); it never becomes false.
"""

from __future__ import annotations

import pandas as pd

from govmap.finder import source_quality
from govmap.normalize import has_kanji, legal_form, name_key, romaji_key, strip_legal_form
from govmap.finder.fact_fields import FLAG_FIELDS, MAIN_FLAGS, SERVICE_TEXT_FIELDS  # noqa: F401 (MAIN_FLAGS: report, audit)
from govmap.geocode import Gazetteer
from etl.validate import split_list

CERTIFICATIONS = {"isms": "isms", "privacy_mark": "privacy_mark", "ismap": "ismap", "ismap_liu": "ismap_liu",
                  "lgwan_asp": "lgwan_asp", "dmp_listed": "dmp"}
# An organisation's statement applies to its services: the Privacy Mark always (it is the provider's);
# the others only when it has exactly one service (otherwise we cannot know which one).
PROVIDER_FLAGS = ("privacy_mark",)
SINGLE_SERVICE_FLAGS = ("isms", "ismap", "ismap_liu", "lgwan_asp", "dmp_listed")
ORIGIN_RANK = {"submission": 0, "research": 1, "reference": 1, "seed": 2}
COLUMNS = ("entity_kind", "entity_id", "field", "value", "source_url", "as_of", "source_quality", "origin",
           "derived_from")


def _fact(kind, entity, field, value, url, as_of, quality, origin, derived_from=None) -> dict:
    return dict(zip(COLUMNS, (kind, entity, field, str(value), url, str(as_of), quality, origin, derived_from)))


def seed_facts(vendors: pd.DataFrame, default_as_of: str) -> list[dict]:
    """Head office, postal code, 法人番号 and website of the seed, research and submitted organisation
    rows, each citing the row's first source."""
    out = []
    for v in vendors.to_dict("records"):
        urls = split_list(v.get("sources", ""))
        if not urls:
            continue
        origin = v.get("origin") or "seed"
        as_of = v.get("last_verified") or default_as_of
        quality = "vendor" if origin == "submission" else source_quality.classify(urls[0], v.get("website"))
        values = {"hq_address": (v.get("hq_prefecture", "") + v.get("hq_municipality", "")) if v.get("hq_prefecture") else "",
                  "hq_postal_code": v.get("hq_postal_code", ""), "corporate_number": v.get("corporate_number", ""),
                  "website": v.get("website", "")}
        for field, value in values.items():
            if value:
                out.append(_fact("organisation", v["vendor_key"], field, value, urls[0], as_of, quality, origin))
    return out


def service_name_facts(services: pd.DataFrame) -> list[dict]:
    """A researched service's name, cited by the page that names it."""
    return [_fact("service", s["service_id"], "product_name", s["name_ja"] or s["name_en"], s["source_url"], s["as_of"],
                  source_quality.classify(s["source_url"]), "research")
            for s in services.to_dict("records")]


def submitted_facts(services: pd.DataFrame | None, vendors: pd.DataFrame) -> list[dict]:
    """Profile flags and texts of approved submitted services: the vendor's own statement, cited by
    the first source of its submission."""
    if services is None or services.empty:
        return []
    first = {v["vendor_key"]: split_list(v.get("sources", ""))[:1] for v in vendors.to_dict("records")}
    out = []
    for s in services.to_dict("records"):
        urls = first.get(s["org_id"]) or []
        if not urls:
            continue
        for field in (*FLAG_FIELDS, *SERVICE_TEXT_FIELDS, "product_name"):
            column = "name_ja" if field == "product_name" else field
            value = s.get(column)
            if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            out.append(_fact("service", s["service_id"], field, value, urls[0], s.get("last_verified") or "",
                             "vendor", "submission"))
    return out


def reference_facts(std_services: pd.DataFrame, std_vendors: pd.DataFrame, source: dict) -> list[dict]:
    """The conformance list: each listed package is a standard-compliant service of its vendor, and
    each vendor's 法人番号 is the one embedded in its conformance numbers.  The list is the
    government's, but we cite a compiled copy of it, and its quality says so."""
    url, as_of = source["source_url"], source["as_of"]
    quality = source_quality.classify(url)
    out = [_fact("service", s["service_id"], field, value, url, as_of, quality, "reference")
           for s in std_services.to_dict("records")
           for field, value in (("product_name", s["name_ja"]), ("standard_compliant", "true"))]
    out += [_fact("organisation", v["org_id"], "corporate_number", v["corporate_number"], url, as_of,
                  quality, "reference") for v in std_vendors.to_dict("records")]
    return out


def research_facts(facts: pd.DataFrame) -> list[dict]:
    return [_fact(f["entity_kind"], f["entity_key"], f["field"], f["value"], f["source_url"], f["as_of"],
                  source_quality.reconcile(f["source_quality"], f["source_url"]), "research") for f in facts.to_dict("records")]


def choose(rows: list[dict]) -> pd.DataFrame:
    """All facts with ``in_use`` marking the one that counts for each entity and field.  ISMAP and
    ISMAP-LIU are separate fields; true and false for one field are resolved like any other values."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame.assign(in_use=pd.Series(dtype=bool))
    frame = frame.drop_duplicates(subset=["entity_kind", "entity_id", "field", "value", "source_url"]).reset_index(drop=True)
    frame["_o"] = frame["origin"].map(ORIGIN_RANK).fillna(3)
    frame["_q"] = frame["source_quality"].map(source_quality.RANK).fillna(len(source_quality.RANK))
    order = frame.sort_values(["entity_kind", "entity_id", "field", "_o", "_q", "as_of"],
                              ascending=[True, True, True, True, True, False], kind="stable")
    frame["in_use"] = False
    frame.loc[order.drop_duplicates(["entity_kind", "entity_id", "field"]).index, "in_use"] = True
    return frame.drop(columns=["_o", "_q"])


def inherit(facts: pd.DataFrame, services: pd.DataFrame) -> pd.DataFrame:
    """Add, for each organisation flag that applies to its services (PROVIDER_FLAGS, and
    SINGLE_SERVICE_FLAGS for an organisation with one service), a service fact with the same source
    and ``derived_from = 'organisation'``, unless the service has its own fact for that field."""
    per_org = services.groupby("org_id")["service_id"].apply(list).to_dict()
    own = set(zip(facts.loc[facts["entity_kind"].eq("service"), "entity_id"], facts.loc[facts["entity_kind"].eq("service"), "field"]))
    used = facts[facts["in_use"] & facts["entity_kind"].eq("organisation")]
    rows = []
    for f in used[used["field"].isin(PROVIDER_FLAGS + SINGLE_SERVICE_FLAGS)].to_dict("records"):
        targets = per_org.get(f["entity_id"], [])
        if f["field"] in SINGLE_SERVICE_FLAGS and len(targets) != 1:
            continue
        for service_id in targets:
            if (service_id, f["field"]) not in own:
                rows.append({**f, "entity_kind": "service", "entity_id": service_id, "derived_from": "organisation", "in_use": True})
    return pd.concat([facts, pd.DataFrame(rows, columns=facts.columns)], ignore_index=True) if rows else facts


def apply(tables: dict[str, pd.DataFrame], facts: pd.DataFrame, gaz: Gazetteer, source_ids) -> None:
    """Write the facts in use into organisations, services and certifications (in place)."""
    used = facts[facts["in_use"]]
    orgs = tables["organisations"].set_index("org_id", drop=False)
    for col in ("legal_name", "contact_url"):
        if col not in orgs:
            orgs[col] = None
    orgs["other_names"] = [[] for _ in range(len(orgs))]
    org_facts = used[used["entity_kind"].eq("organisation") & used["entity_id"].isin(orgs.index)]
    by_org = {k: dict(zip(g["field"], g["value"])) for k, g in org_facts.groupby("entity_id")}
    research_hq = set(org_facts.loc[org_facts["field"].eq("hq_address") & ~org_facts["origin"].eq("seed"), "entity_id"])
    for org_id, values in by_org.items():
        if org_id in research_hq:
            loc = gaz.locate_address(values["hq_address"], values.get("hq_postal_code"))
            orgs.loc[org_id, ["hq_address", "hq_postal_code", "hq_pref_code", "lat", "lon", "geo_precision"]] = [
                values["hq_address"], values.get("hq_postal_code"), loc.pref_code, loc.lat, loc.lon, loc.precision]
            orgs.loc[org_id, "hq_municipality_code"] = loc.code if loc.precision in ("postal_code", "municipality") else None
        for field in ("corporate_number", "website", "contact_url"):
            if values.get(field):
                orgs.loc[org_id, field] = values[field]
        _rename(orgs, org_id, values)
    tables["organisations"] = orgs.reset_index(drop=True)

    services = tables["services"].set_index("service_id", drop=False)
    for col in ("is_oss", "price_url", "price_band", "contact_url"):
        if col not in services:
            services[col] = None
    svc_facts = used[used["entity_kind"].eq("service") & used["entity_id"].isin(services.index)]
    for f in svc_facts.to_dict("records"):
        field, value = f["field"], f["value"]
        if field == "product_name":
            if pd.isna(services.loc[f["entity_id"], "name_ja"]) or not services.loc[f["entity_id"], "name_ja"]:
                services.loc[f["entity_id"], "name_ja"] = value
        elif field in FLAG_FIELDS:
            services.loc[f["entity_id"], field] = value == "true"
        elif field in SERVICE_TEXT_FIELDS:
            services.loc[f["entity_id"], field] = value
    for col in FLAG_FIELDS:
        services[col] = services[col].astype("boolean")
    tables["services"] = services.reset_index(drop=True)

    certs = used[used["entity_kind"].eq("organisation") & used["field"].isin(CERTIFICATIONS) & used["value"].eq("true")]
    tables["certifications"] = pd.DataFrame({
        "org_id": certs["entity_id"], "certification": certs["field"].map(CERTIFICATIONS), "scope": None,
        "source_id": [source_ids(u) for u in certs["source_url"]], "last_verified": certs["as_of"]})


def _rename(orgs: pd.DataFrame, org_id: str, values: dict) -> None:
    """A sourced legal name becomes the name shown (contracts name the legal entity); the name used
    before, a former name ('TOPPANエッジ株式会社(旧トッパン・フォームズ株式会社)') and a trade name are kept
    in ``other_names`` so that search still finds them."""
    current = orgs.loc[org_id, "name_ja"]
    names = [current]
    legal, _, former = (values.get("legal_name") or "").partition("(旧")
    if former:
        names.append(former.rstrip(")").strip())
    if values.get("trade_name"):
        names.append(values["trade_name"])
    legal = legal.strip()
    if legal:
        orgs.loc[org_id, ["name_ja", "legal_name", "legal_form", "name_key"]] = [legal, legal, legal_form(legal), name_key(legal)]
        if not has_kanji(strip_legal_form(legal)):
            orgs.loc[org_id, "romaji_key"] = romaji_key(legal) or None
    shown = orgs.loc[org_id, "name_ja"]
    parts = [p for n in names for p in (n, *_name_parts(n))]
    orgs.at[org_id, "other_names"] = [n for n in dict.fromkeys(parts) if n and n != shown]


def _name_parts(name: str) -> list[str]:
    """'LINEヤフー株式会社(旧LINE株式会社・旧ヤフー株式会社)' → the name and each former (旧) name in brackets."""
    main, _, inner = name.partition("(")
    return [main.strip(), *(p.strip()[1:].strip() for p in inner.rstrip(")").split("・") if p.strip().startswith("旧"))]


def table(facts: pd.DataFrame, source_ids) -> pd.DataFrame:
    out = facts.copy()
    out.insert(0, "fact_id", range(1, len(out) + 1))
    out["source_id"] = [source_ids(u) for u in out["source_url"]]
    return out.drop(columns=["source_url"])
