"""Issue 14 in Chromium, on a catalog with a hostile research slice (tests/hostile_research.py): the
vendor page's sourced facts show hostile values as plain text, the contact and price pages are the
only links they make (http(s), percent-encoded), nothing runs and nothing is fetched off the
origin; the concentration page's "count every kind" checkbox puts ``kinds=all`` into the address
bar, and a reload of that address keeps it ticked."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import streamlit_server
from test_app_browser import Recorder

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import hostile  # noqa: E402  (tests/hostile.py)
import hostile_research as hr  # noqa: E402  (tests/hostile_research.py)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def facts_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("facts_app")
    catalog = hr.build(folder, ROOT / "data" / "seed", hr.write_hostile(folder / "research"))
    hostile.CANARY.unlink(missing_ok=True)
    env = {"GOVMAP_CATALOG_PATH": str(catalog), "GOVMAP_MAP_TILES": "none",
           "GOVMAP_STORE_PATH": str(folder / "store.sqlite")}
    with streamlit_server(ROOT, folder / "streamlit.log", env) as base:
        yield base
    assert not hostile.CANARY.exists(), "research text was evaluated as a template on the server"


def _idle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def _grid_text(page) -> str:
    return "\n".join(page.locator('[data-testid^="glide-cell"]').all_text_contents())


@pytest.mark.parametrize("print_view", [False, True])
def test_vendor_facts_show_hostile_values_as_text_and_link_only_http(chromium_browser, facts_app, print_view):
    rec = Recorder(chromium_browser, facts_app, height=4000)
    dialogs = []
    rec.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    rec.page.goto(f"{facts_app}/vendor?org={hr.ORG_ID}" + ("&print=1" if print_view else ""), wait_until="domcontentloaded")
    rec.page.get_by_role("heading", name="出典付きの事実").wait_for(timeout=30_000)
    main = rec.page.locator('[data-testid="stMain"]')
    main.locator('[data-testid="stDataFrame"], [data-testid="stTable"]').nth(4).wait_for(timeout=30_000)
    _idle(rec.page)
    text = ""
    for _ in range(100):  # the grids draw their cells after the data arrives
        text = main.inner_text().replace("\u2060", "") + "\n" + _grid_text(rec.page)
        if "組織としての記載を適用" in text:
            break
        rec.page.wait_for_timeout(200)
    assert hostile.EVALUATED not in text and "This app has encountered an error" not in text
    assert "<script>alert('x')</script>" in text or "<script>alert(1)</script>" in text, "shown as text"
    assert "組織としての記載を適用" in text
    if print_view:  # the grid draws only the columns in view; the static tables hold every one
        assert "(弱い出典)" in text and "協定・覚書" in text
    hrefs = main.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))], hrefs
    assert "https://e.example/contact/%7B%7B7%2A7%7D%7D" in hrefs  # the contact page, percent-encoded (escape.py)
    assert main.locator("script").count() == 0 and main.locator("b:has-text('x')").count() == 0
    assert main.locator('img[src*="evil"]').count() == 0 and main.locator(".katex").count() == 0
    assert dialogs == []
    assert not [u for u in rec.requests if "evil.example" in u or "e.example" in u]
    rec.close_and_check()


def test_count_every_kind_goes_into_the_address_bar_and_survives_a_reload(chromium_browser, facts_app):
    rec = Recorder(chromium_browser, facts_app, height=1400)
    page = rec.page
    page.goto(f"{facts_app}/concentration", wait_until="domcontentloaded")
    page.get_by_text("契約・共同調達のみを集計", exact=False).wait_for(timeout=30_000)
    page.get_by_text("協定・実証・その他も含めて集計する").click()
    page.get_by_text("すべての種類の導入実績を集計", exact=False).wait_for(timeout=30_000)
    for _ in range(100):
        if parse_qs(urlsplit(page.url).query).get("kinds") == ["all"]:
            break
        page.wait_for_timeout(200)
    assert parse_qs(urlsplit(page.url).query).get("kinds") == ["all"], page.url
    page.reload(wait_until="domcontentloaded")
    page.get_by_text("すべての種類の導入実績を集計", exact=False).wait_for(timeout=30_000)
    assert page.get_by_role("checkbox", name="協定・実証・その他も含めて集計する").is_checked()
    rec.close_and_check()
