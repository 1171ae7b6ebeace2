"""The build pipeline: extract → validate → normalise → load (swap).

``build`` is safe to re-run: the catalog is a pure function of the seed data, the gazetteer,
the taxonomy and the approved submissions, written to a temp file and swapped in.

Every build of a catalog holds its build lock (govmap/review/buildlock.py; the publish after an approval
takes the same one) and stamps the store's approval watermark into ``catalog_meta``; a build whose
watermark is lower than the catalog in place is not swapped in (``OlderThanPublished``), so a
build that read the store before an approval cannot undo its publish.  A store that cannot be read
does not stop the build: its approved submissions are skipped with a loud warning (watermark 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sys

import pandas as pd
from tqdm import tqdm

from govmap import settings
from govmap.review.buildlock import build_lock, catalog_watermark
from govmap.review.store import describe as store_describe, exists as store_exists, locate as store_location
from govmap.finder.duplicates import find_duplicates
from govmap.geocode import Gazetteer
from etl import corrections as corrections_mod, extract, facts as facts_mod, load, research as research_mod, standardisation, transform
from etl.validate import Problem, drop_repeated_adoptions, validate_adoptions, validate_vendors

ROOT = settings.ROOT
TAXONOMY = ROOT / "data" / "taxonomy" / "categories.csv"


class OlderThanPublished(Exception):
    """The build read an older state of the store than the catalog in place: not swapped in."""

    def __init__(self, built: int, current: int):
        super().__init__(f"this build includes approvals up to #{built}, the catalog in place up to #{current}: "
                         "not swapped in (the catalog in place is kept)")
        self.built, self.current = built, current


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
    std: standardisation.StdInputs | None = None  # core systems (標準化) figures, data/standardisation
    research: research_mod.Research = field(default_factory=research_mod.Research.empty)  # data/research
    corrections: corrections_mod.Corrections | None = None  # data/corrections
    correction_problems: list[Problem] = field(default_factory=list)


def read_inputs(seed_dir: Path | None = None, gazetteer_dir: Path | None = None,
                store_path: Path | None = None, with_submissions: bool = True,
                with_standardisation: bool = True, research_dir: Path | None = None,
                with_research: bool | None = None) -> Inputs:
    """Seed data + researched slices (data/research) + corrections (data/corrections) + gazetteer +
    taxonomy + the standardisation figures (data/standardisation), plus approved vendor submissions
    from the store.  Research and corrections are about the shipped seed: a test's own seed folder
    gets them only when asked (``with_research=True`` or a ``research_dir``)."""
    shipped_seed = seed_dir is None or Path(seed_dir).resolve() == Path(settings.path("seed_dir")).resolve()
    if with_research is None:
        with_research = shipped_seed or research_dir is not None
    seed_dir = Path(seed_dir or settings.path("seed_dir"))
    gazetteer_dir = Path(gazetteer_dir or settings.path("gazetteer_dir"))
    vendors, adoptions = extract.read_seed(seed_dir)
    std = standardisation.read() if with_standardisation else None
    research = research_mod.read(Path(research_dir or settings.path("research_dir"))) if with_research else research_mod.Research.empty()
    if len(research.organisations) or len(research.adoptions) or len(research.facts):
        if std is not None:
            numbered = _with_fact_numbers(pd.concat([vendors, research_mod.vendor_rows(research)], ignore_index=True).fillna(""), research)
            matched = standardisation.vendor_orgs(std.packages, numbered)
            research_mod.resolve_keys(research, {f"std_{cn}": org for cn, org in zip(matched["corporate_number"], matched["org_id"])
                                                 if org != f"std_{cn}"})
        vendors = pd.concat([vendors, research_mod.vendor_rows(research)], ignore_index=True).fillna("")
        adoptions = pd.concat([adoptions, research_mod.adoption_rows(research)], ignore_index=True).fillna("")
    services = None
    meta: dict[str, str] = {}
    files = [seed_dir / "vendors.csv", seed_dir / "adoptions.csv", TAXONOMY,
             *sorted(gazetteer_dir.glob("*.parquet"))]
    store_path = store_location(store_path)  # the SQLite file, or the PostgreSQL URL (GOVMAP_STORE_URL)
    meta["approval_watermark"] = "0"
    if with_submissions and store_exists(store_path):
        from etl.submissions import StoreUnreadable, approved_rows, digest, merge_approved  # no store on a fresh machine
        try:
            watermark, rows = approved_rows(store_path, with_watermark=True)
        except StoreUnreadable as exc:
            print(f"WARNING: the submission store {store_describe(store_path)} cannot be read ({exc}); building WITHOUT approved "
                  "submissions. Restore the store from its backup (docs/submissions.md) and build again.",
                  file=sys.stderr)
            meta["submissions_skipped"] = str(exc)[:500]
        else:
            vendors, adoptions, services = merge_approved(vendors, adoptions, *rows)
            # A digest of what is published, not of the file: reading a live SQLite file in a process
            # that holds connections to it drops their locks (sqlite.org/howtocorrupt.html 2.2).
            meta["submissions_sha256"] = digest(rows)
            meta["approval_watermark"] = str(watermark)
    tables = extract.read_gazetteer(gazetteer_dir)
    gaz = Gazetteer(tables["municipalities"], tables["prefectures"], tables["postal_codes"])
    categories = extract.read_categories(TAXONOMY)
    corrections = (corrections_mod.Corrections.read(Path(settings.path("corrections_dir"))) if with_research
                   else corrections_mod.Corrections.empty())
    vendors, adoptions, fixed = corrections_mod.apply(corrections, vendors, adoptions, set(categories["code"]), gaz)
    files += (std.files if std else []) + research.files + corrections.files
    return Inputs(vendors, adoptions, categories, tables, gaz, files, services, meta, std, research, corrections, fixed)


def _with_fact_numbers(vendors: pd.DataFrame, research: research_mod.Research) -> pd.DataFrame:
    """A copy of ``vendors`` with the 法人番号 researched facts give, so the conformance list's vendors
    are matched to organisations by number (etl/standardisation.vendor_orgs)."""
    facts = research.facts
    numbers = facts[facts["entity_kind"].eq("organisation") & facts["field"].eq("corporate_number")]
    by_org = dict(zip(numbers["entity_key"], numbers["value"]))
    out = vendors.copy()
    out["corporate_number"] = [cn or by_org.get(k, "") for k, cn in zip(out["vendor_key"], out["corporate_number"])]
    return out


def check(inputs: Inputs) -> list[Problem]:
    """Every problem in the inputs (errors and warnings), including likely duplicates."""
    categories = set(inputs.categories["code"])
    org_keys, service_keys = known_keys(inputs)
    problems = validate_vendors(inputs.vendors, categories, inputs.gaz)
    problems += validate_adoptions(inputs.adoptions, org_keys, categories, inputs.gaz)
    problems += research_mod.problems(inputs.research, org_keys, service_keys, categories)
    problems += inputs.correction_problems
    if inputs.std is not None:
        problems += standardisation.problems(inputs.std, inputs.gazetteer["municipalities"])
    return problems + duplicate_warnings(inputs.vendors)


def known_keys(inputs: Inputs) -> tuple[set[str], set[str]]:
    """Every organisation and service key a build of ``inputs`` has (seed, research, conformance
    list, submissions), for checking what facts and adoptions refer to."""
    orgs = set(inputs.vendors["vendor_key"])
    services = {f"{k}:1" for k in orgs} | set(inputs.research.services["service_key"])
    if inputs.services is not None and len(inputs.services):
        services |= set(inputs.services["service_id"])
    if inputs.std is not None:
        vendors = standardisation.vendor_orgs(inputs.std.packages, _with_fact_numbers(inputs.vendors, inputs.research))
        orgs |= set(vendors["org_id"])
        packages = standardisation.package_rows(inputs.std.packages, vendors, inputs.std.gyomu, inputs.std.source("packages"))
        services |= set(standardisation.services(packages, inputs.std.gyomu)[0].get("service_id", []))
    return orgs, services


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
    keep = lambda f: f[pd.Series([(a, b) not in bad for a, b in zip(f["_file"], f["_row"])], index=f.index, dtype=bool)]  # noqa: E731
    inputs.vendors = keep(inputs.vendors)
    known = set(inputs.vendors["vendor_key"])
    inputs.adoptions = keep(inputs.adoptions)
    org_keys, service_keys = known_keys(inputs)
    inputs.adoptions = inputs.adoptions[inputs.adoptions["vendor_key"].isin(org_keys | known)]
    research = inputs.research
    research.services = keep(research.services)
    research.services = research.services[research.services["org_key"].isin(org_keys)]
    research.facts = keep(research.facts)


def tables_from(inputs: Inputs) -> dict[str, pd.DataFrame]:
    source_ids = transform.SourceIds()
    named = research_mod.service_rows(inputs.research)
    services, service_categories = transform.services(inputs.vendors, inputs.services, named)
    websites = dict(zip(inputs.vendors["vendor_key"], inputs.vendors["website"]))
    tables = {
        "categories": transform.categories(inputs.categories),
        "organisations": transform.organisations(inputs.vendors, inputs.gaz),
        "organisation_sources": transform.organisation_sources(inputs.vendors, source_ids),
        "services": services, "service_categories": service_categories,
        "adoptions": transform.adoptions(drop_repeated_adoptions(inputs.adoptions), inputs.gaz, source_ids, websites=websites,
                                          placements=inputs.corrections.placements(inputs.gaz) if inputs.corrections else None),
        **inputs.gazetteer,
    }
    rows = (facts_mod.seed_facts(inputs.vendors, transform.SEED_VERIFIED)
            + (facts_mod.service_name_facts(named) if len(named) else [])
            + facts_mod.submitted_facts(inputs.services, inputs.vendors)
            + facts_mod.research_facts(inputs.research.facts))
    if inputs.std is not None:
        std_services = _add_standardisation(tables, inputs, source_ids)
        rows += facts_mod.reference_facts(std_services, tables["std_vendors"], inputs.std.source("packages"))
    chosen = facts_mod.choose(rows)
    tables["services"], tables["service_categories"] = transform.prune_unnamed(
        tables["services"], tables["service_categories"],
        set(chosen.loc[chosen["entity_kind"].eq("service") & ~chosen["origin"].eq("seed"), "entity_id"]))
    known = set(tables["services"]["service_id"])
    chosen = chosen[chosen["entity_kind"].eq("organisation") | chosen["entity_id"].isin(known)]
    chosen = facts_mod.inherit(chosen.reset_index(drop=True), tables["services"])
    facts_mod.apply(tables, chosen, inputs.gaz, source_ids)
    tables["facts"] = facts_mod.table(chosen, source_ids)
    ado = tables["adoptions"]
    ado.loc[~ado["service_id"].isin(known), "service_id"] = None
    tables["sources"] = source_ids.frame()
    return tables


def _add_standardisation(tables: dict, inputs: Inputs, source_ids: transform.SourceIds) -> pd.DataFrame:
    """The std_* tables; the package vendors become organisations (standard-compliant services,
    the list as their source, the 法人番号 it states where the organisation had none)."""
    std = standardisation.tables(inputs.std, inputs.gazetteer["municipalities"], _with_fact_numbers(inputs.vendors, inputs.research), tables["organisations"])
    orgs = tables["organisations"]
    numbers = dict(zip(std["std_vendors"]["org_id"], std["std_vendors"]["corporate_number"]))
    orgs["corporate_number"] = orgs["corporate_number"].fillna(orgs["org_id"].map(numbers))
    tables["organisations"] = pd.concat([orgs, std.pop("_organisations")], ignore_index=True)
    std_services = std.pop("_services")
    tables["services"] = pd.concat([tables["services"], std_services], ignore_index=True)
    tables["service_categories"] = pd.concat([tables["service_categories"], std.pop("_service_categories")], ignore_index=True)
    url = inputs.std.source("packages")["source_url"]
    listed = pd.DataFrame({"org_id": sorted(set(std["std_vendors"]["org_id"])), "source_id": source_ids(url)})
    tables["organisation_sources"] = pd.concat([tables["organisation_sources"], listed], ignore_index=True).drop_duplicates()
    tables.update(std)
    return std_services


def build(out: Path | None = None, *, keep_going: bool = False, inputs: Inputs | None = None,
          progress: bool = True, meta: dict | None = None, allow_older: bool = False,
          lock_wait: float | None = None, locked: bool = False) -> tuple[Path, list[Problem]]:
    """Build the catalog under its build lock; raises BuildFailed (catalog untouched) on input errors
    unless keep_going, and OlderThanPublished when the catalog in place includes later approvals
    (unless allow_older).  ``locked``: the caller already holds the build lock."""
    out = Path(out or settings.path("catalog_path"))
    if locked:
        return _build(out, keep_going, inputs, progress, meta, allow_older)
    waiting = (lambda: print(f"waiting for another build of {out} to finish ...", file=sys.stderr)) if progress else None
    try:
        with build_lock(out, wait=lock_wait, on_wait=waiting):
            return _build(out, keep_going, inputs, progress, meta, allow_older)
    finally:
        _hand_over_publishes(out)


def _hand_over_publishes(out: Path) -> None:
    """A publish requested while this build held the lock found it taken and left the request to
    the lock's holder: start its builder now (only for the app's own catalog and store)."""
    if Path(out).resolve() != Path(settings.path("catalog_path")).resolve():
        return
    try:
        from govmap.review import publish
        from govmap.review.store import Store
        where = store_location(None)
        if store_exists(where) and Store(where).publish_open():
            publish.start_builder(where, out)
    except Exception as exc:  # the build itself is done; the next check of the app resumes the request
        print(f"WARNING: could not start the publish left open during this build: {exc}", file=sys.stderr)


def _build(out: Path, keep_going: bool, inputs: Inputs | None, progress: bool, meta: dict | None,
           allow_older: bool) -> tuple[Path, list[Problem]]:
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
    built = int(info.get("approval_watermark", 0) or 0)

    def not_older(_tmp: Path) -> None:  # under the lock, right before the swap
        current = catalog_watermark(out)
        if not allow_older and current is not None and built < current:
            raise OlderThanPublished(built, current)

    try:
        load.write_catalog(out, tables, info, progress=lambda name: steps.update(1), before_swap=not_older)
    finally:
        steps.close()
    return out, problems
