"""基幹業務・標準化 data in the catalog: every municipality, 特定移行支援 body and package row is there with
its source and as-of date; names that do not match are reported and kept; the boundaries file is the
one the ETL makes and stays within the map budget."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from etl import boundaries, standardisation
from govmap.finder.catalog import connect_read_only

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = pd.read_parquet(ROOT / "data" / "gazetteer" / "municipalities.parquet")


@pytest.fixture(scope="module")
def con(built_catalog):
    return connect_read_only(built_catalog)


def one(con, sql: str):
    return con.execute(sql).fetchone()


def test_every_municipality_has_its_progress_with_source_and_month(con):
    assert one(con, "SELECT count(*), count(code), count(DISTINCT code) FROM std_municipalities") == (1741, 1741, 1741)
    assert one(con, "SELECT count(*) FROM municipalities WHERE kind <> 'ward' AND code NOT IN (SELECT code FROM std_municipalities)") == (0,)
    assert one(con, "SELECT count(*), count(DISTINCT code), count(DISTINCT gyomu) FROM std_progress") == (34820, 1741, 20)
    assert one(con, """SELECT count(*) FROM std_progress WHERE code IS NULL OR gyomu IS NULL OR source_url IS NULL
                       OR data_month <> '2026-01' OR rate NOT BETWEEN 0 AND 1""") == (0,)
    # 北九州市: the source's figure, joined through the gazetteer code
    assert one(con, "SELECT code, round(overall_rate, 4) FROM v_std_municipalities WHERE municipality_name = '北九州市'") == ("401005", 0.3488)


def test_tokutei_bodies_and_systems(con):
    assert one(con, "SELECT count(DISTINCT code), count(*) FROM std_tokutei") == (935, 8956)
    assert one(con, "SELECT count(DISTINCT municipality_code) FROM std_tokutei") == (898,)
    assert one(con, "SELECT count(DISTINCT code) FROM std_tokutei WHERE body_type = '都道府県'") == (37,)
    assert one(con, "SELECT count(*) FROM std_tokutei WHERE gyomu IS NULL OR as_of <> '2025-12-31' OR source_url IS NULL") == (0,)


def test_packages_and_vendors_with_source_and_as_of(con):
    entries, vendors, rows = one(con, "SELECT count(DISTINCT entry_no), count(DISTINCT org_id), count(*) FROM std_packages")
    assert entries >= 206 and vendors == 39 and rows >= 206
    assert one(con, "SELECT count(*) FROM std_packages WHERE source_url IS NULL OR as_of IS NULL") == (0,)
    # the row the reference CSV had lost, and the one listed without a number (kept, not conformant)
    assert one(con, "SELECT org_id FROM std_packages WHERE conformance_no = '001_6010701025710_1'") == ("hitachi_systems",)
    assert one(con, "SELECT conformant FROM v_std_packages WHERE package_name = 'COKAS-i' AND function_name = '固定資産税'") == (False,)
    # every vendor is an organisation, standard-compliant, with the list as a source
    assert one(con, """SELECT count(*) FROM v_organisations WHERE standard_compliant
                       AND org_id IN (SELECT org_id FROM std_vendors)""") == (39,)
    url = one(con, "SELECT source_url FROM std_sources WHERE dataset = 'packages'")[0]
    assert one(con, f"""SELECT count(DISTINCT org_id) FROM v_organisations, unnest(source_urls) AS u(url)
                        WHERE url = '{url}'""") == (39,)


def test_vendors_match_existing_organisations_and_new_ones_carry_only_listed_facts(con):
    assert one(con, "SELECT corporate_number, standard_compliant FROM v_organisations WHERE org_id = 'nec'") == ("7010401022916", True)
    assert one(con, "SELECT org_id FROM std_vendors WHERE corporate_number = '7120001077523'") == ("ntt_west",)
    new = con.execute("""SELECT org_id, corporate_number, hq_address, org_type, website, origin, categories
                         FROM v_organisations WHERE origin = 'reference'""").fetchall()
    assert len(new) == one(con, "SELECT count(*) FROM std_vendors WHERE matched_by = 'new'")[0] > 0
    sourced = {(e, f) for e, f in con.execute("SELECT entity_id, field FROM v_fact_sources WHERE entity_kind = 'organisation'").fetchall()}
    for org_id, number, hq, org_type, website, origin, categories in new:
        # what the list states, plus only what a cited page states (data/research)
        assert org_id == f"std_{number}" and org_type is None
        assert hq is None or (org_id, "hq_address") in sourced
        assert website is None or (org_id, "website") in sourced
        assert "core_systems" in categories


def test_gyomu_list_maps_every_source_name(con):
    assert one(con, "SELECT count(*), count(*) FILTER (WHERE is_common) FROM gyomu") == (21, 1)
    assert one(con, "SELECT gyomu FROM gyomu_aliases WHERE alias = '住民基本台帳'") == ("resident_registry",)
    assert one(con, "SELECT gyomu FROM gyomu_aliases WHERE alias = '戸籍の附票'") == ("family_register_annex",)
    assert one(con, "SELECT gyomu FROM gyomu_aliases WHERE alias = '就学援助'") == ("school_enrolment",)
    assert set(c for (c,) in con.execute("SELECT code FROM gyomu").fetchall()) == {
        c for (c,) in con.execute("SELECT DISTINCT gyomu FROM std_tokutei").fetchall()}


@pytest.fixture
def std_copy(tmp_path) -> Path:
    folder = tmp_path / "standardisation"
    shutil.copytree(ROOT / "data" / "standardisation", folder)
    return folder


def test_an_unmatched_municipality_name_is_reported_and_kept(std_copy):
    path = std_copy / "municipality_progress.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("福岡県,北九州市,", "福岡県,北久州市,", 1), encoding="utf-8")
    std = standardisation.read(std_copy)
    problems = [p for p in standardisation.problems(std, GAZETTEER) if p.column == "name"]
    assert len(problems) == 1 and "北久州市" in problems[0].reason and problems[0].severity == "warning"
    assert problems[0].file == "municipality_progress.csv" and problems[0].row > 1
    seed = pd.read_csv(ROOT / "data" / "seed" / "vendors.csv", dtype=str).fillna("")
    orgs = pd.DataFrame(columns=["org_id"])
    tables = standardisation.tables(std, GAZETTEER, seed, orgs)
    kept = tables["std_municipalities"]
    assert len(kept) == 1741 and kept["code"].isna().sum() == 1
    assert kept.loc[kept["code"].isna(), "municipality_name"].tolist() == ["北久州市"]
    line = standardisation.report(std, GAZETTEER, seed)[0]
    assert "1740 of 1741" in line


def test_a_bad_rate_or_corporate_number_is_an_error(std_copy):
    path = std_copy / "standard_packages.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",9470001000472,", ",9470001000473,", 1), encoding="utf-8")
    errors = [p for p in standardisation.problems(standardisation.read(std_copy), GAZETTEER) if p.severity == "error"]
    assert [(p.file, p.column) for p in errors] == [("standard_packages.csv", "corporate_numbers")]
    assert "check digit" in errors[0].reason


def test_validate_command_reports_name_matching():
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "etl", "validate"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "1741 of 1741 municipality names matched" in proc.stdout
    assert "39 package vendors" in proc.stdout


def test_boundaries_file_is_the_etl_output_and_within_budget():
    served = json.loads(boundaries.OUT.read_text(encoding="utf-8"))
    made, report = boundaries.municipal_geojson(GAZETTEER)
    assert served == made
    assert boundaries.OUT.stat().st_size <= boundaries.PAYLOAD_BUDGET
    codes = [f["properties"]["code"] for f in served["features"]]
    base = set(GAZETTEER.loc[GAZETTEER["kind"] != "ward", "code"])
    assert len(codes) == len(set(codes)) == 1741 and set(codes) == base
    assert report["polygons"] >= 1700  # the rest are drawn as points (data/boundaries/SOURCES.md)


def test_analysts_doc_core_systems_examples_agree_with_the_tables(built_catalog):
    from govmap.finder import sqlconsole
    from govmap.finder.catalog import Catalog
    examples = {e.title: e.sql for e in sqlconsole.examples() if e.title.startswith("Core systems")}
    assert len(examples) >= 4
    cat = Catalog(built_catalog)
    run = lambda title: sqlconsole.run(cat, examples[title]).frame  # noqa: E731
    fewest = run("Core systems: 業務 with the fewest conformant vendors")
    assert len(fewest) == 20 and fewest["n_vendors"].iloc[0] == fewest["n_vendors"].min() == 2
    prefs = run("Core systems: prefectures with the most 特定移行支援 systems")
    assert len(prefs) == 47 and prefs["systems"].sum() == 8956 and prefs["bodies"].sum() == 935
    below = run("Core systems: municipalities below 50 % per prefecture")
    assert below["municipalities"].sum() == 1741
    covering = run("Core systems: vendors covering the most 業務")
    assert len(covering) == 39 and covering["gyomu_covered"].is_monotonic_decreasing
