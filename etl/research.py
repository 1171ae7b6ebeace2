"""Researched slices (data/research/<slice>/): organisations, services, facts and adoptions.

Each slice holds up to four CSV files (data/research/README.md).  They are read like the seed
(NFKC at the boundary, ``_file`` = ``<slice>/<file>``, ``_row`` = spreadsheet line), validated
field by field (every problem names file, row, field and reason), then handed to the build as seed
shaped rows (organisations, adoptions) and as facts (etl/facts.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from govmap import validators
from govmap.finder import adoption_kinds, source_quality
from govmap.finder.fact_fields import FLAG_FIELDS, ORG_FIELDS, SERVICE_FIELDS, URL_FIELDS
from etl.extract import read_csv_rows
from etl.validate import LIMITS, ORG_TYPES, Problem, check_categories, split_list

FILES = {
    "organisations": ("org_key", "name_ja", "name_en", "org_type", "categories", "offerings_ja", "offerings_en",
                      "description", "website", "source_url", "as_of"),
    "services": ("service_key", "org_key", "name_ja", "name_en", "categories", "offerings_ja", "description",
                 "source_url", "as_of"),
    "facts": ("entity_kind", "entity_key", "field", "value", "source_url", "as_of", "source_quality"),
    "adoptions": ("org_key", "service_key", "adopter_name_ja", "adopter_prefecture", "category", "service_name",
                  "year", "adoption_kind", "source_url", "as_of", "source_quality"),
}
BOOLEAN_FIELDS = frozenset(FLAG_FIELDS)
AS_OF = re.compile(r"(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_SLUG = re.compile(r"[a-z0-9][a-z0-9_]{0,63}")
_SERVICE_KEY = re.compile(r"[a-z0-9][a-z0-9_]{0,63}:[a-z0-9][a-z0-9_-]{0,63}")


@dataclass
class Research:
    organisations: pd.DataFrame
    services: pd.DataFrame
    facts: pd.DataFrame
    adoptions: pd.DataFrame
    files: list[Path] = field(default_factory=list)

    @classmethod
    def empty(cls) -> "Research":
        return cls(*(pd.DataFrame(columns=[*cols, "_row", "_file", "slice"]) for cols in FILES.values()))


def read(directory: Path) -> Research:
    """Every slice under ``directory`` (a missing folder is an empty research set)."""
    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in FILES}
    files: list[Path] = []
    for slice_dir in sorted(p for p in Path(directory).glob("*") if p.is_dir()):
        for name, columns in FILES.items():
            path = slice_dir / f"{name}.csv"
            if path.exists():
                frame = read_csv_rows(path, columns)
                frame["_file"] = f"{slice_dir.name}/{path.name}"
                frame["slice"] = slice_dir.name
                frames[name].append(frame)
                files.append(path)
    empty = Research.empty()
    parts = {name: pd.concat(found, ignore_index=True) if found else getattr(empty, name)
             for name, found in frames.items()}
    return Research(**parts, files=files)


def resolve_keys(research: Research, aliases: dict[str, str]) -> None:
    """Rewrite ``std_<法人番号>`` keys of vendors that the build matched to another organisation
    (etl/standardisation.vendor_orgs) so that their facts and adoptions reach it."""
    if not aliases:
        return
    org = lambda key: aliases.get(key, key)  # noqa: E731
    svc = lambda key: (lambda o, _, rest: f"{org(o)}:{rest}" if rest else key)(*key.partition(":"))  # noqa: E731
    research.organisations["org_key"] = research.organisations["org_key"].map(org)
    research.services["org_key"] = research.services["org_key"].map(org)
    research.services["service_key"] = research.services["service_key"].map(svc)
    research.adoptions["org_key"] = research.adoptions["org_key"].map(org)
    research.adoptions["service_key"] = research.adoptions["service_key"].map(lambda k: svc(k) if k else k)
    facts = research.facts
    is_org = facts["entity_kind"].eq("organisation")
    facts.loc[is_org, "entity_key"] = facts.loc[is_org, "entity_key"].map(org)
    facts.loc[~is_org, "entity_key"] = facts.loc[~is_org, "entity_key"].map(svc)


# -- validation -------------------------------------------------------------------------------------
def problems(research: Research, org_keys: set[str], service_keys: set[str], categories: set[str]) -> list[Problem]:
    """Every problem in the researched rows.  ``org_keys`` / ``service_keys``: every organisation and
    service the build knows (seed, conformance list, research); adoptions are checked with the seed's
    (etl/validate.validate_adoptions) after ``adoption_rows``."""
    out: list[Problem] = []
    seen_orgs: dict[str, str] = {}
    for row in research.organisations.to_dict("records"):
        add = _adder(out, row)
        key = row["org_key"]
        if not _SLUG.fullmatch(key):
            add("org_key", f"must be a lower-case ASCII slug: {key[:80]!r}")
        elif key in seen_orgs:
            add("org_key", f"organisation {key!r} is already defined in {seen_orgs[key]}")
        seen_orgs.setdefault(key, f"{row['_file']}:{row['_row']}")
        if not row["name_ja"]:
            add("name_ja", "required")
        if row["org_type"] not in ORG_TYPES:
            add("org_type", f"unknown organisation type {row['org_type'][:40]!r} (one of {', '.join(ORG_TYPES)})")
        check_categories(row, categories, add)
        _url(row, "website", add, required=False)
        _provenance(row, add)
        for col in ("name_ja", "name_en", "offerings_ja", "offerings_en"):
            if len(row[col]) > LIMITS.get(col, 1000):
                add(col, f"longer than {LIMITS.get(col, 1000)} characters")
    seen_services: dict[str, str] = {}
    for row in research.services.to_dict("records"):
        add = _adder(out, row)
        key = row["service_key"]
        if not _SERVICE_KEY.fullmatch(key):
            add("service_key", f"must be <org_key>:<slug> in lower-case ASCII: {key[:80]!r}")
        elif key.partition(":")[0] != row["org_key"]:
            add("service_key", f"{key!r} does not start with its org_key {row['org_key']!r}")
        elif key in seen_services:
            add("service_key", f"service {key!r} is already defined in {seen_services[key]}")
        seen_services.setdefault(key, f"{row['_file']}:{row['_row']}")
        if row["org_key"] not in org_keys:
            add("org_key", f"unknown organisation {row['org_key'][:64]!r}")
        if not row["name_ja"] and not row["name_en"]:
            add("name_ja", "a service needs its name as the source writes it")
        check_categories(row, categories, add)
        _provenance(row, add)
    for row in research.facts.to_dict("records"):
        add = _adder(out, row)
        kind, key, name = row["entity_kind"], row["entity_key"], row["field"]
        if kind == "organisation":
            allowed, known = ORG_FIELDS, org_keys
        elif kind == "service":
            allowed, known = SERVICE_FIELDS, service_keys
        else:
            add("entity_kind", f"must be organisation or service, not {kind[:40]!r}")
            continue
        if key not in known:
            add("entity_key", f"unknown {kind} {key[:80]!r}")
        if name not in allowed:
            add("field", f"unknown {kind} field {name[:40]!r} (one of {', '.join(sorted(allowed))})")
            continue
        reason = fact_value_problem(name, row["value"])
        if reason:
            add("value", reason)
        _provenance(row, add)
        _quality(row, add)
    for row in research.adoptions.to_dict("records"):
        add = _adder(out, row)
        if row["adoption_kind"] not in adoption_kinds.KINDS:
            add("adoption_kind", f"unknown kind {row['adoption_kind'][:40]!r} (one of {', '.join(adoption_kinds.KINDS)})")
        if row["service_key"] and row["service_key"] not in service_keys:
            add("service_key", f"unknown service {row['service_key'][:80]!r}")
        _provenance(row, add, url_checked_elsewhere=True)
        _quality(row, add)
    return out


def fact_value_problem(name: str, value: str) -> str | None:
    """Why ``value`` is not a valid value of fact ``name`` (None when it is)."""
    if value == "":
        return "required (leave the fact out when it is unknown)"
    if name in BOOLEAN_FIELDS:
        return None if value in ("true", "false") else f"must be true or false, not {value[:20]!r}"
    try:
        if name == "corporate_number":
            validators.corporate_number(value)
        elif name == "hq_postal_code":
            validators.postal_code(value)
        elif name in URL_FIELDS:
            validators.http_url(value, max_length=2000)
        elif len(value) > 300:
            return f"longer than 300 characters ({len(value)})"
    except validators.InvalidValue as exc:
        return f"{exc.en}: {value[:80]!r}"
    return None


def _adder(out: list, row: dict):
    return lambda col, reason, sev="error": out.append(Problem(row["_file"], row["_row"], col, reason, sev))


def _url(row, column: str, add, required: bool) -> None:
    if not row[column]:
        if required:
            add(column, "required")
        return
    try:
        validators.http_url(row[column], max_length=2000)
    except validators.InvalidValue as exc:
        add(column, f"{exc.en}: {row[column][:80]!r}")


def _provenance(row, add, url_checked_elsewhere: bool = False) -> None:
    if not url_checked_elsewhere:
        _url(row, "source_url", add, required=True)
    if not AS_OF.fullmatch(row["as_of"]):
        add("as_of", f"must be YYYY, YYYY-MM or YYYY-MM-DD: {row['as_of'][:20]!r}")


def _quality(row, add) -> None:
    if row["source_quality"] not in source_quality.QUALITIES:
        add("source_quality", f"unknown quality {row['source_quality'][:40]!r} (one of {', '.join(source_quality.QUALITIES)})")


# -- rows for the build ------------------------------------------------------------------------------
def vendor_rows(research: Research) -> pd.DataFrame:
    """Researched organisations as seed-shaped vendor rows (head office etc. come as facts)."""
    rows = [{"vendor_key": r["org_key"], "name_ja": r["name_ja"], "name_en": r["name_en"], "org_type": r["org_type"],
             "hq_prefecture": "", "hq_municipality": "", "hq_postal_code": "", "website": r["website"],
             "corporate_number": "", "founded_year": "", "categories": r["categories"],
             "offerings_ja": r["offerings_ja"], "offerings_en": r["offerings_en"], "notes": r["description"],
             "sources": r["source_url"], "last_verified": r["as_of"], "origin": "research",
             "_file": r["_file"], "_row": r["_row"]}
            for r in research.organisations.to_dict("records")]
    return pd.DataFrame(rows, columns=[*rows[0].keys()] if rows else ["vendor_key", "_file", "_row"])


def adoption_rows(research: Research) -> pd.DataFrame:
    """Researched adoptions as seed-shaped adoption rows, with kind, quality, as-of and service."""
    frame = research.adoptions.rename(columns={"org_key": "vendor_key", "service_key": "service_id"})
    frame = frame.assign(origin="research")
    return frame.drop(columns=["slice"], errors="ignore")


def service_rows(research: Research) -> pd.DataFrame:
    """Named services: service_id, org_id, names, keywords, description, categories list, provenance."""
    rows = [{"service_id": r["service_key"], "org_id": r["org_key"], "name_ja": r["name_ja"] or None,
             "name_en": r["name_en"] or None, "offerings_ja": split_list(r["offerings_ja"]), "offerings_en": [],
             "description": r["description"] or None, "last_verified": r["as_of"],
             "categories": split_list(r["categories"]), "source_url": r["source_url"], "as_of": r["as_of"]}
            for r in research.services.to_dict("records")]
    return pd.DataFrame(rows)
