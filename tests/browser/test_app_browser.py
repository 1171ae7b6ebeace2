"""The real app (`streamlit run app.py` on the shipped catalog) in headless Chromium: what a buyer
does first — open the map page, search, switch to English — works offline and stays on origin.

AppTest cannot drive the sidebar language switch of a multipage app (it reruns the page file alone,
see tests/test_app.py), so the switch is checked here, in a browser, as a user would use it."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import shipped_app

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: shipped.py
import shipped  # noqa: E402

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOT = ROOT / "test-output" / "app-en.png"


@pytest.fixture(scope="module")
def real_app(built_catalog, tmp_path_factory):
    with shipped_app(built_catalog, tmp_path_factory, "real_app") as base:
        yield base


class Recorder:
    """A browser context that records every request and page error, for the on-origin checks."""

    def __init__(self, browser, base: str, height: int = 900):
        self.base, self.requests, self.errors = base, [], []
        self.context = browser.new_context(viewport={"width": 1280, "height": height}, locale="ja-JP")
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close_and_check(self) -> None:
        self.context.close()
        origin = urlsplit(self.base).netloc
        off_origin = sorted({u for u in self.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                             and urlsplit(u).netloc != origin})
        assert not off_origin, off_origin
        assert not self.errors, self.errors


def test_first_request_after_start_for_a_page_url_gets_the_whole_app(chromium_browser, real_app):
    """Runs first on a fresh server: Streamlit's pages/ fallback would run pages/sql.py alone,
    with its plain file list and without app.py's language switch and sections."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{real_app}/sql", wait_until="domcontentloaded")
        page.get_by_role("heading", name="SQL分析").wait_for(timeout=30_000)
        page.get_by_role("radiogroup", name="言語 / Language").wait_for(timeout=30_000)
        assert page.get_by_text("分析", exact=True).first.is_visible()  # the app's own nav sections
        assert not page.get_by_text("alternatives", exact=True).count()  # not Streamlit's file list
    finally:
        context.close()


def test_search_and_language_switch_in_a_real_browser(chromium_browser, real_app):
    browser = Recorder(chromium_browser, real_app, height=1000)
    page = browser.page
    try:
        page.goto(real_app, wait_until="domcontentloaded")
        page.get_by_role("heading", name="地図で探す").wait_for(timeout=30_000)
        total = shipped.organisations()
        page.wait_for_selector(f"text={total} 件の組織", timeout=30_000)

        box = page.get_by_label("検索(会社名・サービス・カテゴリ・地名。かな・ローマ字・英語も可)")
        box.fill("グラファー")
        box.press("Enter")
        caption = page.get_by_text(f"件の組織(全 {total} 件中)").first
        page.wait_for_function(f"() => !document.body.innerText.includes('{total} 件の組織(全 {total} 件中)')", timeout=30_000)
        assert 1 <= int(caption.inner_text().split()[0]) < total
        assert "q=" in page.url

        page.get_by_role("radiogroup", name="言語 / Language").get_by_text("English", exact=True).click()
        page.get_by_role("heading", name="Map and search").wait_for(timeout=30_000)
        assert "lang=en" in page.url
        assert page.get_by_text("Filters").first.is_visible()
        page.get_by_text(f"organisations (of {total})").first.wait_for(timeout=30_000)
        page.wait_for_timeout(3000)  # the table and map finish redrawing after the rerun
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)

        page.get_by_role("radiogroup", name="言語 / Language").get_by_text("日本語", exact=True).click()
        page.get_by_role("heading", name="地図で探す").wait_for(timeout=30_000)
        assert "lang=en" not in page.url
    finally:
        browser.close_and_check()


def test_every_page_renders_without_leaving_the_origin(chromium_browser, real_app):
    from ui.pages import PAGES
    browser = Recorder(chromium_browser, real_app)
    page = browser.page
    shown = []
    try:
        for _, filename, url_path, *_ in PAGES:
            if not (ROOT / "pages" / filename).exists():
                continue
            page.goto(f"{real_app}/{url_path}", wait_until="domcontentloaded")
            page.locator("h1").first.wait_for(timeout=30_000)
            page.wait_for_timeout(1500)  # let maps and components load their assets
            assert not page.get_by_text("Traceback").count(), url_path
            shown.append(url_path)
    finally:
        browser.close_and_check()
    assert {"search", "vendor", "alternatives", "concentration", "nearby", "sql", "submit", "review"} <= set(shown)


def test_vendor_page_leads_to_an_update_proposal_for_that_entry(chromium_browser, real_app):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{real_app}/vendor?org=graffer", wait_until="domcontentloaded")
        page.get_by_role("heading", name="株式会社グラファー").wait_for(timeout=30_000)
        page.get_by_role("button", name="この組織の情報の更新・訂正を申請する(審査後に反映)").click()
        page.get_by_role("heading", name="掲載申請").wait_for(timeout=30_000)
        assert "update=graffer" in page.url
        page.get_by_text("「株式会社グラファー」(graffer)の更新を提案").wait_for(timeout=30_000)
        choice = page.get_by_role("radiogroup", name="申請の種類")
        assert choice.get_by_role("radio", name="「株式会社グラファー」(graffer)の更新を提案").is_checked()
    finally:
        context.close()
