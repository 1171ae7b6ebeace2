"""Benchmark: `python -m bench.run [--sizes 1000,10000,100000] [--runs 3]` (docs/benchmarks.md).

For each size N it builds a SYNTHETIC catalog (never the real one) and measures, printing a table
with each figure's ratio to the smallest size:
  ETL build time and peak memory (child process max RSS);
  the app's catalog load (Browser: frames, search index, facets) in this process;
  search latency p50/p95 over a fixed query set, server side, warm;
  facet/filter latency p50/p95;
  map: server time, payload (the map document plus the vendored Leaflet files it loads) and
  headless-Chromium time until markers or circles are drawn;
  app cold start (`streamlit run` → first page with map and table drawn), the same for a
  one-line Streamlit app (Streamlit's own share), the app's steady RSS, and whether zooming
  and panning the map made the browser ask for a rerun.
Not a test: figures depend on the machine; record them with the command in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
QUERIES = ["電子申請", "でんししんせい", "online forms", "グラファー", "graffer", "サイボウス", "防災 福岡",
           "chatbot", "地図", "ｸﾗｳﾄﾞ", "株式会社データ", "横浜市", "ai", ""]
FILTER_SETS = [
    {}, {"categories": ["gis"]}, {"regions": ["関東"]}, {"flags": ["has_api"]},
    {"categories": ["online_forms", "chatbot_ai"], "regions": ["九州・沖縄"], "has_adoptions": True},
    {"location": "unlocated"}, {"org_types": ["startup"], "prefectures": ["東京都"]},
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def build_catalog(n: int, runs: int) -> tuple[Path, float, float]:
    """Median build seconds and max peak RSS (MB) over ``runs`` builds in child processes."""
    out = RESULTS / f"synthetic-{n}.duckdb"
    times, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        with tempfile.TemporaryFile("w+") as errors:
            proc = subprocess.Popen([sys.executable, "-m", "etl", "synth", "--orgs", str(n), "--out", str(out)],
                                    cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors, text=True)
            _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS (KiB on Linux)
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode:
                errors.seek(0)
                raise SystemExit(errors.read()[-2000:])
        times.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss / 1024)
    return out, statistics.median(times), max(peaks)


def server_side(catalog: Path, runs: int) -> dict[str, float]:
    """Figures of the app's core, in this process, warm (one untimed pass first).

    A search or facet figure is what one rerun of the search page spends on the list: the search
    and the facet counts (Browser.run) plus the rows it shows (BrowseResult.frame of
    search_result_limit rows, reasons included).  The map is timed apart: its input (the located
    matches), the folium map and its HTML, for the default view (empty query, no filter)."""
    from govmap import settings
    from govmap.maps import mapassets, mapview
    from govmap.finder.browse import Browser
    from govmap.finder.catalog import Catalog
    from govmap.finder.facets import Filters
    started = time.perf_counter()
    browser = Browser(Catalog(catalog))
    load_s = time.perf_counter() - started
    shown = int(settings.get("search_result_limit"))

    def timed(query: str, filters: Filters) -> float:
        started = time.perf_counter()
        browser.run(query, filters).frame(shown)
        return (time.perf_counter() - started) * 1000

    search, facet = [], []
    for run in range(runs + 1):
        s = [timed(q, Filters(categories=["online_forms"]) if q == "" else Filters()) for q in QUERIES]
        f = [timed("", Filters(**spec)) for spec in FILTER_SETS]
        if run:  # the first pass only warms up
            search += s
            facet += f
    builds, payload = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        result = browser.run("", Filters())
        fmap = mapview.build_map(result.located(), None, marker_limit=settings.get("map_marker_limit"), tiles="none",
                                 category_labels=browser.category_labels("ja"))
        payload = mapview.map_payload_bytes(fmap)
        builds.append(time.perf_counter() - started)
    assets = sum(mapassets.local_path(u).stat().st_size for u in mapassets.all_urls())
    return {"app_load_s": load_s,
            "search_p50_ms": percentile(search, .5), "search_p95_ms": percentile(search, .95),
            "facet_p50_ms": percentile(facet, .5), "facet_p95_ms": percentile(facet, .95),
            "map_build_s": statistics.median(builds), "map_html_mb": payload / 1e6,
            "map_payload_mb": (payload + assets) / 1e6}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        catalog, build_s, peak_mb = build_catalog(n, args.runs)
        row = {"N": n, "build_s": build_s, "build_peak_mb": peak_mb, **server_side(catalog, args.runs)}
        if not args.no_browser:
            from bench.browser import measure_app
            row.update(measure_app(catalog, args.runs))
        rows.append(row)
        print(f"measured N={n}: {row}", flush=True)
    print_table(rows)
    return 0


def print_table(rows: list[dict]) -> None:
    keys = [k for k in rows[0] if k != "N"]
    print("\n| figure | " + " | ".join(f"N={r['N']:,}" for r in rows) + " | " +
          " | ".join(f"ratio {r['N'] // rows[0]['N']}x" for r in rows[1:]) + " |")
    print("|---|" + "---|" * (2 * len(rows) - 1))
    for key in keys:
        base = rows[0][key] or 1e-9
        cells = [f"{r[key]:.3g}" for r in rows] + [f"{r[key] / base:.2f}" for r in rows[1:]]
        print(f"| {key} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    os.environ.setdefault("GOVMAP_MAP_TILES", "none")
    sys.exit(main())
