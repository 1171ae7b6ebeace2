"""The synthetic benchmark catalog: seeded, shaped like the real one, labelled synthetic everywhere,
never written over the real catalog unless asked, and announced by the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from govmap import normalize
from govmap.finder.catalog import connect_read_only

ROOT = Path(__file__).resolve().parent.parent
N = 400


def synth(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "synth", "--orgs", str(N), "--out", str(out), *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "synthetic.duckdb"
    proc = synth(out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def test_it_is_labelled_synthetic_in_metadata_and_rows(synthetic):
    con = connect_read_only(synthetic)
    meta = dict(con.execute("SELECT key, value FROM catalog_meta").fetchall())
    assert meta["synthetic"] == "true" and meta["synthetic_orgs"] == str(N)
    origins = {r[0] for r in con.execute("SELECT DISTINCT origin FROM organisations").fetchall()}
    assert origins == {"synthetic"}
    assert {r[0] for r in con.execute("SELECT DISTINCT origin FROM adoptions").fetchall()} == {"synthetic"}


def test_it_has_the_shape_the_benchmark_needs(synthetic):
    con = connect_read_only(synthetic)
    n_orgs = con.execute("SELECT count(*) FROM organisations").fetchone()[0]
    assert 0.95 * N <= n_orgs <= N  # a few generated rows fail validation, as in a real build
    per_org = [r[0] for r in con.execute("SELECT count(*) FROM services GROUP BY org_id").fetchall()]
    assert min(per_org) >= 1 and max(per_org) <= 8 and len(set(per_org)) > 3
    unlocated = con.execute("SELECT avg((lat IS NULL)::INT) FROM organisations").fetchone()[0]
    assert 0.03 < unlocated < 0.3
    names = [r[0] for r in con.execute("SELECT name_ja FROM organisations").fetchall()]
    forms = {normalize.legal_form(n) for n in names}
    assert {"株式会社", "合同会社", "一般社団法人", "有限会社"} <= forms
    assert any(n.startswith("(株)") for n in names) and any(n.endswith("株式会社") for n in names)
    tokyo = con.execute("SELECT avg((hq_pref_code = '13')::INT) FROM organisations WHERE lat IS NOT NULL").fetchone()[0]
    assert tokyo > 0.1  # dense in Tokyo, as businesses are
    adopters = con.execute("SELECT count(DISTINCT adopter_code) FROM adoptions").fetchone()[0]
    assert adopters > 50


def test_same_seed_same_catalog(synthetic, tmp_path):
    again = tmp_path / "again.duckdb"
    assert synth(again).returncode == 0
    q = "SELECT org_id, name_ja, hq_municipality_code FROM organisations ORDER BY org_id"
    assert connect_read_only(synthetic).execute(q).fetchall() == connect_read_only(again).execute(q).fetchall()


def test_it_refuses_to_replace_the_real_catalog(tmp_path, monkeypatch):
    real = tmp_path / "catalog.duckdb"
    real.write_bytes(b"the real catalog")
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(real))
    proc = subprocess.run([sys.executable, "-m", "etl", "synth", "--orgs", "50", "--out", str(real)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "refusing" in proc.stderr
    assert real.read_bytes() == b"the real catalog"


def test_the_app_shows_a_synthetic_banner(synthetic, monkeypatch, tmp_path):
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(synthetic))
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(tmp_path / "store.sqlite"))
    at = AppTest.from_file(str(ROOT / "pages" / "search.py"), default_timeout=60).run()
    assert not at.exception
    assert any("合成データ" in w.value for w in at.warning)
