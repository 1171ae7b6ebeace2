"""Browser-side benchmark figures: cold start and time to a drawn map in headless Chromium,
the same cold start for a one-line Streamlit app (Streamlit's own share), the app process's
steady memory, and whether zooming and panning the map asked the server for a rerun.
Uses Debian's chromium through Playwright."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
DRAWN = ".leaflet-interactive, .marker-cluster, .leaflet-marker-icon"
TABLE = "[data-testid='stDataFrame']"
TRIVIAL = "[data-testid='stMarkdownContainer']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(catalog: Path | None, port: int, script: str = "app.py") -> subprocess.Popen:
    env = {**os.environ, "GOVMAP_MAP_TILES": "none", **({"GOVMAP_CATALOG_PATH": str(catalog)} if catalog else {})}
    return subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_drawn(page, timeout_s: float = 120) -> float:
    """Seconds until the map iframe holds drawn markers, clusters or circles."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        for frame in page.frames:
            try:
                if frame.query_selector(DRAWN):
                    return time.perf_counter() - started
            except Exception:  # frames come and go while Streamlit renders
                pass
        page.wait_for_timeout(50)
    raise TimeoutError("map not drawn")


def one_run(catalog: Path, playwright) -> dict[str, float]:
    port = free_port()
    launched = time.perf_counter()
    app = start_app(catalog, port)
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        sent = []
        page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(time.perf_counter())))
        _goto_when_up(page, f"http://127.0.0.1:{port}/")
        wait_drawn(page)
        page.wait_for_selector(TABLE, timeout=120000)
        cold = time.perf_counter() - launched
        page.reload()
        draw = wait_drawn(page)  # warm server: time for the page and the map to draw again
        page.wait_for_selector(TABLE, timeout=120000)
        page.wait_for_timeout(2000)  # st_folium reports its first view once
        reruns = _pan_and_zoom(page, sent)
        return {"cold_start_s": cold, "map_draw_s": draw, "app_rss_mb": rss_mb(app.pid), "pan_zoom_reruns": reruns}
    finally:
        browser.close()
        app.terminate()
        app.wait(timeout=30)


def _pan_and_zoom(page, sent: list) -> float:
    """Messages the page sent to the server while the map was zoomed in, dragged and zoomed out
    (a rerun request is one; st_folium with returned_objects=[...] should send none)."""
    frame = next(f for f in page.frames if f.query_selector(".leaflet-container"))
    before = len(sent)
    frame.locator(".leaflet-control-zoom-in").click()
    box = frame.locator(".leaflet-container").bounding_box()
    page.mouse.move(box["x"] + 400, box["y"] + 200)
    page.mouse.down()
    page.mouse.move(box["x"] + 460, box["y"] + 240, steps=5)
    page.mouse.up()
    frame.locator(".leaflet-control-zoom-out").click()
    page.wait_for_timeout(1500)  # longer than st_folium's debounce plus a rerun
    return float(len(sent) - before)


def streamlit_baseline(playwright) -> float:
    """Seconds from `streamlit run bench/trivial_app.py` until its one line is shown."""
    port = free_port()
    launched = time.perf_counter()
    app = start_app(None, port, "bench/trivial_app.py")
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        _goto_when_up(page, f"http://127.0.0.1:{port}/")
        page.wait_for_selector(TRIVIAL, timeout=60000)
        return time.perf_counter() - launched
    finally:
        browser.close()
        app.terminate()
        app.wait(timeout=30)


def _goto_when_up(page, url: str, timeout_s: float = 60) -> None:
    started = time.perf_counter()
    while True:
        try:
            page.goto(url)
            return
        except Exception:
            if time.perf_counter() - started > timeout_s:
                raise
            time.sleep(0.1)


def measure_app(catalog: Path, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        results = [one_run(catalog, p) for _ in range(runs)]
        baseline = statistics.median(streamlit_baseline(p) for _ in range(runs))
    return {**{key: statistics.median(r[key] for r in results) for key in results[0]}, "streamlit_only_s": baseline}
