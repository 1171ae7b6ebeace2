"""Corrections found in review (data/corrections/, README there): applied to the input rows before
they are validated, each with its reason and source.

``apply`` returns the corrected frames and the problems: a correction that matches no row is a
warning (it went stale), a malformed one an error.  Adopter placements are looked up by
``placement`` when adoptions are geocoded (etl/transform.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from govmap.finder import adoption_kinds
from govmap.geocode import Gazetteer, Location
from govmap.normalize import place_key
from etl.extract import read_csv_rows
from etl.validate import Problem, split_list

FILES = {
    "adopters": ("adopter_name_ja", "adopter_kind", "place", "reason", "source_url", "as_of"),
    "adoptions": ("vendor_key", "adopter_name_ja", "service_name", "field", "value", "reason", "source_url", "as_of"),
    "organisations": ("vendor_key", "field", "value", "reason", "source_url", "as_of"),
}
ADOPTER_KINDS = ("municipality", "prefecture", "national", "group")


@dataclass
class Corrections:
    adopters: pd.DataFrame
    adoptions: pd.DataFrame
    organisations: pd.DataFrame
    files: list[Path] = field(default_factory=list)

    @classmethod
    def empty(cls) -> "Corrections":
        return cls(*(pd.DataFrame(columns=[*columns, "_row", "_file"]) for columns in FILES.values()))

    @classmethod
    def read(cls, directory: Path) -> "Corrections":
        frames, files = {}, []
        for name, columns in FILES.items():
            path = Path(directory) / f"{name}.csv"
            if path.exists():
                frames[name] = read_csv_rows(path, columns)
                frames[name]["_file"] = f"corrections/{path.name}"
                files.append(path)
            else:
                frames[name] = getattr(cls.empty(), name)
        return cls(**frames, files=files)

    def placements(self, gaz: Gazetteer) -> dict[str, Location]:
        """adopter name key → where it is drawn and what kind of body it is."""
        out = {}
        for r in self.adopters.to_dict("records"):
            loc = gaz.locate_address(r["place"])
            if loc.precision in ("municipality", "postal_code") and r["adopter_kind"] in ADOPTER_KINDS:
                pref = loc.pref_code if r["adopter_kind"] != "national" else None
                out[place_key(r["adopter_name_ja"])] = Location(loc.code, pref, loc.lat, loc.lon,
                                                                 "municipality" if r["adopter_kind"] != "national" else "national",
                                                                 r["adopter_kind"])
        return out


def apply(corrections: Corrections, vendors: pd.DataFrame, adoptions: pd.DataFrame, categories: set[str],
          gaz: Gazetteer) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    vendors, adoptions = vendors.copy(), adoptions.copy()
    if "adoption_kind" not in adoptions:
        adoptions["adoption_kind"] = ""
    for r in corrections.organisations.to_dict("records"):
        add = _adder(problems, r)
        if r["field"] != "remove_category":
            add("field", f"unknown field {r['field'][:40]!r} (remove_category)")
            continue
        hit = vendors["vendor_key"].eq(r["vendor_key"])
        if not hit.any():
            add("vendor_key", f"no organisation {r['vendor_key'][:64]!r}: correction no longer applies", "warning")
        vendors.loc[hit, "categories"] = vendors.loc[hit, "categories"].map(
            lambda text: ";".join(c for c in split_list(text) if c != r["value"]))
    keys = pd.Series([(v, place_key(a), place_key(s)) for v, a, s in
                      zip(adoptions["vendor_key"], adoptions["adopter_name_ja"], adoptions["service_name"])],
                     index=adoptions.index, dtype=object)
    for r in corrections.adoptions.to_dict("records"):
        add = _adder(problems, r)
        if r["field"] == "category" and r["value"] not in categories:
            add("value", f"unknown category code {r['value'][:40]!r}")
            continue
        if r["field"] == "adoption_kind" and r["value"] not in adoption_kinds.KINDS:
            add("value", f"unknown kind {r['value'][:40]!r} (one of {', '.join(adoption_kinds.KINDS)})")
            continue
        if r["field"] not in ("category", "adoption_kind"):
            add("field", f"unknown field {r['field'][:40]!r} (category or adoption_kind)")
            continue
        wanted = (r["vendor_key"], place_key(r["adopter_name_ja"]), place_key(r["service_name"]))
        hit = keys.map(lambda k, wanted=wanted: k == wanted).astype(bool)
        if not hit.any():
            add("service_name", "matches no adoption (vendor, adopter, service name): correction no longer applies", "warning")
        adoptions.loc[hit, r["field"]] = r["value"]
    for r in corrections.adopters.to_dict("records"):
        add = _adder(problems, r)
        if r["adopter_kind"] not in ADOPTER_KINDS:
            add("adopter_kind", f"unknown kind {r['adopter_kind'][:40]!r} (one of {', '.join(ADOPTER_KINDS)})")
        if gaz.locate_address(r["place"]).precision not in ("municipality", "postal_code"):
            add("place", f"not a municipality of the gazetteer: {r['place'][:60]!r}")
        if not adoptions["adopter_name_ja"].map(place_key).eq(place_key(r["adopter_name_ja"])).any():
            add("adopter_name_ja", "matches no adoption: correction no longer applies", "warning")
    return vendors, adoptions, problems


def _adder(out: list, row: dict):
    return lambda col, reason, sev="error": out.append(Problem(row["_file"], row["_row"], col, reason, sev))
