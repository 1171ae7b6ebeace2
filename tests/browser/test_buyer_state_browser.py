"""A buyer's work is not lost or hidden (issue 12), in the real app in headless Chromium:

- switching the language keeps the same results and filters (stored values are codes, not labels);
- the shortlist and its 選定理由 note survive sidebar navigation, a reload and a shared link;
- the search page's organisation picker follows the current query, never the previous one's vendor;
- an old or guessed path (/search) opens the map page, not an English "Page not found" dialog.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from conftest import shipped_app
from test_app_browser import Recorder

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
BOX_JA = "検索(会社名・サービス・カテゴリ・地名。かな・ローマ字・英語も可)"
BOX_EN = "Search (organisation, offering, category, place; kana, romaji and English work)"
NOTE_LABEL = "選定理由メモ(出力に含まれます)"


@pytest.fixture(scope="module")
def app(built_catalog, tmp_path_factory):
    with shipped_app(built_catalog, tmp_path_factory, "buyer_state_app") as base:
        yield base


def params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def wait_url(page, predicate, timeout: float = 20) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate(params(page)):
            return params(page)
        page.wait_for_timeout(200)
    raise AssertionError(f"URL never satisfied the check: {page.url}")


def count(page, lang: str) -> int:
    """The "N organisations" figure of the search page, once the page has finished its run."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    pattern = r"(\d[\d,]*) 件の組織" if lang == "ja" else r"(\d[\d,]*) organisations \(of"
    caption = page.get_by_text(re.compile(pattern)).first
    caption.wait_for(timeout=30_000)
    return int(re.search(pattern, caption.inner_text()).group(1).replace(",", ""))


def search(page, box_label: str, text: str) -> None:
    box = page.get_by_label(box_label)
    box.fill(text)
    box.press("Enter")
    wait_url(page, lambda p: p.get("q") == text)


def switch_language(page, to: str) -> None:
    page.get_by_role("radiogroup", name="言語 / Language").get_by_text(
        "English" if to == "en" else "日本語", exact=True).click()
    page.get_by_role("heading", name="Map and search" if to == "en" else "地図で探す").wait_for(timeout=30_000)


def open_page(page, url: str, heading: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("heading", name=heading).wait_for(timeout=30_000)


def sidebar_link(page, name: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()


def test_language_switch_keeps_the_results_and_filters(chromium_browser, app):
    fresh = Recorder(chromium_browser, app)
    try:
        open_page(fresh.page, f"{app}/?lang=en&q=e-signature&loc=located", "Map and search")
        expected = count(fresh.page, "en")
    finally:
        fresh.close_and_check()
    assert expected > 1

    browser = Recorder(chromium_browser, app)
    page = browser.page
    try:
        open_page(page, app, "地図で探す")
        count(page, "ja")
        page.get_by_role("radiogroup", name="所在地").get_by_text(re.compile("^地図に表示できる")).click()
        wait_url(page, lambda p: p.get("loc") == "located")
        switch_language(page, "en")
        search(page, BOX_EN, "e-signature")
        assert count(page, "en") == expected
        assert params(page).get("loc") == "located"  # a code, never a label (it once became すべて)
        assert page.get_by_role("radiogroup", name="Location").get_by_role("radio", name=re.compile("^Located")).is_checked()

        switch_language(page, "ja")
        assert count(page, "ja") == expected
        search(page, BOX_JA, "e-signature")  # one more run in Japanese: the labels of the last run still decode
        assert count(page, "ja") == expected
        url = params(page)
        assert url.get("q") == "e-signature" and url.get("loc") == "located" and "lang" not in url
        assert page.get_by_role("radiogroup", name="所在地").get_by_role("radio", name=re.compile("^地図に表示できる")).is_checked()
    finally:
        browser.close_and_check()


def test_old_link_with_label_values_still_opens_the_same_search(chromium_browser, app):
    browser = Recorder(chromium_browser, app)
    try:
        open_page(browser.page, f"{app}/?lang=en&q=e-signature&loc=located&region=関東", "Map and search")
        expected = count(browser.page, "en")
        open_page(browser.page, f"{app}/?lang=en&q=e-signature&loc=地図に表示できる&region=Kanto", "Map and search")
        assert count(browser.page, "en") == expected
        url = wait_url(browser.page, lambda p: p.get("region") == "関東")
        assert url.get("loc") == "located"  # rewritten as codes
        open_page(browser.page, f"{app}/?lang=en&q=e-signature&loc=すべて", "Map and search")
        assert "loc" not in params(browser.page)
    finally:
        browser.close_and_check()


def shortlist_shows(page, names: list[str], note: str) -> None:
    page.get_by_role("heading", name="候補リスト").first.wait_for(timeout=30_000)
    page.get_by_role("textbox", name=NOTE_LABEL).wait_for(timeout=30_000)
    picker = page.get_by_role("combobox", name="リストから外す")
    picker.wait_for(timeout=30_000)
    assert page.get_by_role("textbox", name=NOTE_LABEL).input_value() == note
    picker.click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=10_000)
    shown = sorted(options.all_inner_texts())
    page.keyboard.press("Escape")
    assert shown == sorted(names), shown


def test_shortlist_and_note_survive_sidebar_reload_and_a_shared_link(chromium_browser, app):
    note = "庁内説明用: 電子申請の導入実績あり & 100% オンライン"
    browser = Recorder(chromium_browser, app)
    page = browser.page
    try:
        open_page(page, f"{app}/vendor?org=graffer", "株式会社グラファー")
        page.get_by_role("button", name="候補リストに追加").click()
        wait_url(page, lambda p: p.get("sl") == "graffer")
        sidebar_link(page, "候補リスト")
        page.get_by_role("textbox", name=NOTE_LABEL).wait_for(timeout=30_000)
        assert params(page).get("sl") == "graffer"
        page.get_by_role("textbox", name=NOTE_LABEL).fill(note)
        page.get_by_role("textbox", name=NOTE_LABEL).press("Control+Enter")
        wait_url(page, lambda p: p.get("note") == note)
        shortlist_shows(page, ["株式会社グラファー"], note)

        page.reload(wait_until="domcontentloaded")
        shortlist_shows(page, ["株式会社グラファー"], note)

        sidebar_link(page, "地図で探す")
        page.get_by_role("heading", name="地図で探す").wait_for(timeout=30_000)
        wait_url(page, lambda p: p.get("sl") == "graffer" and p.get("note") == note)
        sidebar_link(page, "候補リスト")
        shortlist_shows(page, ["株式会社グラファー"], note)
    finally:
        browser.close_and_check()

    # A colleague opens the link on the map page and follows the sidebar.
    other = Recorder(chromium_browser, app)
    try:
        open_page(other.page, f"{app}/?sl=graffer,cybozu&note={quote(note)}", "地図で探す")
        sidebar_link(other.page, "候補リスト")
        shortlist_shows(other.page, ["株式会社グラファー", "サイボウズ株式会社"], note)
    finally:
        other.close_and_check()


def picker_value(page) -> str:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    box = page.get_by_role("combobox", name="組織を選ぶ")
    box.wait_for(timeout=30_000)
    return box.input_value()


def wait_picker(page, name: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while name not in picker_value(page):
        if time.monotonic() > deadline:
            raise AssertionError(f"the picker shows {picker_value(page)!r}, not {name!r}")
        page.wait_for_timeout(300)


def test_picker_follows_a_clicked_row_and_the_current_query(chromium_browser, app, built_catalog):
    from govmap.finder.browse import Browser
    from govmap.finder.catalog import Catalog
    from govmap.finder.facets import Filters
    b = Browser(Catalog(built_catalog))
    names = [b.index.names_ja[b.row_of[i]] for i in b.run("e-signature", Filters()).org_ids()]
    assert len(names) >= 3
    browser = Recorder(chromium_browser, app)
    page = browser.page
    try:
        open_page(page, app, "地図で探す")
        search(page, BOX_JA, "e-signature")
        count(page, "ja")
        wait_picker(page, names[0])
        grid = page.get_by_test_id("stDataFrame").first
        grid.wait_for(timeout=30_000)
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 16, box["y"] + 35 * 3 + 17)  # header, two rows, then the third row's selection cell
        wait_picker(page, names[2])
        assert params(page).get("org") == b.run("e-signature", Filters()).org_ids()[2]

        search(page, BOX_JA, "サイボウズ")  # a new query: its own results, never the previous vendor
        count(page, "ja")
        wait_picker(page, "サイボウズ株式会社")
        assert names[2] not in picker_value(page)
        page.get_by_role("button", name="詳細を見る").click()
        page.get_by_role("heading", name="サイボウズ株式会社").wait_for(timeout=30_000)
    finally:
        browser.close_and_check()


def test_an_old_or_guessed_path_opens_the_map_page_in_japanese(chromium_browser, app):
    browser = Recorder(chromium_browser, app)
    page = browser.page
    try:
        open_page(page, f"{app}/search?q=グラファー", "地図で探す")
        count(page, "ja")
        page.wait_for_timeout(1000)
        assert not page.get_by_text("Page not found").count()
        assert not page.get_by_role("dialog").count()
        open_page(page, f"{app}/no-such-page", "地図で探す")
        page.get_by_text("「/no-such-page」というページはありません").wait_for(timeout=30_000)
        assert not page.get_by_text("Page not found").count()
    finally:
        browser.close_and_check()


def test_a_facet_choice_survives_searches_that_change_its_count(chromium_browser, app):
    """The facet labels carry counts ("GIS・地図 (12)"), which change with every search."""
    browser = Recorder(chromium_browser, app)
    page = browser.page
    try:
        open_page(page, f"{app}/?cat=gis", "地図で探す")
        everything = count(page, "ja")
        for text in ("地図", "防災", "gis"):
            search(page, BOX_JA, text)
            shown = count(page, "ja")
            assert params(page).get("cat") == "gis", (text, page.url)
            assert shown <= everything
        chip = page.get_by_test_id("stMultiSelect").filter(has_text="カテゴリ").get_by_text(re.compile("^GIS・地図"))
        assert chip.count() >= 1
        switch_language(page, "en")
        search(page, BOX_EN, "map")
        assert params(page).get("cat") == "gis"
        assert page.get_by_test_id("stMultiSelect").filter(has_text="Category").get_by_text(re.compile("^GIS")).count() >= 1
    finally:
        browser.close_and_check()
