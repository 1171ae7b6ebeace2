"""Benchmark of the 基幹業務・標準化 municipal choropleth: `python -m bench.choropleth [--runs 3]`.

On the real catalog (data/catalog.duckdb, or GOVMAP_CATALOG_PATH), it measures
  server side: loading the page's figures (CoreSystems), building the map for each metric, the map
  document's size (values only) and the payload the browser takes in the first time
  (document + the municipal GeoJSON fetched from /app/static + the vendored Leaflet files);
  browser side (headless Chromium, `streamlit run app.py`): seconds from opening /core_systems on a
  running server until the municipal layer has drawn its areas (first load, then after a reload
  with the GeoJSON in the browser cache), and the number of areas drawn.
Budget (docs/benchmarks.md): payload ≤ 3 MB, drawn ≤ 3 s.  Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from bench.browser import CHROMIUM_ARGS, _goto_when_up, free_port, start_app

ROOT = Path(__file__).resolve().parent.parent
AREAS = "() => document.documentElement.getAttribute('data-govmap-areas')"


def server_side(catalog: Path, runs: int) -> dict[str, float]:
    from govmap.coresystems import std_map
    from govmap.maps import mapassets, mapview
    from govmap.finder.catalog import Catalog
    from govmap.coresystems.standardisation import CoreSystems
    started = time.perf_counter()
    cs = CoreSystems(Catalog(catalog))
    load_s = time.perf_counter() - started
    builds, sizes = [], []
    for _ in range(runs):
        for metric, gyomu in (("overall", None), ("gyomu", "resident_registry"), ("tokutei", None)):
            started = time.perf_counter()
            classes, colours, labels = cs.classes(metric, gyomu)
            tips = {c: f"{cs.municipality_label(c)}: {v}" for c, v in cs.values(metric, gyomu).items()}
            fmap = std_map.choropleth_map(classes.to_dict(), tips, colours, labels, title=metric, no_data_label="-")
            sizes.append(mapview.map_payload_bytes(fmap))
            builds.append(time.perf_counter() - started)
    geometry = std_map.BOUNDARIES_FILE.stat().st_size
    assets = sum(mapassets.local_path(u).stat().st_size for _, u in mapassets.MAP_JS + mapassets.MAP_CSS)
    html = max(sizes)
    return {"std_load_s": load_s, "choropleth_build_s": statistics.median(builds), "choropleth_html_mb": html / 1e6,
            "choropleth_geometry_mb": geometry / 1e6, "choropleth_payload_mb": (html + geometry + assets) / 1e6}


def _drawn(page, timeout_s: float = 120) -> tuple[float, int]:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        for frame in page.frames:
            try:
                areas = frame.evaluate(AREAS)
            except Exception:  # frames come and go while Streamlit renders
                continue
            if areas:
                return time.perf_counter() - started, int(areas)
        page.wait_for_timeout(50)
    raise TimeoutError("choropleth not drawn")


def browser_side(catalog: Path, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright
    port = free_port()
    app = start_app(catalog, port)
    first, warm, areas = [], [], 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1200})
                _goto_when_up(page, f"http://127.0.0.1:{port}/core_systems")
                _drawn(page)  # server warm-up: first script run, caches filled
                for _ in range(runs):
                    context = browser.new_context(viewport={"width": 1400, "height": 1200})
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{port}/core_systems")
                    _, areas = _drawn(page)
                    first.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    page.reload()
                    _drawn(page)
                    warm.append(time.perf_counter() - started)
                    context.close()
            finally:
                browser.close()
    finally:
        app.terminate()
        app.wait(timeout=30)
    return {"choropleth_draw_s": statistics.median(first), "choropleth_redraw_s": statistics.median(warm),
            "choropleth_areas": float(areas)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.choropleth")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    catalog = Path(os.environ.get("GOVMAP_CATALOG_PATH", ROOT / "data" / "catalog.duckdb"))
    row = server_side(catalog, args.runs)
    if not args.no_browser:
        row.update(browser_side(catalog, args.runs))
    print("\n| figure | value |\n|---|---|")
    for key, value in row.items():
        print(f"| {key} | {value:.3g} |")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("GOVMAP_MAP_TILES", "none")
    sys.exit(main())
