"""The map's organisation popup opens the vendor page in the app (issue 12), in headless Chromium
against the real app: the link in the st_folium iframe navigates the app's own tab (same origin),
to ``vendor?org=<id>`` with the page's language, shortlist and note kept."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import CHROMIUM_ARGS, shipped_app  # noqa: F401 (CHROMIUM_ARGS: same launch as the fixture)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def app(built_catalog, tmp_path_factory):
    with shipped_app(built_catalog, tmp_path_factory, "map_link_app") as base:
        yield base


def map_frame(page, timeout: float = 40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url and frame.locator("path.govmap-org").count():
                return frame
        page.wait_for_timeout(200)
    pytest.fail("no st_folium map with organisation markers appeared")


def open_popup(frame, org_id: str):
    markers = frame.locator("path.govmap-org")
    for index in range(markers.count()):
        markers.nth(index).click()
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        if popup.inner_text().rstrip().endswith(f"ID: {org_id}"):
            return popup
    pytest.fail(f"no marker opened the popup of {org_id}")


@pytest.mark.parametrize("lang, link, heading", [
    ("en", "Open vendor page", "Overview"),
    ("ja", "ベンダー詳細を開く", "基本情報"),
])
def test_popup_link_opens_the_vendor_page_with_language_shortlist_and_note(chromium_browser, app, lang, link, heading):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 1000}, locale="ja-JP")
    try:
        page = context.new_page()
        note = "選定 memo"
        query = f"q=graffer&sl=sansan,graffer&note={note}" + ("&lang=en" if lang == "en" else "")
        page.goto(f"{app}/?{query}", wait_until="domcontentloaded")
        frame = map_frame(page)
        popup = open_popup(frame, "graffer")
        anchor = popup.locator("a.govmap-vendor-link")
        assert anchor.inner_text() == link
        anchor.click()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and urlsplit(page.url).path.rstrip("/") != "/vendor":
            page.wait_for_timeout(200)
        url = urlsplit(page.url)
        assert url.path == "/vendor", page.url
        got = {k: v[0] for k, v in parse_qs(url.query).items()}
        assert got["org"] == "graffer" and got.get("lang", "ja") == lang
        assert got["sl"] == "sansan,graffer" and got["note"] == note, "shortlist and note kept"
        page.get_by_role("heading", name="株式会社グラファー").wait_for(timeout=30_000)
        page.get_by_role("heading", name=heading).wait_for(timeout=30_000)
        assert len(context.pages) == 1, "opened in the app's own tab"
    finally:
        context.close()
