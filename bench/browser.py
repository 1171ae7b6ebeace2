"""Browser-side benchmark figures: cold start and time to a drawn map in headless Chromium,
and the app process's steady memory.  Uses Debian's chromium through Playwright."""

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(catalog: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "GOVMAP_CATALOG_PATH": str(catalog), "GOVMAP_MAP_TILES": "none"}
    return subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
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
        _goto_when_up(page, f"http://127.0.0.1:{port}/")
        wait_drawn(page)
        cold = time.perf_counter() - launched
        page.reload()
        draw = wait_drawn(page)  # warm server: time for the page and the map to draw again
        time.sleep(2)
        return {"cold_start_s": cold, "map_draw_s": draw, "app_rss_mb": rss_mb(app.pid)}
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
    return {key: statistics.median(r[key] for r in results) for key in results[0]}
