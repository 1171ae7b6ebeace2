"""Printing and the comparison page in the real app in headless Chromium (issue 12):

- the vendor page, the shortlist and the comparison print without the sidebar and the header, and in
  the printable view (``print=1``) without clipped tables: Chromium's print to PDF (``page.pdf``) holds
  every one of the 18 adoptions of the vendor with the most, with their sources, in a few pages;
- a shared comparison link (``/compare?cmp=…&sl=…&note=…``) opens the same vendors side by side in a
  fresh browser, keeps the shortlist and note, and its vendor buttons open each vendor page.

The PDF text is read with pypdf (requirements-dev.txt); whitespace is dropped before comparing, since
long cells wrap inside words, and both sides are NFKC-normalised (the CJK fonts' glyphs map back to
Kangxi radicals such as ⽇ for 日 in the PDF's text layer).
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import shipped_app
from test_app_browser import Recorder
from test_buyer_state_browser import open_page, params, sidebar_link, wait_url

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
# The vendor with the most adoptions in the shipped catalog (over a hundred with the research
# slices): every one must be on paper.
MANY = "trustbank"
MANY_NAME = "株式会社トラストバンク"
SIDEBAR_LABELS = ["代替ベンダー検索", "ベンダー集中度", "近隣自治体の導入状況", "SQL分析", "掲載申請"]
OUT = ROOT / "test-output"


@pytest.fixture(scope="module")
def app(built_catalog, tmp_path_factory):
    CATALOG[:] = [built_catalog]
    with shipped_app(built_catalog, tmp_path_factory, "print_app") as base:
        yield base


CATALOG: list[Path] = []  # the module's built catalog (set by the app fixture)


def adoptions_of(vendor: str) -> list[dict]:
    import duckdb
    with duckdb.connect(str(CATALOG[0]), read_only=True) as con:
        return [{"source_url": u, "service_name": n or ""} for u, n in con.execute(
            "SELECT source_url, service_name FROM v_adoptions WHERE org_id = ?", [vendor]).fetchall()]


def settle(page, rows: int = 0) -> None:
    """Wait until the page's script run has finished and the tables are drawn (``rows``: a static
    table with at least that many rows is on the page)."""
    if rows:
        page.wait_for_function(
            "n => [...document.querySelectorAll('[data-testid=\"stTable\"] tbody')].some(b => b.rows.length >= n)",
            arg=rows, timeout=30_000)
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(1000)


def pdf_text(page, name: str) -> tuple[str, int]:
    """Print the page as Chromium does (print media, A4) and return its text without whitespace."""
    data = page.pdf(format="A4", print_background=False)
    OUT.mkdir(exist_ok=True)
    (OUT / f"print-{name}.pdf").write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(p.extract_text() or "" for p in reader.pages)
    return squeeze(text), len(reader.pages)


def tables_fit(page) -> list[str]:
    """In print media at the width of an A4 page's printable area (718 px: 210 mm less Chromium's default
    margins): cells of static tables whose text runs out of the cell, and tables that run off the page
    (the PDF's text layer would still hold such text, so this is checked on the laid-out page)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 718, "height": 1000})
    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    try:
        return page.evaluate("""() => {
          const bad = [];
          const width = document.documentElement.clientWidth;
          for (const table of document.querySelectorAll('[data-testid="stTable"] table')) {
            if (table.getBoundingClientRect().right > width + 1) bad.push('table: ' + table.innerText.slice(0, 40));
            for (const cell of table.querySelectorAll('td, th'))
              if (cell.scrollWidth > cell.clientWidth + 1) bad.push(cell.innerText.slice(0, 60));
          }
          return bad; }""")
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(size)


def squeeze(text: str) -> str:
    # the PDF's text layer gives the katakana middle dot ・ as U+2027 ‧
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("\u2027", "・")


def test_vendor_page_prints_every_adoption_with_its_source_and_no_sidebar(chromium_browser, app):
    rows = adoptions_of(MANY)
    assert len(rows) >= 18
    browser = Recorder(chromium_browser, app)
    page = browser.page
    try:
        open_page(page, f"{app}/vendor?org={MANY}&print=1", MANY_NAME)
        settle(page, rows=len(rows))
        assert page.get_by_test_id("stSidebar").is_visible()  # on screen the sidebar is there...
        text, pages = pdf_text(page, "vendor")
        assert squeeze(MANY_NAME) in text
        for row in rows:  # ...on paper every adoption is, with its source URL
            assert squeeze(row["source_url"]) in text, row["source_url"]
            assert squeeze(row["service_name"]) in text, row["service_name"]
        assert "出典" in text and "導入実績" in text
        assert not [label for label in SIDEBAR_LABELS if label in text]
        assert 1 <= pages <= 4 + len(rows) // 10, pages  # about a dozen adoptions a page, plus the facts
        assert tables_fit(page) == []
    finally:
        browser.close_and_check()


def test_default_view_prints_without_sidebar_and_toggle_gives_full_tables(chromium_browser, app):
    """Ctrl+P on the ordinary page: no sidebar or header; the printable view is one click away and
    goes into the link (print=1)."""
    browser = Recorder(chromium_browser, app)
    page = browser.page
    try:
        open_page(page, f"{app}/vendor?org={MANY}", MANY_NAME)
        page.locator('[data-testid="stDataFrame"]:visible').first.wait_for(timeout=30_000)
        settle(page)
        text, _ = pdf_text(page, "vendor-default")
        assert squeeze(MANY_NAME) in text
        assert not [label for label in SIDEBAR_LABELS if label in text]
        page.get_by_text("印刷用表示", exact=False).first.click()
        wait_url(page, lambda p: p.get("print") == "1")
        settle(page, rows=len(adoptions_of(MANY)))
        text, _ = pdf_text(page, "vendor-toggled")
        assert all(squeeze(r["source_url"]) in text for r in adoptions_of(MANY))
    finally:
        browser.close_and_check()


def test_shortlist_prints_with_note_and_sources(chromium_browser, app):
    note = "選定理由: 導入実績の多さ"
    browser = Recorder(chromium_browser, app)
    page = browser.page
    try:
        open_page(page, f"{app}/shortlist?sl={MANY},graffer,tkc&note={note}&print=1", "候補リスト")
        settle(page, rows=3)
        text, pages = pdf_text(page, "shortlist")
        assert squeeze(MANY_NAME) in text and "株式会社グラファー" in text
        assert squeeze(note) in text and "出典" in text
        assert "https://www.trustbank.co.jp/newsroom/newsrelease/press308/" in text  # the sources column, not cut
        assert not [label for label in SIDEBAR_LABELS if label in text]
        assert 1 <= pages <= 6, pages
        assert tables_fit(page) == []  # the sources column wraps inside the page
    finally:
        browser.close_and_check()


def test_shared_comparison_link_opens_the_same_vendors_and_prints(chromium_browser, app):
    note = "比較メモ"
    link = f"{app}/compare?cmp=tkc,{MANY}&sl=graffer&note={note}&print=1"
    browser = Recorder(chromium_browser, app)
    page = browser.page
    try:
        open_page(page, link, "ベンダー比較")
        settle(page, rows=30)
        table = page.get_by_test_id("stTable").first
        table.wait_for(timeout=30_000)
        header = squeeze(table.locator("thead").inner_text())
        assert header.index("株式会社TKC") < header.index(squeeze(MANY_NAME))  # the link's order
        body = table.inner_text()
        assert "導入実績数" in body and str(len(adoptions_of(MANY))) in body and "不明" in body and "なし" not in body
        url = params(page)
        assert url["cmp"] == f"tkc,{MANY}" and url["sl"] == "graffer" and url["note"] == note

        text, pages = pdf_text(page, "compare")
        assert "株式会社TKC" in text and squeeze(MANY_NAME) in text and "ISMAP" in text and "出典" in text
        assert not [label for label in SIDEBAR_LABELS if label in text]
        assert 1 <= pages <= 6, pages
        assert tables_fit(page) == []

        page.get_by_role("button", name=MANY_NAME, exact=True).click()  # each vendor's own page
        page.get_by_role("heading", name=MANY_NAME).wait_for(timeout=30_000)
        url = wait_url(page, lambda p: p.get("org") == MANY)
        assert url["sl"] == "graffer" and url["note"] == note
        sidebar_link(page, "比較")  # back through the sidebar: the same comparison
        page.get_by_role("heading", name="ベンダー比較").wait_for(timeout=30_000)
        url = wait_url(page, lambda p: p.get("cmp") == f"tkc,{MANY}")
        assert url["sl"] == "graffer" and url["note"] == note
    finally:
        browser.close_and_check()
