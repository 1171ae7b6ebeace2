"""The three analytics pages on the shipped real catalog, through AppTest: they run, show their
elements, and give sourced answers for real municipalities and vendors."""

from pathlib import Path

from govmap.finder.catalog import connect_read_only
import pytest
from streamlit.testing.v1 import AppTest

import shipped

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("alternatives.py", "concentration.py", "nearby.py")
TIMEOUT = 60


def page(name: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def code_of(catalog, pref: str, name: str) -> str:
    con = connect_read_only(catalog)
    try:
        return con.execute("SELECT code FROM municipalities WHERE pref_name = ? AND name_ja = ?", [pref, name]).fetchone()[0]
    finally:
        con.close()


def frame_with(at, column: str, without: str | None = None):
    """The table that has ``column`` (and not ``without``): AppTest keeps no key for st.dataframe."""
    return next(df.value for df in at.dataframe if column in df.value.columns and without not in df.value.columns)


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_and_asks_for_its_input(catalog_env, name):
    at = page(name)
    assert not at.exception, at.exception
    assert len(at.title) == 1
    if name != "concentration.py":
        assert at.selectbox(key=f"{'alt' if name == 'alternatives.py' else 'near'}_muni").value is None


def test_alternatives_preselects_what_the_municipality_uses_and_ranks_others(catalog_env):
    naka = code_of(catalog_env, "茨城県", "那珂市")  # recorded as using TKC for core systems
    at = page("alternatives.py", muni=naka)
    assert not at.exception, at.exception
    assert at.selectbox(key="alt_vendor").value == "tkc"
    assert any("TKC" in c.value for c in at.caption)
    at.selectbox(key="alt_cat").set_value("core_systems").run()
    results = frame_with(at, "順位")
    assert len(results) > 3 and "tkc" not in set(results["org_id"])
    assert list(results["順位"]) == list(range(1, len(results) + 1))
    assert results["スコア"].is_monotonic_decreasing
    weights = frame_with(at, "重み")
    assert len(weights) == 5 and weights["重み"].sum() == pytest.approx(1.0)
    assert {"オープン性: 不明", "距離(km)"} <= set(results.columns)
    assert len(at.get("download_button")) == 2
    at.button(key="alt_add").click().run()
    assert not at.exception and at.session_state["shortlist"] == [results["org_id"].iloc[0]]


def test_concentration_shows_single_vendor_prefectures_with_sources(catalog_env):
    at = page("concentration.py")
    assert not at.exception, at.exception
    assert at.selectbox(key="conc_cat").value == "core_systems"
    national = at.dataframe[0].value
    assert len(national) == shipped.figures()["categories"]
    by_pref = at.dataframe[1].value.set_index("地域")
    tokushima = by_pref.loc["徳島県"]  # 石井町, 神山町, 那賀町, 東みよし町: all 日立システムズ
    assert tokushima["HHI"] == 10000 and bool(tokushima["1社のみ"]) and tokushima["導入実績数"] == 4
    at.selectbox(key="conc_pref").set_value("36").run()
    vendors = frame_with(at, "シェア(%)")
    assert any("日立システムズ" in v for v in vendors["ベンダー"])
    sources = frame_with(at, "出典")
    assert sources["出典"].str.startswith("http").all()
    at.radio(key="conc_scope").set_value("region").run()
    assert not at.exception and "四国" in set(at.dataframe[1].value["地域"])


def test_nearby_shows_neighbours_similar_size_and_gaps(catalog_env):
    naka = code_of(catalog_env, "茨城県", "那珂市")
    at = page("nearby.py", muni=naka)
    assert not at.exception, at.exception
    own = at.dataframe[0].value
    assert "那珂市" in set(own["導入団体"])
    at.slider(key="near_radius").set_value(50).run()
    near = frame_with(at, "距離(km)", without="人口(GeoNames)")
    assert "常陸大宮市" in set(near["導入団体"]) and "那珂市" not in set(near["導入団体"])
    assert near["出典"].str.startswith("http").all()
    assert any(s.value.startswith("人口規模の近い") for s in at.subheader)
    gaps = frame_with(at, "最寄りの提供組織(本社までの距離)")
    assert len(gaps) >= 1


def test_pages_speak_english(catalog_env):
    at = page("concentration.py", lang="en")
    assert not at.exception
    assert at.title[0].value == "Vendor concentration"
