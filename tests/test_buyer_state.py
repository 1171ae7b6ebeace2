"""Issue 12, "loses or hides work" and places in English, through the real pages (AppTest) and the
real gazetteer: stored values are codes (old label links still work), the shortlist note is read
from and written to the URL, places are shown in romaji in English and found when typed in romaji.
The browser-only effects (language switch, sidebar, reload) are in tests/browser/test_buyer_state_browser.py."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from govmap.places import Places, romaji_key

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60


def page(name: str, lang: str = "ja", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    return at


@pytest.fixture(scope="module")
def places() -> Places:
    return Places(pd.read_parquet(ROOT / "data/gazetteer/prefectures.parquet"),
                  pd.read_parquet(ROOT / "data/gazetteer/municipalities.parquet"))


@pytest.mark.parametrize("typed", ["Kitakyushu", "kitakyuushuu", "Kita-Kyushu", "KITA KYUSHU", "Kitakyūshū",
                                   "kitakyusyu", "北九州", "きたきゅうしゅう", "キタキュウシュウ"])
def test_a_municipality_is_found_in_any_common_spelling(places, typed):
    found = places.find(typed)
    assert found[0] == "401005", [places.muni_ja[c] for c in found[:5]]  # 北九州市, then its wards
    assert all(places.muni_ja[c].startswith("北九州市") for c in found)


def test_romaji_spellings_fold_to_one_key():
    assert len({romaji_key(s) for s in ("Shinjuku", "sinjuku", "shinjuku", "Shin-juku")}) == 1
    assert romaji_key("Toukyou") == romaji_key("Tokyo") == romaji_key("Tōkyō")
    assert romaji_key("Chuo") == romaji_key("tyuuou")


def test_english_place_names_come_from_the_gazetteer(places):
    assert places.municipality_label("401005", "en") == "Kitakyushu-shi, Fukuoka"
    assert places.municipality_label("401013", "en") == "Kitakyushu-shi Moji-ku, Fukuoka"
    assert places.municipality_label("131130", "en") == "Shibuya-ku, Tokyo"
    assert places.municipality_label("401005", "ja") == "福岡県 北九州市 (Kitakyushu-shi)"
    assert places.hq_label("東京都", "渋谷区", "131130", "en") == "Shibuya-ku, Tokyo"
    assert places.hq_label("東京都", "渋谷区", "131130", "ja") == "東京都渋谷区"
    assert places.hq_label("東京都", None, None, "en") == "Tokyo"
    assert places.region("関東", "en") == "Kanto" and places.prefecture("大阪府", "en") == "Osaka"
    assert places.adopter("北九州市", "401005", "en") == "Kitakyushu-shi"
    assert places.adopter("福岡県", "40", "en") == "Fukuoka"
    assert places.adopter("デジタル庁", None, "en") == "デジタル庁"  # not a place: as recorded


def test_english_search_page_shows_places_in_romaji(catalog_env):
    at = page("search.py", "en", q="graffer").run()
    assert not at.exception, at.exception
    frame = at.dataframe[0].value
    assert list(frame["Head office"]) == ["Shibuya-ku, Tokyo"]
    regions = at.multiselect(key="f_region").options
    assert any(o.startswith("Kanto (") for o in regions) and not any(o.startswith("関東") for o in regions)
    assert any(o.startswith("Tokyo (") for o in at.multiselect(key="f_pref").options)


def test_old_links_with_labels_open_the_same_filters_as_codes(catalog_env):
    at = page("search.py", "en", loc="地図に表示できる", region="Kanto", pref="tokyo", cat="GIS・地図 (6),Disaster prevention and crisis management (3),no such label").run()
    assert not at.exception, at.exception
    assert at.multiselect(key="f_cat").value == ["gis", "disaster"]  # an unknown label is dropped
    assert at.radio(key="f_loc").value == "located"
    assert at.multiselect(key="f_region").value == ["関東"]
    assert at.multiselect(key="f_pref").value == ["東京都"]
    assert at.query_params.get("loc") in ("located", ["located"])  # written back as codes


def test_filters_are_kept_as_codes_in_the_session(catalog_env):
    at = page("search.py").run()
    at.radio(key="f_loc").set_value("located").run()
    at.multiselect(key="f_cat").select("gis").run()
    at.text_input(key="q").input("地図").run()
    assert not at.exception, at.exception
    assert at.session_state["keep.f_loc"] == "located" and at.session_state["keep.f_cat"] == ["gis"]
    assert at.session_state["keep.q"] == "地図"


def test_shortlist_note_comes_from_and_goes_to_the_link(catalog_env):
    note = "選定理由: 電子申請の実績 & 100% オンライン"
    at = page("shortlist.py", sl="graffer,cybozu,not-a-vendor", note=note).run()
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value.iloc[:, 1]) == ["株式会社グラファー", "サイボウズ株式会社"]
    assert at.text_area(key="sl_note").value == note
    at.text_area(key="sl_note").input("書き直したメモ").run()
    assert at.query_params.get("note") in ("書き直したメモ", ["書き直したメモ"])
    assert at.session_state["shortlist_note"] == "書き直したメモ"


def test_note_and_shortlist_are_bounded(catalog_env):
    from ui import state
    ids = ",".join(f"org{i}" for i in range(state.MAX_SHORTLIST + 20))
    at = page("shortlist.py", sl=ids, note="あ" * 5000).run()
    assert not at.exception, at.exception
    assert len(at.session_state["shortlist"]) == state.MAX_SHORTLIST
    assert len(at.session_state["shortlist_note"]) == state.NOTE_LIMIT


def test_nearby_finds_a_municipality_typed_in_romaji_and_shows_places_and_years(catalog_env):
    at = page("nearby.py", "en").run()
    at.text_input(key="near_muni_find").input("Kita-Kyushu").run()
    assert not at.exception, at.exception
    picker = at.selectbox(key="near_muni")
    assert "Kitakyushu-shi, Fukuoka" in picker.options
    picker.set_value("401005").run()
    assert not at.exception, at.exception
    frames = [df.value for df in at.dataframe]
    years = [f["Year"] for f in frames if "Year" in f.columns]
    assert years and all(not pd.isna(y) and y != "None" for column in years for y in column)
    assert any("unknown" in set(column) for column in years)  # a year missing in the source says so
    adopters = {a for f in frames if "Adopter" in f.columns for a in f["Adopter"]}
    assert "Yukuhashi-shi" in adopters and "行橋市" not in adopters
    assert not any(f[c].dtype == bool for f in frames for c in f.columns), "no bare true/false columns"


def test_japanese_picker_also_finds_romaji(catalog_env):
    at = page("alternatives.py").run()
    at.text_input(key="alt_muni_find").input("kitakyuushuu").run()
    assert not at.exception, at.exception
    assert "福岡県 北九州市 (Kitakyushu-shi)" in at.selectbox(key="alt_muni").options


def test_english_vendor_page_shows_head_office_and_adopters_in_romaji(catalog_env):
    at = page("vendor.py", "en", org="graffer").run()
    assert not at.exception, at.exception
    facts = at.table[0].value
    cells = {str(v).replace("\\", "") for v in facts.to_numpy().ravel()}  # st.table cells are Markdown-escaped
    assert "Shibuya-ku, Tokyo" in cells, cells
    adoptions = next(df.value for df in at.dataframe if "Adopter" in df.value.columns)
    assert "Kitakyushu-shi" in set(adoptions["Adopter"]) and "北九州市" not in set(adoptions["Adopter"])
    assert not adoptions["Year"].isna().any()


def test_map_input_carries_the_head_office_in_the_page_language(built_catalog):
    from govmap.finder.browse import Browser
    from govmap.finder.catalog import Catalog
    from govmap.finder.facets import Filters
    result = Browser(Catalog(built_catalog)).run("graffer", Filters())
    assert list(result.located(lang="en")["hq_label"]) == ["Shibuya-ku, Tokyo"]
    assert list(result.located(lang="ja")["hq_label"]) == ["東京都渋谷区"]
