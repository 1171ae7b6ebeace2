"""Approved vendor submissions as ETL input rows (the store is govmap/review/submissions.py).

``approved_rows`` reads one consistent snapshot of the store and returns frames shaped like the
seed (etl/extract.py VENDOR_COLUMNS / ADOPTION_COLUMNS plus ``_file``, ``_row``) and a services
frame with the exit / lock-in profile (etl/transform.py PROFILE_COLUMNS, categories as a list).
``merge_approved`` folds them into the seed frames:

* a submission without a target becomes a new organisation ``sub_<receipt>`` (origin submission);
* a submission approved as an update of, or merged into, an existing organisation updates that
  organisation: a field the vendor filled in replaces the old value, an empty field keeps it (no
  fact is invented or dropped), sources are the union (old ones first), the seed's own service and
  adoptions stay, and the submitted services and adoptions are added (an adoption already recorded
  for the same adopter, category and service is not added twice);
* updates apply in approval order, so a later approval wins for a field both filled in.

The private reviewer contact is not read here: it cannot reach the catalog, the map, the exports
or the SQL console.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pandas as pd

from etl.extract import ADOPTION_COLUMNS, VENDOR_COLUMNS
from etl.transform import PROFILE_COLUMNS
from etl.validate import adoption_key, split_list
from govmap.normalize import boundary
from govmap.review.store import Store, StoreUnavailable
from govmap.review.submissions import Submissions, org_id_for

# Vendor-row fields a submission may update (location fields move together, see _location).
UPDATABLE = ("name_ja", "name_en", "name_kana", "org_type", "website", "corporate_number", "founded_year", "notes")
LOCATION = ("hq_prefecture", "hq_municipality", "hq_postal_code")
SERVICE_COLUMNS = ("service_id", "org_id", "name_ja", "name_en", "offerings_ja", "offerings_en", "description",
                   *PROFILE_COLUMNS, "last_verified", "categories")


class StoreUnreadable(RuntimeError):
    """The store cannot be read (damaged file, wrong format, I/O error)."""


def approved_rows(store_path: Path, with_watermark: bool = False):
    """(vendors, adoptions, services) of every approved or merged submission, in approval order.
    Vendors carry ``_target`` (the organisation updated, '' for a new one) and ``_receipt``.

    ``with_watermark``: (approval watermark, rows).  The watermark is read *before* the rows, so
    the rows include at least every approval up to it (it never claims more than was read).
    StoreUnreadable when the store cannot be read."""
    try:
        store = Store(store_path)
        watermark = store.approval_watermark()
        published = Submissions(store).published()
    except (StoreUnavailable, sqlite3.DatabaseError) as exc:
        raise StoreUnreadable(str(exc)) from exc
    rows = _rows(published)
    return (watermark, rows) if with_watermark else rows


def _rows(published: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    vendors, adoptions, services = [], [], []
    for item in published:
        org_id, receipt = item["org_id"], item["receipt"]
        new = org_id == org_id_for(receipt)
        verified = item["approved_at"][:10]
        where = f"submission {receipt} v{item['version']}"
        entry = item["payload"]
        vendors.append(_vendor_row(entry, org_id, "" if new else org_id, receipt, verified, where, item["version"]))
        for n, svc in enumerate(entry.get("services", []), start=1):
            services.append(_service_row(svc, org_id, receipt, n, verified))
        for n, ado in enumerate(entry.get("adoptions", []), start=1):
            adoptions.append({**_adoption_row(ado, org_id, where, n), "_receipt": receipt})
    return (pd.DataFrame(vendors, columns=[*VENDOR_COLUMNS, "name_kana", "origin", "last_verified", "_target",
                                           "_receipt", "_file", "_row"]),
            pd.DataFrame(adoptions, columns=[*ADOPTION_COLUMNS, "origin", "_file", "_row", "_receipt"]),
            pd.DataFrame(services, columns=[*SERVICE_COLUMNS, "_receipt", "_n"]))


def digest(rows: tuple[pd.DataFrame, ...]) -> str:
    """SHA-256 of the approved rows (recorded in catalog_meta as submissions_sha256)."""
    text = json.dumps([frame.to_dict("records") for frame in rows], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _text(value) -> str:
    return boundary(value)


def _vendor_row(entry: dict, org_id: str, target: str, receipt: str, verified: str, where: str, version: int) -> dict:
    org = entry["org"]
    services = entry.get("services", [])
    municipality = _text(org.get("municipality_name")) + _text(org.get("address")) if org.get("municipality_name") else ""
    sources = [u for u in [org.get("website", ""), *org.get("sources", [])] if u]
    return {
        "vendor_key": org_id, "name_ja": _text(org["name_ja"]), "name_en": _text(org.get("name_en")),
        "org_type": _text(org.get("org_type")), "hq_prefecture": _text(org.get("pref_name")),
        "hq_municipality": municipality, "hq_postal_code": _text(org.get("postal_code")),
        "website": (org.get("website") or "").strip(), "corporate_number": _text(org.get("corporate_number")),
        "founded_year": _text(org.get("founded_year")),
        "categories": ";".join(dict.fromkeys(c for s in services for c in s.get("categories", []))),
        "offerings_ja": ";".join(dict.fromkeys(k for s in services for k in s.get("offerings_ja", []))),
        "offerings_en": ";".join(dict.fromkeys(k for s in services for k in s.get("offerings_en", []))),
        "notes": _text(org.get("description")), "sources": ";".join(dict.fromkeys(u.strip() for u in sources)),
        "name_kana": _text(org.get("name_kana")), "origin": "submission", "last_verified": verified,
        "_target": target, "_receipt": receipt, "_file": where, "_row": version,
    }


def _service_row(svc: dict, org_id: str, receipt: str, n: int, verified: str) -> dict:
    row = {"service_id": f"{org_id}:{n}", "org_id": org_id, "name_ja": _text(svc.get("name_ja")) or None,
           "name_en": _text(svc.get("name_en")) or None, "offerings_ja": list(svc.get("offerings_ja", [])),
           "offerings_en": list(svc.get("offerings_en", [])), "description": _text(svc.get("description")) or None,
           "last_verified": verified, "categories": list(svc.get("categories", [])), "_receipt": receipt, "_n": n}
    for column in PROFILE_COLUMNS:
        value = svc.get(column)
        row[column] = None if value in ("", None) else value  # empty = unknown, never "no"
    if row["developer_role"] is not None:
        row["developer_role"] = str(row["developer_role"])
    return row


def _adoption_row(ado: dict, org_id: str, where: str, n: int) -> dict:
    return {"vendor_key": org_id, "adopter_name_ja": _text(ado.get("adopter_name")),
            "adopter_prefecture": _text(ado.get("pref_name")), "category": _text(ado.get("category")),
            "service_name": _text(ado.get("service_name")), "year": _text(ado.get("year")),
            "source_url": (ado.get("url") or "").strip(), "origin": "submission", "_file": where, "_row": n}


def merge_approved(vendors: pd.DataFrame, adoptions: pd.DataFrame, sub_vendors: pd.DataFrame,
                   sub_adoptions: pd.DataFrame, services: pd.DataFrame):
    """Seed frames + approved submissions → (vendors, adoptions, services) for the build."""
    base = vendors.to_dict("records")
    index = {v["vendor_key"]: i for i, v in enumerate(base)}
    rows = sub_vendors.to_dict("records")
    owner: dict[str, str] = {}  # receipt -> organisation its rows belong to
    for row in [r for r in rows if not r["_target"]]:
        owner[row["_receipt"]] = row["vendor_key"]
        index[row["vendor_key"]] = len(base)
        base.append(row)
    for row in [r for r in rows if r["_target"]]:
        if row["_target"] in index:
            owner[row["_receipt"]] = row["_target"]
            base[index[row["_target"]]] = _update(base[index[row["_target"]]], row)
        else:  # the organisation it updated no longer exists: publish the entry on its own
            own = org_id_for(row["_receipt"])
            owner[row["_receipt"]] = own
            index[own] = len(base)
            base.append({**row, "vendor_key": own})
    merged = pd.DataFrame(base).fillna("")
    merged = merged.drop(columns=[c for c in ("_target", "_receipt") if c in merged])
    services = _number_services(services.assign(org_id=services["_receipt"].map(owner)), merged)
    sub_adoptions = sub_adoptions.assign(vendor_key=sub_adoptions["_receipt"].map(owner)).drop(columns=["_receipt"])
    all_adoptions = pd.concat([adoptions, _new_adoptions(adoptions, sub_adoptions)], ignore_index=True).fillna("")
    return merged, all_adoptions, services


def _update(target: dict, row: dict) -> dict:
    out = dict(target)
    for column in UPDATABLE:
        if row.get(column):
            out[column] = row[column]
    if row.get("hq_prefecture"):  # an address is one fact: never mix an old city with a new prefecture
        out.update({c: row.get(c, "") for c in LOCATION})
    out["sources"] = ";".join(dict.fromkeys([*split_list(target.get("sources", "")), *split_list(row["sources"])]))
    if target.get("origin") == "submission":  # a submitted organisation's categories cover every service
        for column in ("categories", "offerings_ja", "offerings_en"):
            out[column] = ";".join(dict.fromkeys([*split_list(target[column]), *split_list(row[column])]))
    out["last_verified"] = row["last_verified"]
    out["_file"] = f"{target['_file']} + {row['_file']}"
    return out


def _number_services(services: pd.DataFrame, vendors: pd.DataFrame) -> pd.DataFrame:
    """Stable ids <org_id>:<n>: a seed organisation keeps :1 for its own service; submitted services
    follow in approval order."""
    if services.empty:
        return services.drop(columns=["_receipt", "_n"])
    origin = vendors["origin"] if "origin" in vendors else pd.Series("", index=vendors.index)
    seed = set(vendors.loc[origin.isin(["", "seed", "research"]), "vendor_key"])  # own service :1
    counters: dict[str, int] = {}
    ids = []
    for org_id in services["org_id"]:
        counters[org_id] = counters.get(org_id, 1 if org_id in seed else 0) + 1
        ids.append(f"{org_id}:{counters[org_id]}")
    return services.assign(service_id=ids).drop(columns=["_receipt", "_n"])


def _new_adoptions(existing: pd.DataFrame, submitted: pd.DataFrame) -> pd.DataFrame:
    seen = {adoption_key(r) for r in existing.to_dict("records")}
    keep = []
    for row in submitted.to_dict("records"):
        key = adoption_key(row)
        if key not in seen:
            seen.add(key)
            keep.append(row)
    return pd.DataFrame(keep, columns=submitted.columns)

