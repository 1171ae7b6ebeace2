"""The ETL build: real seed data in, a real DuckDB catalog out, swapped in atomically."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.build import BuildFailed, build, read_inputs
from govmap.finder.catalog import Catalog, connect_read_only
from govmap.geocode import Gazetteer
import shipped

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_catalog_holds_every_seed_row_and_source(built_catalog):
    con = connect_read_only(built_catalog)
    assert con.execute("SELECT count(*) FROM organisations WHERE origin = 'seed'").fetchone()[0] == 117
    # plus the package vendors of the conformance list that are no other organisation (etl/standardisation.py)
    assert con.execute("SELECT count(*) FROM organisations WHERE origin = 'reference'").fetchone()[0] == \
        con.execute("SELECT count(*) FROM std_vendors WHERE matched_by = 'new'").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM adoptions").fetchone()[0] == shipped.figures()["adoptions"]
    assert con.execute("SELECT count(*) FROM categories").fetchone()[0] == shipped.figures()["categories"]
    # Every source URL of the seed is in the catalog.
    import csv
    urls = set()
    with open(ROOT / "data/seed/vendors.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            urls |= {u.strip() for u in row["sources"].split(";") if u.strip()}
    with open(ROOT / "data/seed/adoptions.csv", encoding="utf-8") as f:
        urls |= {row["source_url"].strip() for row in csv.DictReader(f)}
    stored = {r[0] for r in con.execute("SELECT url FROM sources").fetchall()}
    assert urls <= stored


def test_catalog_views_answer_for_a_known_vendor(built_catalog):
    con = connect_read_only(built_catalog)
    row = con.execute("""SELECT name_ja, hq_pref_name, hq_municipality_name, located, categories, n_adoptions, has_api
                         FROM v_organisations WHERE org_id = 'graffer'""").fetchone()
    assert row[0] == "株式会社グラファー" and row[1] == "東京都" and row[2] == "渋谷区" and row[3] is True
    assert "online_forms" in row[4] and row[5] >= 3
    assert row[6] is None  # the seed says nothing about an API: unknown, never "no"


UNSOURCED_HQ_SQL = """SELECT org_id FROM organisations o WHERE origin = 'seed' AND NOT EXISTS (
                          SELECT 1 FROM v_fact_sources f WHERE f.entity_id = o.org_id AND f.field IN ('hq_address', 'hq_postal_code'))"""


def test_unlocated_organisations_stay_in_the_catalog(built_catalog):
    con = connect_read_only(built_catalog)
    unlocated = {r[0] for r in con.execute("SELECT org_id FROM v_organisations WHERE NOT located AND origin = 'seed'").fetchall()}
    # the seed README: 39 organisations have no head office location; research found some since
    without = {r[0] for r in con.execute(UNSOURCED_HQ_SQL).fetchall()}
    assert unlocated == without and 0 < len(unlocated) <= 39


def test_geocoding_precision_report(built_catalog, capsys):
    con = connect_read_only(built_catalog)
    orgs = dict(con.execute("SELECT coalesce(geo_precision, 'unlocated'), count(*) FROM organisations WHERE origin = 'seed' GROUP BY ALL").fetchall())
    adopters = dict(con.execute("SELECT geo_precision, count(*) FROM adoptions GROUP BY ALL").fetchall())
    with capsys.disabled():
        print(f"\norganisations by precision: {orgs}\nadoptions by precision: {adopters}")
    assert orgs.get("municipality", 0) + orgs.get("postal_code", 0) >= 70
    assert orgs["unlocated"] == len(con.execute(UNSOURCED_HQ_SQL).fetchall()) and orgs.get("prefecture", 0) <= 8
    assert set(adopters) <= {"municipality", "prefecture", "national"}
    assert adopters["municipality"] >= 200
    # National bodies sit at 千代田区 (regional bureaus at their seats: data/corrections/adopters.csv);
    # prefectures at their prefectural office.
    national = {r[0] for r in con.execute("SELECT DISTINCT adopter_code FROM adoptions WHERE adopter_kind='national'").fetchall()}
    assert "131016" in national and national <= {"131016", "341011", "472018"}
    shiga = con.execute("SELECT adopter_code FROM adoptions WHERE adopter_name='滋賀県' LIMIT 1").fetchone()[0]
    assert con.execute("SELECT name_ja FROM municipalities WHERE code=?", [shiga]).fetchone()[0] == "大津市"


def test_designated_city_wards_and_cities_without_ward_are_placed(built_catalog):
    con = connect_read_only(built_catalog)
    rows = dict(con.execute("""SELECT hq_address, m.name_ja FROM organisations o
                               JOIN municipalities m ON m.code = o.hq_municipality_code""").fetchall())
    assert rows["神奈川県横浜市"] == "横浜市"
    assert rows["神奈川県川崎市中原区上小田中4丁目1番1号"] == "川崎市中原区"  # Fujitsu, from a cited filing
    gaz = Gazetteer.load()
    assert gaz.municipality(gaz.locate_org("神奈川県", "川崎市川崎区").code)["name_ja"] == "川崎市川崎区"


def test_rebuild_is_deterministic(built_catalog, tmp_path):
    out = tmp_path / "again.duckdb"
    build(out, inputs=read_inputs(with_submissions=False), progress=False)
    q = "SELECT * FROM v_organisations ORDER BY org_id"
    a = connect_read_only(built_catalog).execute(q).fetchall()
    b = duckdb.connect(str(out), read_only=True).execute(q).fetchall()
    assert a == b


def test_build_with_errors_leaves_the_published_catalog_untouched(built_catalog, seed_copy, tmp_path):
    out = tmp_path / "catalog.duckdb"
    out.write_bytes(built_catalog.read_bytes())
    before = out.read_bytes()
    text = (seed_copy / "vendors.csv").read_text(encoding="utf-8").replace("online_forms;identity_security;cashless",
                                                                           "online_forms;no_such_category", 1)
    (seed_copy / "vendors.csv").write_text(text, encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        build(out, inputs=read_inputs(seed_dir=seed_copy, with_submissions=False), progress=False)
    assert any("no_such_category" in p.reason for p in info.value.problems)
    assert out.read_bytes() == before


def test_keep_going_skips_bad_rows_and_reports_them(seed_copy, tmp_path):
    text = (seed_copy / "vendors.csv").read_text(encoding="utf-8").replace("https://graffer.jp,", "javascript:alert(1),", 1)
    (seed_copy / "vendors.csv").write_text(text, encoding="utf-8")
    out, problems = build(tmp_path / "c.duckdb", keep_going=True,
                          inputs=read_inputs(seed_dir=seed_copy, with_submissions=False), progress=False)
    assert any(p.column == "website" and p.row == 2 for p in problems)
    con = duckdb.connect(str(out), read_only=True)
    assert con.execute("SELECT count(*) FROM organisations WHERE org_id='graffer'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM adoptions WHERE org_id='graffer'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM organisations WHERE origin = 'seed'").fetchone()[0] == 116


KILL_SCRIPT = """
import sys, time
from pathlib import Path
import etl.load as load
real_insert = load._insert
def slow_insert(con, name, frame):
    real_insert(con, name, frame)
    if name == "organisations":
        print("MIDWAY", flush=True)
        time.sleep(60)
