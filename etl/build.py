"""The build pipeline: extract → validate → normalise → load (swap).

``build`` is safe to re-run: the catalog is a pure function of the seed data, the gazetteer,
the taxonomy and the approved submissions, written to a temp file and swapped in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from govmap import settings
from govmap.duplicates import find_duplicates
from govmap.geocode import Gazetteer
from etl import extract, load, transform
from etl.validate import Problem, validate_inputs

ROOT = settings.ROOT
TAXONOMY = ROOT / "data" / "taxonomy" / "categories.csv"


class BuildFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{sum(p.severity == 'error' for p in problems)} input error(s); catalog not changed")
        self.problems = problems


@dataclass
class Inputs:
    vendors: pd.DataFrame
    adoptions: pd.DataFrame
    categories: pd.DataFrame
    gazetteer: dict[str, pd.DataFrame]
    gaz: Gazetteer
    files: list[Path] = field(default_factory=list)
    services: pd.DataFrame | None = None  # services with profiles (approved submissions)
    meta: dict[str, str] = field(default_factory=dict)  # extra catalog_meta facts (submissions digest)


def read_inputs(seed_dir: Path | None = None, gazetteer_dir: Path | None = None,
                store_path: Path | None = None, with_submissions: bool = True) -> Inputs:
    """Seed data + gazetteer + taxonomy, plus approved vendor submissions from the store."""
    seed_dir = Path(seed_dir or settings.path("seed_dir"))
    gazetteer_dir = Path(gazetteer_dir or settings.path("gazetteer_dir"))
    vendors, adoptions = extract.read_seed(seed_dir)
    services = None
    meta: dict[str, str] = {}
    files = [seed_dir / "vendors.csv", seed_dir / "adoptions.csv", TAXONOMY,
             *sorted(gazetteer_dir.glob("*.parquet"))]
    store_path = Path(store_path or settings.path("store_path"))
    if with_submissions and store_path.exists():
        from etl.submissions import approved_rows, digest, merge_approved  # no store on a fresh machine
        rows = approved_rows(store_path)
        vendors, adoptions, services = merge_approved(vendors, adoptions, *rows)
        # A digest of what is published, not of the file: reading a live SQLite file in a process
        # that holds connections to it drops their locks (sqlite.org/howtocorrupt.html 2.2).
        meta["submissions_sha256"] = digest(rows)
    tables = extract.read_gazetteer(gazetteer_dir)
    gaz = Gazetteer(tables["municipalities"], tables["prefectures"], tables["postal_codes"])
    return Inputs(vendors, adoptions, extract.read_categories(TAXONOMY), tables, gaz, files, services, meta)


def check(inputs: Inputs) -> list[Problem]:
    """Every problem in the inputs (errors and warnings), including likely duplicates."""
    problems = validate_inputs(inputs.vendors, inputs.adoptions, set(inputs.categories["code"]), inputs.gaz)
    return problems + duplicate_warnings(inputs.vendors)


def duplicate_warnings(vendors: pd.DataFrame) -> list[Problem]:
    records = [{"org_id": v["vendor_key"], "name_ja": v["name_ja"], "name_en": v["name_en"],
                "corporate_number": v["corporate_number"], "_row": v["_row"], "_file": v["_file"]}
               for v in vendors.to_dict("records")]
    rows = {r["org_id"]: r for r in records}
    return [Problem(rows[d.b]["_file"], rows[d.b]["_row"], "name_ja",
                    f"likely duplicate of {d.a!r} ({', '.join(d.reasons)}); review by hand", "warning")
            for d in find_duplicates(records)]


def _drop_bad_rows(inputs: Inputs, problems: list[Problem]) -> None:
    bad = {(p.file, p.row) for p in problems if p.severity == "error"}
    keep = lambda f: f[[(a, b) not in bad for a, b in zip(f["_file"], f["_row"])]]  # noqa: E731
    inputs.vendors = keep(inputs.vendors)
    known = set(inputs.vendors["vendor_key"])
    inputs.adoptions = keep(inputs.adoptions)
    inputs.adoptions = inputs.adoptions[inputs.adoptions["vendor_key"].isin(known)]


def tables_from(inputs: Inputs) -> dict[str, pd.DataFrame]:
    source_ids = transform.SourceIds()
    services, service_categories = transform.services(inputs.vendors, inputs.services)
    tables = {
        "categories": transform.categories(inputs.categories),
        "organisations": transform.organisations(inputs.vendors, inputs.gaz),
        "organisation_sources": transform.organisation_sources(inputs.vendors, source_ids),
        "services": services, "service_categories": service_categories,
        "adoptions": transform.adoptions(inputs.adoptions, inputs.gaz, source_ids),
        **inputs.gazetteer,
    }
    tables["sources"] = source_ids.frame()
    return tables


def build(out: Path | None = None, *, keep_going: bool = False, inputs: Inputs | None = None,
          progress: bool = True, meta: dict | None = None) -> tuple[Path, list[Problem]]:
    """Build the catalog; raises BuildFailed (catalog untouched) on input errors unless keep_going."""
    out = Path(out or settings.path("catalog_path"))
    steps = tqdm(total=4 + len(load.TABLE_ORDER), desc="build", disable=not progress, unit="step")
    inputs = inputs or read_inputs()
    steps.update(1)
    problems = check(inputs)
    steps.update(1)
    if any(p.severity == "error" for p in problems):
        if not keep_going:
            steps.close()
            raise BuildFailed(problems)
        _drop_bad_rows(inputs, problems)
    tables = tables_from(inputs)
    steps.update(1)
    info = {"synthetic": "false", "inputs_sha256": extract.inputs_sha256(inputs.files), **inputs.meta, **(meta or {})}
    load.write_catalog(out, tables, info, progress=lambda name: steps.update(1))
    steps.update(1)
    steps.close()
    return out, problems
