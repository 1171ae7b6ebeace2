"""Data quality (issue 14, item 7): the catalog audit of `python -m etl validate` and the figures of
`python -m etl report`, on the shipped catalog (expectations derived from the catalog itself, since
research keeps adding rows) and on small crafted research slices that must fail."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import audit, report
from etl.__main__ import main as etl_main
from etl.build import build, read_inputs
from etl.facts import MAIN_FLAGS
from govmap import validators
from govmap.finder import adoption_kinds

HEADERS = {
    "organisations": ("org_key", "name_ja", "name_en", "org_type", "categories", "offerings_ja", "offerings_en",
                      "description", "website", "source_url", "as_of"),
    "services": ("service_key", "org_key", "name_ja", "name_en", "categories", "offerings_ja", "description",
                 "source_url", "as_of"),
    "facts": ("entity_kind", "entity_key", "field", "value", "source_url", "as_of", "source_quality"),
    "adoptions": ("org_key", "service_key", "adopter_name_ja", "adopter_prefecture", "category", "service_name",
                  "year", "adoption_kind", "source_url", "as_of", "source_quality"),
}
SOURCE = "https://qa-aggregator.example.org/company/"


def corporate_number(base12: str) -> str:
    return f"{validators.corporate_number_check_digit(base12)}{base12}"


SHARED_NUMBER = corporate_number("999999999901")  # valid, and no real organisation's
INVALID_NUMBER = SHARED_NUMBER[1:] + ("1" if SHARED_NUMBER[0] != "1" else "2")  # 13 digits, wrong check digit


def write_slice(root: Path, name: str, **files: list[tuple]) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for file, rows in files.items():
        with (folder / f"{file}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS[file])
            writer.writerows(rows)
    return root


def organisations() -> list[tuple]:
    return [("qa_alpha", "QAアルファ株式会社", "QA Alpha", "sme", "core_systems", "住民記録", "", "Crafted for a test.", "",
             SOURCE + "alpha", "2026-12"),
            ("qa_beta", "QAアルファ販売株式会社", "QA Alpha Sales", "sme", "core_systems", "住民記録", "", "Crafted for a test.", "",
             SOURCE + "beta", "2026-12"),
            ("qa_gamma", "QAアルファ総研株式会社", "QA Alpha Research", "sme", "core_systems", "住民記録", "", "Crafted for a test.",
             "", SOURCE + "gamma", "2026-12")]


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """No submission store, and the catalog setting pointed away from data/."""
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(tmp_path / "no-store" / "submissions.sqlite"))
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(tmp_path / "unused" / "catalog.duckdb"))


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    """A catalog built from the shipped seed plus one crafted slice: two organisations sharing a
    法人番号, a third whose name contains theirs, weak sources, an adopter named as a merged municipality."""
    root = write_slice(
        tmp_path_factory.mktemp("research"), "qa",
        organisations=organisations(),
        facts=[("organisation", "qa_alpha", "corporate_number", SHARED_NUMBER, SOURCE + "alpha", "2026-12", "aggregator"),
               ("organisation", "qa_beta", "corporate_number", SHARED_NUMBER, SOURCE + "beta", "2026-12", "aggregator")],
        adoptions=[("qa_alpha", "", "浦和市(現・さいたま市)", "埼玉県", "core_systems", "住民記録システム", "1999", "contract",
                    SOURCE + "urawa", "2026-12", "aggregator")])
    inputs = read_inputs(research_dir=root, with_submissions=False)
    where = audit.Locator(inputs)
    out, _ = build(tmp_path_factory.mktemp("crafted") / "catalog.duckdb", inputs=inputs, progress=False)
    con = duckdb.connect(str(out), read_only=True)
    yield {check.name: check for check in audit.run(con, where)}
    con.close()


# -- the shipped catalog ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped(built_catalog):
    con = duckdb.connect(str(built_catalog), read_only=True)
    yield con
    con.close()


def test_shipped_catalog_has_no_audit_errors(built_catalog):
    checks = audit.audit_catalog(built_catalog, read_inputs(with_submissions=False))
    errors = [str(p) for c in checks if c.severity == "error" for p in c.problems]
    assert errors == []
    assert [c.name for c in checks] == [f.__name__ for f in audit.CHECKS]


def test_shipped_findings_name_an_input_file_and_row(built_catalog):
    checks = {c.name: c for c in audit.audit_catalog(built_catalog, read_inputs(with_submissions=False))}
    for name in ("organisations_without_head_office", "services_without_name", "similar_legal_entities"):
        unlocated = [str(p) for p in checks[name].problems if not p.file.endswith(".csv") or p.row < 2]
        assert unlocated == [], name


def test_audit_counts_match_sql(shipped):
    checks = {c.name: c for c in audit.run(shipped)}
    assert checks["organisations_without_head_office"].count == shipped.execute(
        "SELECT count(*) FROM organisations WHERE hq_pref_code IS NULL").fetchone()[0]
    assert checks["services_without_name"].count == shipped.execute(
        "SELECT count(*) FROM services WHERE name_ja IS NULL AND name_en IS NULL").fetchone()[0]
    weak = shipped.execute("""
        SELECT (SELECT count(*) FROM v_fact_sources WHERE source_quality IN ('aggregator', 'other'))
             + (SELECT count(*) FROM adoptions WHERE source_quality IN ('aggregator', 'other'))""").fetchone()[0]
    assert checks["weak_source_domains"].rows == weak


def test_report_figures_equal_sql(shipped):
    f = report.figures(shipped)
    orgs = shipped.execute("SELECT * FROM organisations").df()
    services = shipped.execute("SELECT * FROM services").df()
    adoptions = shipped.execute("SELECT a.*, m.kind, m.parent_code FROM adoptions a LEFT JOIN municipalities m ON m.code = a.adopter_code").df()
    assert f["organisations"] == len(orgs)
    assert f["org_hq_municipality"] == orgs["hq_municipality_code"].notna().sum()
    assert f["org_hq_any"] == orgs["hq_pref_code"].notna().sum()
    numbers = orgs["corporate_number"].dropna()
    assert f["org_corporate_number_valid"] == sum(audit.is_valid_corporate_number(n) for n in numbers)
    assert f["org_corporate_number_valid"] + f["org_corporate_number_invalid"] == len(numbers)
    assert f["services"] == len(services)
    assert f["svc_named"] == (services["name_ja"].notna() | services["name_en"].notna()).sum()
    known = pd.DataFrame({flag: services[flag].notna() for flag in MAIN_FLAGS})
    known["ismap"] |= services["ismap_liu"].notna()
    for flag in MAIN_FLAGS:
        assert f[f"svc_flag_{flag}"] == known[flag].sum(), flag
    assert f["svc_flags_3plus"] == (known.sum(axis=1) >= 3).sum()
    assert f["adoptions"] == len(adoptions)
    assert f["adoptions_with_kind"] == adoptions["adoption_kind"].isin(adoption_kinds.KINDS).sum()
    assert f["adoptions_with_year"] == adoptions["year"].notna().sum()
    municipal = adoptions[adoptions["adopter_kind"].eq("municipality") & adoptions["kind"].notna()]
    assert f["adopter_municipalities"] == municipal["parent_code"].fillna(municipal["adopter_code"]).nunique()
    assert f["municipalities"] == 1741  # the country's municipalities and Tokyo's wards, not designated-city wards
    facts = shipped.execute("SELECT * FROM facts").df()
    assert (f["facts"], f["facts_in_use"]) == (len(facts), facts["in_use"].sum())


def test_report_tables_add_up(shipped):
    f = report.figures(shipped)
    tables = {t.title.split(" (")[0]: t for t in report.tables(shipped, f)}
    by_kind = tables["導入実績の種別 / Adoptions by kind"].rows
    assert sum(r[3] for r in by_kind) == f["adoptions"]
    prefectures = tables["都道府県別 / Per prefecture"].rows
    assert len(prefectures) == 48  # 47 and the unknown/national row
    assert sum(r[2] for r in prefectures) == f["organisations"]
    assert sum(r[3] for r in prefectures) == f["adoptions"]
    assert sum(r[4] for r in prefectures[:47]) == f["adopter_municipalities"]
    assert sum(r[5] for r in prefectures[:47]) == f["municipalities"]
    origins = tables["事実 / Facts by origin"].rows
    assert sum(r[1] for r in origins[:-1]) == origins[-1][1] == f["facts"]


def test_targets_follow_the_figures(shipped):
    f = report.figures(shipped)
    met = {name.split(" / ")[0]: ok for name, _, ok in report.targets(f)}
    assert met["≥300 organisations"] == (f["organisations"] >= 300)
    assert met["≥80 % services named"] == (f["svc_named"] >= 0.8 * f["services"])
    assert met["every known flag has a v_fact_sources row"] == (f["known_flags_unsourced"] == 0)
    assert met["≥300 adopter municipalities"] == (f["adopter_municipalities"] >= 300)
    missing = shipped.execute("""
        SELECT count(*) FROM std_vendors v WHERE NOT EXISTS
          (SELECT 1 FROM services s WHERE s.org_id = v.org_id AND s.standard_compliant)""").fetchone()[0]
    assert met["every conformance-list vendor has a standard_compliant service"] == (missing == 0)
    assert len(met) == 9


def test_report_command_prints_text_and_writes_markdown(built_catalog, tmp_path, capsys):
    md = tmp_path / "quality.md"
    assert etl_main(["report", "--catalog", str(built_catalog), "--markdown", str(md)]) == 0
    out = capsys.readouterr().out
    written = md.read_text(encoding="utf-8")
    con = duckdb.connect(str(built_catalog), read_only=True)
    try:
        titles = [t.title for t in report.tables(con)]
        n = con.execute("SELECT count(*) FROM adoptions").fetchone()[0]
    finally:
        con.close()
    for title in titles:
        assert f"== {title} ==" in out and f"## {title}" in written
    assert f"導入実績 / Adoptions ({n:,})" in out
    assert "| target | measured | met |" in written and ("✓" in written or "✗" in written)


# -- crafted slices that must fail ----------------------------------------------------------------------
def test_duplicate_corporate_number_is_an_error_naming_file_and_row(crafted):
    problems = crafted["duplicate_corporate_numbers"].problems
    assert [(p.file, p.row, p.column, p.severity) for p in problems] == [("qa/facts.csv", 3, "corporate_number", "error")]
    assert "qa_alpha" in problems[0].reason and SHARED_NUMBER in problems[0].reason


def test_crafted_warnings(crafted):
    similar = [p for p in crafted["similar_legal_entities"].problems if "qa_" in p.reason]
    # qa_beta contains qa_alpha's name too, but their shared 法人番号 is already an error
    assert [(p.file, p.row, p.severity) for p in similar] == [("qa/organisations.csv", 4, "warning")]
    assert "qa_gamma" in similar[0].reason and "qa_alpha" in similar[0].reason and "法人番号 unknown for qa_gamma" in similar[0].reason
    former = [p for p in crafted["former_municipality_adopters"].problems if p.file == "qa/adoptions.csv"]
    assert [(p.row, "浦和市" in p.reason) for p in former] == [(2, True)]
    weak = [p for p in crafted["weak_source_domains"].problems if p.column == "qa-aggregator.example.org"]
    assert len(weak) == 1 and "2 fact(s) in use and 1 adoption(s)" in weak[0].reason
    no_hq = {(p.file, p.row) for p in crafted["organisations_without_head_office"].problems}
    assert {("qa/organisations.csv", 2), ("qa/organisations.csv", 3), ("qa/organisations.csv", 4)} <= no_hq
    unnamed = {(p.file, p.row) for p in crafted["services_without_name"].problems}
    assert ("qa/organisations.csv", 2) in unnamed  # qa_alpha:1, its offerings only
    assert not crafted["invalid_corporate_numbers"].problems and not crafted["facts_without_source"].problems


def test_validate_reports_invalid_and_duplicate_corporate_numbers(tmp_path, isolated, monkeypatch, capsys):
    root = write_slice(
        tmp_path / "research", "qa", organisations=organisations(),
        # a named service: a slice without services.csv makes etl/build._drop_bad_rows fail (reported)
        services=[("qa_gamma:suite", "qa_gamma", "QAスイート", "", "core_systems", "", "", SOURCE + "gamma", "2026-12")],
        facts=[("organisation", "qa_alpha", "corporate_number", INVALID_NUMBER, SOURCE + "alpha", "2026-12", "vendor"),
               ("organisation", "qa_alpha", "website", "https://qa-alpha.example.org/", SOURCE + "alpha", "2026-12", "vendor"),
               ("organisation", "qa_beta", "corporate_number", SHARED_NUMBER, SOURCE + "beta", "2026-12", "vendor"),
               ("organisation", "qa_alpha", "legal_name", "QAアルファ株式会社", SOURCE + "alpha", "2026-12", "vendor"),
               ("organisation", "qa_alpha", "corporate_number", SHARED_NUMBER, SOURCE + "alpha2", "2026-12", "vendor")])
    monkeypatch.setenv("GOVMAP_RESEARCH_DIR", str(root))
    assert etl_main(["validate"]) == 1
    err = capsys.readouterr().err
    assert f"ERROR qa/facts.csv:2 [value] corporate number check digit does not match: '{INVALID_NUMBER}'" in err
    assert "ERROR qa/facts.csv:4 [corporate_number] organisation qa_beta" in err and "as has qa_alpha" in err


def test_catalog_errors_are_found_in_a_damaged_catalog(built_catalog, tmp_path):
    damaged = tmp_path / "damaged.duckdb"
    shutil.copy(built_catalog, damaged)
    con = duckdb.connect(str(damaged))
    org_id = con.execute("SELECT min(org_id) FROM organisations WHERE corporate_number IS NOT NULL").fetchone()[0]
    con.execute("UPDATE organisations SET corporate_number = ? WHERE org_id = ?", [INVALID_NUMBER, org_id])
    service_id = con.execute("SELECT min(service_id) FROM services WHERE dmp_listed IS NULL").fetchone()[0]
    con.execute("UPDATE services SET dmp_listed = TRUE WHERE service_id = ?", [service_id])
    source_id = con.execute("SELECT min(source_id) FROM facts WHERE in_use AND entity_kind = 'organisation'").fetchone()[0]
    orphaned = con.execute("SELECT count(*) FROM facts WHERE source_id = ?", [source_id]).fetchone()[0]
    con.execute("DELETE FROM sources WHERE source_id = ?", [source_id])
    f = report.figures(con)
    con.close()
    checks = {c.name: c for c in audit.audit_catalog(damaged)}
    invalid = checks["invalid_corporate_numbers"].problems
    assert [(p.file, p.severity) for p in invalid] == [("catalog.organisations", "error")] and org_id in invalid[0].reason
    unsourced = checks["facts_without_source"].problems
    assert sum("dmp_listed = true" in p.reason and service_id in p.reason for p in unsourced) == 1
    assert sum("fact without a source URL" in p.reason for p in unsourced) == orphaned
    met = {name.split(" / ")[0]: ok for name, _, ok in report.targets(f)}
    assert f["org_corporate_number_invalid"] == 1 and not met["≥40 % valid 法人番号 and 0 invalid"]
    assert not met["every known flag has a v_fact_sources row"]


def test_a_build_that_fails_is_an_audit_error(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr("etl.build.build", broken)
    checks = audit.audit_inputs(read_inputs(with_submissions=False, with_research=False, with_standardisation=False))
    assert [(c.name, c.severity, c.count) for c in checks] == [("build", "error", 1)]
    assert "disk full" in checks[0].problems[0].reason
