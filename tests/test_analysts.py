"""Analyst access: the documented examples run (console, CLI, Python), the console refuses every
hostile statement and stays usable, and bulk exports open correctly in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from govmap.finder import sqlconsole
from govmap.finder.catalog import Catalog, QueryInterrupted
import shipped

ROOT = Path(__file__).resolve().parent.parent
DUCKDB_CLI = Path(sys.executable).parent / "duckdb"
TIMEOUT = 60


@pytest.fixture(scope="module")
def catalog(built_catalog):
    return Catalog(built_catalog)


@pytest.fixture
def fast_limits(monkeypatch):
    """Tight limits so the timeout and truncation paths really run."""
    monkeypatch.setenv("GOVMAP_SQL_TIME_LIMIT_MS", "500")
    monkeypatch.setenv("GOVMAP_MAX_RETURNED_ROWS", "100")


EXAMPLES = sqlconsole.examples()


def test_the_document_has_at_least_ten_examples_with_titles():
    assert len(EXAMPLES) >= 10
    assert len({e.title for e in EXAMPLES}) == len(EXAMPLES)
    titles = " ".join(e.title for e in EXAMPLES)
    for question in ("Kyushu", "more than five municipalities", "open export formats and an API",
                     "per prefecture per year"):
        assert question in titles


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.title[:40] for e in EXAMPLES])
def test_every_documented_example_runs_in_the_console(catalog, example):
    result = sqlconsole.run(catalog, example.sql)
    assert not result.truncated and len(result.frame.columns) >= 1


def test_documented_examples_give_the_same_answers_in_the_cli_while_the_app_holds_the_file(catalog, built_catalog):
    """`duckdb -readonly` (the duckdb-cli package) in another process, while this process (like the
    app) holds the catalog open read-only with its sandbox configuration."""
    for example in EXAMPLES:
        proc = subprocess.run([str(DUCKDB_CLI), "-readonly", "-json", str(built_catalog), "-c", example.sql],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, (example.title, proc.stderr)
        rows = json.loads(proc.stdout or "[]")
        assert len(rows) == len(sqlconsole.run(catalog, example.sql).frame), example.title


def test_more_than_five_municipalities_agrees_with_the_adoption_rows(catalog):
    example = next(e for e in EXAMPLES if "more than five municipalities" in e.title)
    answer = sqlconsole.run(catalog, example.sql).frame
    adoptions = catalog.frame("SELECT org_id, adopter_code, adopter_kind FROM v_adoptions")
    counts = adoptions[adoptions["adopter_kind"] == "municipality"].groupby("org_id")["adopter_code"].nunique()
    assert dict(zip(answer["org_id"], answer["municipalities"])) == counts[counts > 5].to_dict()
    assert len(answer) >= 3


def test_adoptions_per_prefecture_per_year_sum_to_the_dated_adoptions(catalog):
    example = next(e for e in EXAMPLES if "per prefecture per year" in e.title)
    answer = sqlconsole.run(catalog, example.sql).frame
    dated = catalog.frame("SELECT count(*) AS n FROM adoptions WHERE year IS NOT NULL AND adopter_kind <> 'national'")
    assert answer["adoptions"].sum() == dated["n"][0] > 0


HOSTILE = {
    "copy_to": "COPY organisations TO '/tmp/govmap-leak.csv'",
    "copy_from": "COPY organisations FROM '/etc/passwd'",
    "export_database": "EXPORT DATABASE '/tmp/govmap-export'",
    "attach_store": f"ATTACH '{ROOT}/data/store/submissions.sqlite' AS store",
    "attach_memory": "ATTACH ':memory:' AS scratch",
    "install": "INSTALL httpfs",
    "load": "LOAD sqlite_scanner",
    "set_memory": "SET memory_limit = '20GB'",
    "set_external": "SET enable_external_access = true",
    "set_lock": "SET lock_configuration = false",
    "reset": "RESET memory_limit",
    "pragma": "PRAGMA threads = 16",
    "create_temp_table": "CREATE TEMP TABLE t AS SELECT 1",
    "create_temp_view": "CREATE TEMPORARY VIEW v AS SELECT 1",
    "create_macro": "CREATE TEMP MACRO m() AS 1",
    "create_table": "CREATE TABLE x (a INT)",
    "insert": "INSERT INTO categories VALUES ('x', 'x', 'x', 99)",
    "update": "UPDATE organisations SET name_ja = 'x'",
    "delete": "DELETE FROM adoptions",
    "drop": "DROP VIEW v_organisations",
    "alter": "ALTER TABLE organisations ADD COLUMN x INT",
    "two_statements": "SELECT 1; SELECT 2",
    "select_then_drop": "SELECT 1; DROP TABLE organisations",
    "call": "CALL pragma_database_size()",
    "set_variable": "SET VARIABLE x = 1",
    "checkpoint": "CHECKPOINT",
    "pivot_alone": "PIVOT organisations ON org_type",
    "empty": "   ",
    "garbage": "SELEKT * FORM x",
}


@pytest.mark.parametrize("sql", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_console_refuses_anything_but_one_select_with_a_clear_message(catalog, sql):
    with pytest.raises(sqlconsole.Refused) as refused:
        sqlconsole.run(catalog, sql)
    assert refused.value.ja and refused.value.en and refused.value.ja != refused.value.en
    assert not Path("/tmp/govmap-leak.csv").exists()


SANDBOXED_READS = {
    "read_csv_local": "SELECT * FROM read_csv('/etc/passwd')",
    "read_parquet_local": f"SELECT * FROM read_parquet('{ROOT}/data/gazetteer/municipalities.parquet')",
    "glob": "SELECT * FROM glob('/etc/*')",
    "read_text": "SELECT * FROM read_text('/etc/hostname')",
    "http_read": "SELECT * FROM read_csv('https://example.com/data.csv')",
    "sqlite_scan": f"SELECT * FROM sqlite_scan('{ROOT}/data/store/submissions.sqlite', 'submissions')",
    "query_function": "SELECT * FROM query('CREATE TEMP TABLE z AS SELECT 1')",
}


@pytest.mark.parametrize("sql", SANDBOXED_READS.values(), ids=SANDBOXED_READS.keys())
def test_selects_that_reach_files_network_or_extensions_fail_in_the_sandbox(catalog, sql):
    sqlconsole.check(catalog, sql)  # a SELECT to the parser: the connection itself must stop it
    with pytest.raises(duckdb.Error):
        sqlconsole.run(catalog, sql)
    assert sqlconsole.run(catalog, "SELECT 42 AS ok").frame["ok"][0] == 42


def test_limits_stay_locked_after_every_attempt_to_lift_them(catalog):
    for sql in HOSTILE.values():
        with pytest.raises(sqlconsole.Refused):
            sqlconsole.run(catalog, sql)
    settings_now = catalog.frame("""SELECT name, value FROM duckdb_settings()
                                    WHERE name IN ('enable_external_access', 'lock_configuration', 'threads')""")
    values = dict(zip(settings_now["name"], settings_now["value"]))
    assert values == {"enable_external_access": "false", "lock_configuration": "true", "threads": "2"}
    # Even straight on the connection (bypassing the statement check), the configuration is locked.
    with pytest.raises(duckdb.Error):
        catalog.query("SET memory_limit = '20GB'")


@pytest.mark.parametrize("sql", [
    "SELECT count(*) FROM range(1000000000) a, range(1000000000) b",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT max(n) FROM r",
], ids=["cross_join", "recursive_cte"])
def test_runaway_queries_stop_at_the_time_limit_and_the_next_query_works(catalog, fast_limits, sql):
    started = time.perf_counter()
    with pytest.raises(QueryInterrupted):
        sqlconsole.run(catalog, sql)
    assert time.perf_counter() - started < 5
    assert sqlconsole.run(catalog, "SELECT count(*) AS n FROM organisations").frame["n"][0] == shipped.organisations()


def test_millions_of_rows_are_capped_and_reported(catalog, fast_limits):
    result = sqlconsole.run(catalog, "SELECT range AS n FROM range(5000000)")
    assert result.truncated and len(result.frame) == result.max_rows == 100


def test_full_width_sql_folds_at_the_boundary(catalog):
    assert sqlconsole.run(catalog, "ＳＥＬＥＣＴ　１＋１ AS two").frame["two"][0] == 2
    # Comments keep ending at the line end (newlines are not collapsed).
    assert sqlconsole.run(catalog, "-- a comment\nSELECT 3 AS three").frame["three"][0] == 3


# -- the page ----------------------------------------------------------------------------------
def sql_page() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "sql.py"), default_timeout=TIMEOUT).run()


def run_sql(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="sql_text").set_value(sql)
    at.button(key="sql_run").click()
    return at.run()


def test_page_runs_an_example_and_offers_bom_csv_and_parquet(catalog_env):
    at = sql_page()
    assert not at.exception and at.title[0].value == "SQL分析"
    at.selectbox(key="sql_example").set_value(1).run()
    assert at.text_area(key="sql_text").value == EXAMPLES[1].sql
    at.button(key="sql_run").click().run()
    assert not at.exception and not at.error
    table = at.dataframe[-1].value
    assert len(table) == len(sqlconsole.run(Catalog(catalog_env), EXAMPLES[1].sql).frame)


def test_page_refuses_hostile_sql_with_a_message_and_stays_usable(catalog_env):
    at = sql_page()
    at = run_sql(at, "DROP VIEW v_organisations")
    assert not at.exception
    assert "DROP" in at.error[0].value
    at = run_sql(at, "SELECT count(*) AS n FROM v_organisations")
    assert not at.error and at.dataframe[-1].value["n"][0] == shipped.organisations()


def test_page_reports_timeouts_and_truncation(catalog_env, fast_limits):
    at = sql_page()
    at = run_sql(at, "SELECT count(*) FROM range(1000000000) a, range(1000000000) b")
    assert not at.exception and "500" in at.error[0].value
    at = run_sql(at, "SELECT range FROM range(1000)")
    assert not at.error and any("100" in w.value for w in at.warning)
    assert len(at.dataframe[-1].value) == 100


def test_page_in_english(catalog_env):
    at = AppTest.from_file(str(ROOT / "pages" / "sql.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.run()
    at = run_sql(at, "INSTALL httpfs")
    assert at.title[0].value == "SQL console" and "INSTALL" in at.error[0].value and "Not run" in at.error[0].value


# -- bulk exports ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_catalog(tmp_path_factory):
    """The shipped catalog plus one vendor whose text is an Excel formula (as a submission could be)."""
    import shutil
    from etl.build import build, read_inputs
    seed = tmp_path_factory.mktemp("seed")
    shutil.copytree(ROOT / "data" / "seed", seed, dirs_exist_ok=True)
    vendors = pd.read_csv(seed / "vendors.csv", dtype=str, keep_default_na=False)
    row = vendors.iloc[0].copy()
    row["vendor_key"], row["name_ja"], row["name_en"] = "formula_test", "株式会社数式テスト", "=HYPERLINK(\"http://x\",\"y\")"
    row["offerings_ja"], row["corporate_number"] = "@SUM(A1:A9);-1+2", ""
    pd.concat([vendors, row.to_frame().T]).to_csv(seed / "vendors.csv", index=False)
    out = tmp_path_factory.mktemp("hostile") / "catalog.duckdb"
    build(out, inputs=read_inputs(seed_dir=seed, with_submissions=False), progress=False)
    return out


def test_bulk_csv_export_is_excel_safe(hostile_catalog, tmp_path):
    out = tmp_path / "csv"
    proc = subprocess.run([sys.executable, "-m", "etl", "export", "--format", "csv", "--out", str(out),
                           "--catalog", str(hostile_catalog)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    con = duckdb.connect(str(hostile_catalog), read_only=True)
    relations = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert {p.stem for p in out.glob("*.csv")} == relations
    raw = (out / "v_organisations.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 Japanese correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 146
    hostile = next(r for r in rows if r["org_id"] == "formula_test")
    assert hostile["name_ja"] == "株式会社数式テスト"
    assert hostile["name_en"].startswith("'=")
    assert hostile["offerings_ja"].startswith("'")  # "-1+2; @SUM(…)": the first character is what Excel reads
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    graffer = next(r for r in rows if r["org_id"] == "graffer")
    assert "online_forms" in graffer["categories"].split("; ") and "[" not in graffer["categories"]
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "GeoNames" in readme


def test_bulk_parquet_export_keeps_types(built_catalog, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "etl", "export", "--format", "parquet", "--out", str(tmp_path),
                           "--catalog", str(built_catalog)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    orgs = pd.read_parquet(tmp_path / "v_organisations.parquet")
    assert len(orgs) == shipped.organisations() and "online_forms" in list(orgs.set_index("org_id").loc["graffer", "categories"])
    assert (tmp_path / "README.txt").exists() and len(list(tmp_path.glob("*.parquet"))) >= 19
    assert not list(tmp_path.glob(".*tmp*"))


def test_page_describes_every_view_and_column(catalog_env):
    at = sql_page()
    options = at.selectbox(key="sql_schema_pick").options
    assert options[0].startswith("v_") and "v_organisations" in options and "organisations" in options
    at.selectbox(key="sql_schema_pick").set_value("v_concentration").run()
    columns = at.dataframe[0].value
    assert "hhi" in set(columns["column"]) and columns["meaning"].notna().all()
