"""The map in a real browser: offline, escaped, clickable.

Runs tests/browser/map_harness.py with a real `streamlit run` and drives Debian's headless
Chromium against it.  How the app is started (the clean option): Streamlit serves `static/` from
the folder of the *entry-point script*, and reads `.streamlit/config.toml` from the working
directory.  So the harness is copied as `app.py` into a throw-away folder together with a copy of
the project's `static/` (the committed vendor files, ~350 KB) and of `.streamlit/config.toml` (the
production settings, `enableStaticServing` included); `PYTHONPATH` points at the project so the
harness imports the real `govmap`.  Nothing is written into the shared tree except the screenshot
in test-output/.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import map_harness
from conftest import streamlit_server

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCREENSHOT = ROOT / "test-output" / "map.png"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("map_app")
    shutil.copy(HERE / "map_harness.py", folder / "app.py")
    shutil.copytree(ROOT / "static", folder / "static")
    (folder / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with streamlit_server(folder, folder / "streamlit.log", env) as base:
        yield base


class Session:
    """One page load shared by the tests below, with everything the browser did recorded."""

    def __init__(self, browser, base: str):
        self.base, self.requests, self.dialogs, self.errors, self.bad = base, [], [], [], []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.on("dialog", self._dialog)
        self.context.on("requestfailed", lambda r: self.bad.append(f"failed {r.url}"))
        self.context.on("response", lambda r: r.status >= 400 and self.bad.append(f"{r.status} {r.url}"))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(base, wait_until="domcontentloaded")
        self.frame = self._map_frame()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _map_frame(self, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for frame in self.page.frames:
                if "streamlit_folium" in frame.url:
                    return frame
            self.page.wait_for_timeout(200)
        pytest.fail("no st_folium iframe appeared")


@pytest.fixture(scope="module")
def session(chromium_browser, app_url):
    s = Session(chromium_browser, app_url)
    yield s
    s.context.close()


def test_vendor_assets_are_served_with_script_and_style_types(app_url):
    for path, kind in (("/app/static/vendor/leaflet/leaflet.js", "javascript"),
                       ("/app/static/vendor/leaflet.markercluster/MarkerCluster.css", "css")):
        with urllib.request.urlopen(app_url + path, timeout=5) as response:
            assert response.status == 200 and kind in response.headers["Content-Type"], path


def test_map_draws_prefectures_and_markers(session):
    frame = session.frame
    frame.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length >= 47",
                            timeout=30000)
    outlines = frame.evaluate("""() => [...document.querySelectorAll('.leaflet-overlay-pane path')]
                                     .filter(p => !p.classList.contains('govmap-org')).length""")
    assert outlines == 47, "one SVG path per prefecture"
    frame.wait_for_selector("path.govmap-org", timeout=10000)
    assert frame.locator(".marker-cluster").count() >= 1, "the three Tokyo vendors form a cluster"
    assert "カテゴリ" in frame.locator(".govmap-legend").inner_text()


def _script_runs(page) -> int:
    return int(page.get_by_text("script runs: ").inner_text().split(":")[1])


def test_zooming_and_panning_do_not_rerun_the_page(session):
    frame, page = session.frame, session.page
    frame.wait_for_selector("path.govmap-org", timeout=30000)
    page.wait_for_timeout(1000)  # st_folium reports the initial view once
    before = _script_runs(page)
    frame.locator(".leaflet-control-zoom-in").click()
    box = frame.locator(".leaflet-container").bounding_box()
    page.mouse.move(box["x"] + 600, box["y"] + 100)
    page.mouse.down()
    page.mouse.move(box["x"] + 640, box["y"] + 130, steps=5)
    page.mouse.up()
    frame.locator(".leaflet-control-zoom-out").click()
    page.wait_for_timeout(1500)  # longer than st_folium's 250 ms debounce plus a rerun
    assert _script_runs(page) == before, "returned_objects=['last_object_clicked_popup'] must not rerun on pan/zoom"


def _open_hostile_popup(frame) -> str:
    markers = frame.locator("path.govmap-org")
    for index in range(markers.count()):
        markers.nth(index).click()
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        text = popup.inner_text()
        if f"ID: {map_harness.HOSTILE_ID}" in text:
            return text
    pytest.fail("no marker opened the hostile vendor's popup")


def test_popup_shows_hostile_text_literally_and_click_selects_vendor(session):
    frame = session.frame
    frame.wait_for_selector("path.govmap-org", timeout=30000)
    text = _open_hostile_popup(frame)
    for hostile in map_harness.HOSTILE_STRINGS:
        assert hostile in text, f"popup should show {hostile!r} as text"
    assert "防災・危機管理" in text and "中小企業" in text, "Japanese labels in the popup"
    # st_folium returns the popup text; the harness prints selected_org_id() of it after the rerun.
    session.page.get_by_text(f"selected: {map_harness.HOSTILE_ID}", exact=True).wait_for(timeout=20000)
    shown = session.page.get_by_text("returned: ", exact=False).inner_text()
    returned = json.loads(shown.removeprefix("returned: "))
    assert list(returned) == ["last_object_clicked_popup"], "only the requested object comes back"
    assert returned["last_object_clicked_popup"].rstrip().endswith(f"ID: {map_harness.HOSTILE_ID}")
    assert map_harness.HOSTILE_NAME in returned["last_object_clicked_popup"], "innerText: literal text"
    print("st_folium returned:", shown)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    session.page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_nothing_executed_injected_or_fetched_off_origin(session):
    session.page.wait_for_timeout(500)
    assert session.dialogs == [], f"a dialog fired: {session.dialogs}"
    for frame in session.page.frames:
        assert frame.locator('img[src="x"]').count() == 0, f"injected <img> in {frame.url}"
        assert frame.locator('a[href^="javascript"]').count() == 0, f"javascript: link in {frame.url}"
    origin = urlsplit(session.base).netloc
    off_origin = [u for u in session.requests
                  if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).netloc != origin]
    assert off_origin == [], f"requests left the app's origin: {off_origin}"
    assert any(u.endswith("/app/static/vendor/leaflet/leaflet.js") for u in session.requests)
    assert session.bad == [], f"failed requests: {session.bad}"
    assert session.errors == [], f"JavaScript errors: {session.errors}"


# -- first view, place labels (a map without tiles) -----------------------------------------------
def _fresh(chromium_browser, app_url, query: str = "") -> Session:
    s = Session(chromium_browser, app_url + query)
    s.frame.wait_for_selector("path.govmap-org", timeout=30000)
    s.page.wait_for_timeout(500)
    return s


def test_first_view_includes_okinawa(chromium_browser, app_url):
    s = _fresh(chromium_browser, app_url)
    try:
        ishigaki = [o for o in map_harness.ORGS if o[0] == "ishigaki_demo"][0]
        inside = s.frame.evaluate("([lat, lon]) => window.map.getBounds().contains([lat, lon])", ishigaki[4:6])
        assert inside, "the vendor in Ishigaki (Okinawa) must be inside the first view"
        for org in map_harness.ORGS:
            assert s.frame.evaluate("([lat, lon]) => window.map.getBounds().contains([lat, lon])", [org[4], org[5]])
    finally:
        s.context.close()


def _labels(frame, kind: str) -> list[str]:
    return frame.evaluate(f"() => [...document.querySelectorAll('.govmap-label-{kind}')].map(e => e.textContent)")


def test_place_labels_prefectures_then_municipalities_in_view(chromium_browser, app_url):
    s = _fresh(chromium_browser, app_url)
    try:
        frame = s.frame
        frame.evaluate("() => window.map.setView([36.0, 138.0], 6, {animate: false})")
        frame.wait_for_selector(".govmap-label-pref", timeout=5000)
        prefs = _labels(frame, "pref")
        assert "長野県" in prefs and "東京都" in prefs and _labels(frame, "muni") == []
        assert "沖縄県" not in prefs, "only labels in view"
        frame.evaluate("() => window.map.setView([33.59, 130.40], 10, {animate: false})")
        frame.wait_for_selector(".govmap-label-muni", timeout=5000)
        munis = _labels(frame, "muni")
        assert "福岡市" in munis and "札幌市" not in munis and _labels(frame, "pref") == []
        # Drawn over the white-filled prefecture outlines (a pane under them hid every label on land).
        label_z, outline_z = frame.evaluate("""() => [window.map.getPane('govmapLabels'), window.map.getPane('overlayPane')]
                                                .map(p => Number(getComputedStyle(p).zIndex))""")
        assert label_z > outline_z
    finally:
        s.context.close()


def test_place_labels_in_romaji_on_english_maps(chromium_browser, app_url):
    s = _fresh(chromium_browser, app_url, "/?lang=en")
    try:
        s.frame.evaluate("() => window.map.setView([33.59, 130.40], 10, {animate: false})")
        s.frame.wait_for_selector(".govmap-label-muni", timeout=5000)
        munis = _labels(s.frame, "muni")
        assert "Fukuoka-shi" in munis and not any("市" in m for m in munis)
    finally:
        s.context.close()
