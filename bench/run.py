"""Benchmark: `python -m bench.run [--sizes 1000,10000,100000] [--runs 3]` (docs/benchmarks.md).

For each size N it builds a SYNTHETIC catalog (never the real one) and measures, printing a table
with each figure's ratio to the smallest size:
  ETL build time and peak memory (child process max RSS);
  search latency p50/p95 over a fixed query set, server side, warm;
  facet/filter latency p50/p95;
  map payload (bytes of the default map view) and headless-Chromium time until drawn;
  app cold start (`streamlit run` → first page with the map drawn) and the app's steady RSS.
Not a test: figures depend on the machine; record them with the command in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
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
        proc = subprocess.run([sys.executable, "-m", "etl", "synth", "--orgs", str(n), "--out", str(out)],
                              cwd=ROOT, capture_output=True, text=True)
        if proc.returncode:
            raise SystemExit(proc.stderr[-2000:])
        times.append(time.perf_counter() - started)
        peaks.append(_child_peak_mb())
    return out, statistics.median(times), max(peaks)


def _child_peak_mb() -> float:
    # ru_maxrss of children is the largest child so far (KiB on Linux): builds grow with N, so
    # the running maximum is this size's peak.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def server_side(catalog: Path, runs: int) -> dict[str, float]:
    from govmap import mapview, settings
    from govmap.browse import Browser
    from govmap.catalog import Catalog
    from govmap.facets import Filters
    browser = Browser(Catalog(catalog))
    search, facet = [], []
    for _ in range(runs):
        for q in QUERIES:
            started = time.perf_counter()
            browser.run(q, Filters(categories=["online_forms"]) if q == "" else Filters())
            search.append((time.perf_counter() - started) * 1000)
        for spec in FILTER_SETS:
            started = time.perf_counter()
            browser.run("", Filters(**spec))
            facet.append((time.perf_counter() - started) * 1000)
    result = browser.run("", Filters())
    located = result.orgs[result.orgs["located"]].assign(hq_label="")
    started = time.perf_counter()
    fmap = mapview.build_map(located, browser.adopter_points(result.orgs["org_id"]),
                             marker_limit=settings.get("map_marker_limit"), tiles="none",
                             category_labels=browser.category_labels("ja"))
    payload = mapview.map_payload_bytes(fmap)
    return {"search_p50": percentile(search, .5), "search_p95": percentile(search, .95),
            "facet_p50": percentile(facet, .5), "facet_p95": percentile(facet, .95),
            "map_build_s": time.perf_counter() - started, "map_payload_mb": payload / 1e6}


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