load._insert = slow_insert
from etl.build import build, read_inputs
build(Path(sys.argv[1]), inputs=read_inputs(with_submissions=False), progress=False)
"""


def test_build_killed_midway_leaves_the_old_catalog_intact_and_readable(built_catalog, tmp_path):
    out = tmp_path / "catalog.duckdb"
    out.write_bytes(built_catalog.read_bytes())
    before = out.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "MIDWAY"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert out.read_bytes() == before
    con = duckdb.connect(str(out), read_only=True)
    assert con.execute("SELECT count(*) FROM organisations WHERE origin = 'seed'").fetchone()[0] == 117
    # plus the package vendors of the conformance list that are no other organisation (etl/standardisation.py)
    assert con.execute("SELECT count(*) FROM organisations WHERE origin = 'reference'").fetchone()[0] == \
        con.execute("SELECT count(*) FROM std_vendors WHERE matched_by = 'new'").fetchone()[0] > 0


READER_SCRIPT = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT count(*) FROM v_organisations WHERE origin = 'seed'").fetchone()[0])
"""


def test_second_process_reads_while_the_app_holds_the_catalog_and_during_a_rebuild(built_catalog, tmp_path):
    out = tmp_path / "catalog.duckdb"
    out.write_bytes(built_catalog.read_bytes())
    app = Catalog(out)  # what the app holds: a read-only connection, kept open
    reader = subprocess.run([sys.executable, "-c", READER_SCRIPT, str(out)], capture_output=True, text=True, timeout=60)
    assert reader.stdout.strip() == "117", reader.stderr
    # A rebuild swaps a new file in while the app still holds the old one.
    build(out, inputs=read_inputs(with_submissions=False), progress=False)
    assert app.query("SELECT count(*) AS n FROM organisations WHERE origin = 'seed'").frame["n"][0] == 117  # old file, undisturbed
    assert app.is_stale()
    fresh = Catalog(out)
    assert fresh.figures()["organisations"] == shipped.organisations() and not fresh.is_stale()  # + the list's new vendors
