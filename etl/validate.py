"""Validate: check every input row and report every problem with file, row, column and reason.

Nothing here changes data.  ``validate_inputs`` returns a list of ``Problem``; a build refuses to
publish when any has severity "error" (unless --keep-going, which drops the bad rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from govmap import validators
from govmap.geocode import Gazetteer
from govmap.normalize import place_key

ORG_TYPES = ("startup", "sme", "large", "nonprofit", "public")
_SLUG = re.compile(r"[a-z0-9][a-z0-9_]{0,63}")
_MUNICIPALITY_LIKE = re.compile(r"[市区町村]$")
LIMITS = {"name_ja": 200, "name_en": 200, "notes": 2000, "offerings_ja": 1000, "offerings_en": 1000,
          "service_name": 300, "adopter_name_ja": 200}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int
    column: str
    reason: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.severity.upper()} {self.file}:{self.row} [{self.column}] {self.reason}"


def split_list(text: str) -> list[str]:
    return [p.strip() for p in text.split(";") if p.strip()]


def _check(problems: list, row, column: str, func) -> None:
    value = row[column]
    if value == "":
        return
    try:
        func(value)
    except validators.InvalidValue as exc:
        problems.append(Problem(row["_file"], row["_row"], column, f"{exc.en}: {value[:80]!r}"))


def validate_vendors(vendors: pd.DataFrame, categories: set[str], gaz: Gazetteer) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for row in vendors.to_dict("records"):
        add = lambda col, reason: problems.append(Problem(row["_file"], row["_row"], col, reason))  # noqa: E731
        key = row["vendor_key"]
        if not _SLUG.fullmatch(key):
            add("vendor_key", f"must be a lower-case ASCII slug: {key[:80]!r}")
        elif key in seen:
            add("vendor_key", f"duplicated key {key!r} (first at row {seen[key]})")
        seen.setdefault(key, row["_row"])
        if not row["name_ja"]:
            add("name_ja", "required")
        for col, limit in LIMITS.items():
            if col in row and len(row[col]) > limit:
                add(col, f"longer than {limit} characters ({len(row[col])})")
        if row["org_type"] not in ORG_TYPES:
            add("org_type", f"unknown organisation type {row['org_type'][:40]!r} (one of {', '.join(ORG_TYPES)})")
        check_categories(row, categories, add)
        _check_location(row, gaz, add)
        _check(problems, row, "website", validators.http_url)
        _check(problems, row, "corporate_number", validators.corporate_number)
        _check(problems, row, "hq_postal_code", validators.postal_code)
        _check(problems, row, "founded_year", validators.year)
        _check_sources(row, "sources", add, required=True)
    return problems


def check_categories(row, categories: set[str], add) -> None:
    """A row's ``categories``: at least one, each a code of the taxonomy (seed and research rows)."""
    codes = split_list(row["categories"])
    if not codes:
        add("categories", "at least one category code is required")
    for code in codes:
        if code not in categories:
            add("categories", f"unknown category code {code[:40]!r}")


def _check_location(row, gaz: Gazetteer, add) -> None:
    pref, muni = row["hq_prefecture"], row["hq_municipality"]
    pref_code = gaz.pref_code(pref) if pref else None
    if pref and not pref_code:
        add("hq_prefecture", f"unknown prefecture {pref[:40]!r}")
    if muni and pref_code and not gaz.find_municipality(pref_code, muni):
        add("hq_municipality", f"unknown municipality {muni[:40]!r} in {pref}")
    if muni and not pref:
        add("hq_prefecture", "a municipality is given without its prefecture")
    for lat_col, lon_col in (("lat", "lon"),):
        if row.get(lat_col) and row.get(lon_col):
            try:
                ok = validators.in_japan(float(row[lat_col]), float(row[lon_col]))
            except ValueError:
                ok = False
            if not ok:
                add(lat_col, f"coordinates outside Japan or not numbers: {row[lat_col][:20]}, {row[lon_col][:20]}")


def _check_sources(row, column: str, add, required: bool) -> None:
    urls = split_list(row[column])
    if required and not urls:
        add(column, "at least one source URL is required")
    for url in urls:
        try:
            validators.http_url(url, max_length=2000)
        except validators.InvalidValue as exc:
            add(column, f"{exc.en}: {url[:80]!r}")


def validate_adoptions(adoptions: pd.DataFrame, vendor_keys: set[str], categories: set[str],
                       gaz: Gazetteer) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    for row in adoptions.to_dict("records"):
        add = lambda col, reason, sev="error": problems.append(  # noqa: E731
            Problem(row["_file"], row["_row"], col, reason, sev))
        if row["vendor_key"] not in vendor_keys:
            add("vendor_key", f"unknown organisation {row['vendor_key'][:64]!r}")
        if row["category"] not in categories:
            add("category", f"unknown category code {row['category'][:40]!r}")
        _check_adopter(row, gaz, add)
        _check(problems, row, "year", validators.year)
        _check_sources(row, "source_url", add, required=True)
        key = adoption_key(row)
        if key in seen:
            first_file, first_row = seen[key]
            if first_file == row["_file"]:
                add("adopter_name_ja", f"duplicate of row {first_row} (same vendor, adopter, category, service)")
            else:  # the same adoption found again by another slice: the first is kept
                add("adopter_name_ja", f"same adoption as {first_file}:{first_row} (vendor, adopter, category, service); "
                    "that row is kept", "warning")
        seen.setdefault(key, (row["_file"], row["_row"]))
    return problems


def adoption_key(row) -> tuple:
    return (row["vendor_key"], place_key(row["adopter_name_ja"]), row["category"], place_key(row["service_name"]))


def drop_repeated_adoptions(adoptions: pd.DataFrame) -> pd.DataFrame:
    """The first of each adoption recorded in several files (validate_adoptions warns about the others)."""
    keys = [adoption_key(r) for r in adoptions.to_dict("records")]
    return adoptions[~pd.Series(keys, index=adoptions.index).duplicated()]


def _check_adopter(row, gaz: Gazetteer, add) -> None:
    name, pref = row["adopter_name_ja"], row["adopter_prefecture"]
    if not name:
        add("adopter_name_ja", "required")
        return
    if pref and not gaz.pref_code(pref):
        add("adopter_prefecture", f"unknown prefecture {pref[:40]!r}")
        return
    loc = gaz.locate_adopter(name, pref)
    if loc.kind == "group" and _MUNICIPALITY_LIKE.search(name):
        add("adopter_name_ja", f"unknown municipality {name[:40]!r} in {pref}")


def validate_inputs(vendors, adoptions, categories: set[str], gaz: Gazetteer) -> list[Problem]:
    return (validate_vendors(vendors, categories, gaz)
            + validate_adoptions(adoptions, set(vendors["vendor_key"]), categories, gaz))
