"""基幹業務・標準化 in a real browser (the real app on the shipped catalog): the municipal choropleth
draws at least 1,700 areas offline, a click on 北九州市 opens its municipality view, and no request
leaves the origin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import shipped_app
from test_app_browser import Recorder

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOT = ROOT / "test-output" / "core-systems.png"
KITAKYUSHU = "401005"

# Finds the Leaflet map in the component frame, zooms to the municipality and returns a point (in the
# frame's viewport) inside that municipality's polygon by Leaflet's own hit test (the layer is a canvas).
POINT_ON = """(code) => {
    let map = null;
    for (const k of Object.keys(window)) { try { if (window[k] instanceof L.Map) { map = window[k]; } } catch (e) {} }
    let target = null;
    map.eachLayer((l) => { if (l.feature && l.feature.properties && l.feature.properties.code === code && l.getBounds) { target = l; } });
    if (!target) { return null; }
    map.fitBounds(target.getBounds(), {animate: false});
    const b = target.getBounds(), box = map.getContainer().getBoundingClientRect();
    for (let i = 1; i < 12; i++) {
        for (let j = 1; j < 12; j++) {
            const ll = L.latLng(b.getSouth() + (b.getNorth() - b.getSouth()) * i / 12, b.getWest() + (b.getEast() - b.getWest()) * j / 12);
            const p = map.latLngToContainerPoint(ll);
            if (target._containsPoint(map.latLngToLayerPoint(ll))) { return [box.left + p.x, box.top + p.y]; }
        }
    }
    return null;
}"""


@pytest.fixture(scope="module")
def real_app(built_catalog, tmp_path_factory):
    with shipped_app(built_catalog, tmp_path_factory, "core_app") as base:
        yield base


def map_frame(page, timeout_ms: int = 60_000):
    """The component frame that holds the municipal layer once it has drawn its areas."""
    waited = 0
    while waited < timeout_ms:
        for frame in page.frames:
            try:
                if frame.evaluate("() => document.documentElement.getAttribute('data-govmap-areas')"):
                    return frame
            except Exception:  # frames come and go while Streamlit renders
                pass
        page.wait_for_timeout(200)
        waited += 200
    raise AssertionError("the municipal choropleth never drew")


def test_choropleth_draws_every_municipality_and_a_click_opens_kitakyushu(chromium_browser, real_app):
    browser = Recorder(chromium_browser, real_app, height=1400)
    page = browser.page
    try:
        page.goto(f"{real_app}/core_systems", wait_until="domcontentloaded")
        page.get_by_role("heading", name="基幹業務・標準化").wait_for(timeout=60_000)
        frame = map_frame(page)
        areas = int(frame.evaluate("() => document.documentElement.getAttribute('data-govmap-areas')"))
        assert areas >= 1700, areas  # layers of the municipal GeoJSON, drawn on one canvas
        assert frame.locator(".leaflet-govmapMunicipal-pane canvas").count() == 1
        assert "国土数値情報" in frame.locator(".leaflet-control-attribution").inner_text()

        point = frame.evaluate(POINT_ON, KITAKYUSHU)
        assert point, "北九州市 has no clickable area"
        offset = frame.frame_element().bounding_box()
        page.mouse.click(offset["x"] + point[0], offset["y"] + point[1])
        page.wait_for_function(f"() => location.search.includes('muni={KITAKYUSHU}')", timeout=60_000)
        # Markdown text: the app puts a word joiner after each colon (no :shortcode: rendering)
        page.get_by_text(re.compile(r"特定移行支援の該当業務:\W*住民記録 / 戸籍")).first.wait_for(timeout=60_000)
        assert "view=municipality" in page.url
        page.get_by_text("この業務の適合パッケージを持つベンダー").first.wait_for(timeout=30_000)
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
    finally:
        browser.close_and_check()
