"""Load benchmark: many buyers searching at the same moment against one real `streamlit run app.py`.

Starts the app on 127.0.0.1 (a free port, map tiles off, an empty store in a temporary directory),
then for each buyer count opens that many Streamlit websocket clients (`websockets`, speaking the
same protobuf BackMsg/ForwardMsg protocol as the browser: widget states, the URL's query string,
the hashes of cached large messages).  With ``--replicas N`` it starts N app processes on the
same catalog and keeps each buyer on one of them (sticky sessions, as behind a load balancer);
CPU and RSS are then the sum over the processes.  Each buyer loads the search page, then all start together
and each does ``--steps`` updates (a search or a category facet click, from a fixed list), one
after the other, each timed from sending the rerun to the server's "script finished".

Prints per buyer count: updates, failed updates, server CPU-seconds per update (the app process's
user+system CPU time over the timed phase divided by the updates), p50/p95/max update time, and the
app's RSS after the phase.  Documented in docs/benchmarks.md.

    .venv/bin/python -m bench.load --buyers 1,10,25,50 --steps 6
    .venv/bin/python -m bench.load --catalog bench/results/synthetic-100000.duckdb --buyers 1,10,25
    .venv/bin/python -m bench.load --replicas 2 --buyers 1,10,25,50     # two app processes (docs/deploy.md)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
# What buyers do: searches (Japanese, kana, romaji, two words, the empty query) and facet clicks.
ACTIONS = [("q", "電子申請"), ("cat", 0), ("q", "地図"), ("q", "graffer"), ("cat", None), ("q", "防災 福岡"),
           ("q", "でんししんせい"), ("cat", 1), ("q", ""), ("q", "chatbot"), ("cat", None), ("q", "横浜市")]
FINISHED = ForwardMsg.ScriptFinishedStatus


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, catalog: Path | None, store_dir: str, root: Path = ROOT, store_url: str = "") -> subprocess.Popen:
    env = {**os.environ, "GOVMAP_MAP_TILES": "none", "GOVMAP_STORE_PATH": str(Path(store_dir) / "submissions.sqlite"),
           "GOVMAP_STORE_URL": store_url, **({"GOVMAP_CATALOG_PATH": str(catalog)} if catalog else {})}
    return subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_healthy(port: int, timeout_s: float = 120) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("app did not start")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, all threads


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Buyer:
    """One browser tab, as the server sees it."""

    def __init__(self, ws):
        self.ws = ws
        self.query_string = ""
        self.page_hash = ""
        self.cached: set[str] = set()
        self.widgets: dict[str, object] = {}  # element type + user key -> element proto (last seen)
        self.states: dict[str, tuple[str, object]] = {}  # widget id -> (value field, value)
        self.errors: list[str] = []  # exceptions the page showed

    async def rerun(self, timeout_s: float) -> tuple[float, bool]:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = self.page_hash
        cs.cached_message_hashes.extend(sorted(self.cached))
        for wid, (field, value) in self.states.items():
            ws_ = cs.widget_states.widgets.add()
            ws_.id = wid
            if field == "string_array_value":
                ws_.string_array_value.data.extend(value)
            else:
                setattr(ws_, field, value)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        ok = True
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout_s)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            if fm.metadata.cacheable and fm.hash:
                self.cached.add(fm.hash)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fm.new_session.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = fm.page_info_changed.query_string
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                element = fm.delta.new_element
                etype = element.WhichOneof("type")
                if etype == "exception":
                    ok = False
                    self.errors.append(f"{element.exception.type}: {element.exception.message}"[:300])
                inner = getattr(element, etype)
                wid = getattr(inner, "id", "") if etype in ("text_input", "multiselect") else ""
                if wid:
                    self.widgets[f"{etype}:{wid.rsplit('-', 1)[-1]}"] = (wid, inner)
            elif kind == "script_finished":
                if fm.script_finished in (FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                    return time.perf_counter() - started, ok
                if fm.script_finished == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    return time.perf_counter() - started, False

    def act(self, action: tuple[str, object]) -> None:
        kind, value = action
        if kind == "q":
            wid, _ = self.widgets["text_input:q"]
            self.states[wid] = ("string_value", value)
        else:
            wid, element = self.widgets["multiselect:f_cat"]
            options = list(element.options)
            chosen = [] if value is None or not options else [options[min(int(value), len(options) - 1)]]
            self.states[wid] = ("string_array_value", chosen)


async def buyer_run(port: int, index: int, steps: int, start: asyncio.Event, ready: list, timeout_s: float,
                    times: list, failures: list) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=timeout_s, ping_interval=None) as ws:
        buyer = Buyer(ws)
        await buyer.rerun(timeout_s)  # the first page load (not counted)
        ready.append(index)
        await start.wait()
        for step in range(steps):
            buyer.act(ACTIONS[(index * 5 + step) % len(ACTIONS)])
            try:
                elapsed, ok = await buyer.rerun(timeout_s)
            except (asyncio.TimeoutError, websockets.ConnectionClosed) as exc:
                failures.append(f"{type(exc).__name__}: no answer")
                return
            times.append(elapsed)
            if not ok:
                failures.append(buyer.errors[-1])


async def phase(ports: list[int], pids: list[int], buyers: int, steps: int, timeout_s: float) -> dict:
    """One timed phase; buyer i stays on replica i mod N (what a load balancer's sticky sessions do)."""
    start, ready, times, failures = asyncio.Event(), [], [], []
    tasks = [asyncio.create_task(buyer_run(ports[i % len(ports)], i, steps, start, ready, timeout_s, times, failures))
             for i in range(buyers)]
    loaded = time.monotonic()
    while len(ready) < buyers and not any(t.done() for t in tasks):
        if time.monotonic() - loaded > timeout_s * 2:
            raise TimeoutError(f"only {len(ready)} of {buyers} buyers loaded the page")
        await asyncio.sleep(0.05)
    for t in tasks:
        if t.done() and t.exception():
            raise t.exception()
    await asyncio.sleep(1.0)  # let the page loads' work settle before measuring
    cpu0, wall0 = sum(cpu_seconds(pid) for pid in pids), time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    cpu = sum(cpu_seconds(pid) for pid in pids) - cpu0
    wall = time.perf_counter() - wall0
    times.sort()
    for message in sorted(set(failures)):
        print(f"  failed update ({failures.count(message)}x): {message}", file=sys.stderr)
    q = statistics.quantiles(times, n=20, method="inclusive") if len(times) >= 2 else times * 19
    return {"buyers": buyers, "updates": len(times), "failed": len(failures),
            "cpu_s_per_update": cpu / max(len(times), 1), "p50_s": statistics.median(times) if times else float("nan"),
            "p95_s": q[18] if times else float("nan"), "max_s": times[-1] if times else float("nan"),
            "wall_s": wall, "rss_mb": sum(rss_mb(pid) for pid in pids),
            "peak_rss_mb": sum(rss_mb(pid, "VmHWM") for pid in pids)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--catalog", type=Path, help="catalog file (default: the app's, data/catalog.duckdb)")
    p.add_argument("--buyers", default="1,10,25,50", help="comma-separated buyer counts")
    p.add_argument("--steps", type=int, default=6, help="updates per buyer per phase")
    p.add_argument("--timeout", type=float, default=120, help="seconds one update may take before it fails")
    p.add_argument("--app-root", type=Path, default=ROOT,
                   help="checkout whose app.py to run (e.g. an older commit's `git archive`, for before/after)")
    p.add_argument("--replicas", type=int, default=1,
                   help="app processes serving the buyers (each buyer sticks to one, as behind a load balancer)")
    p.add_argument("--store-url", default="",
                   help="PostgreSQL URL for the replicas' store (docs/deploy.md); buyers never write to it, so "
                        "the default, one SQLite file in a temp folder shared by the replicas, measures the same")
    args = p.parse_args(argv)
    ports = [free_port() for _ in range(args.replicas)]
    with tempfile.TemporaryDirectory(prefix="govmap-load-") as store_dir:
        catalog = args.catalog.resolve() if args.catalog else ROOT / "data" / "catalog.duckdb"
        apps = [start_app(port, catalog, store_dir, args.app_root.resolve(), args.store_url) for port in ports]
        pids = [app.pid for app in apps]
        try:
            for port in ports:
                wait_healthy(port)
            load = os.getloadavg()[0]
            print(f"app {args.app_root}: {len(apps)} replica(s), pids {pids} on 127.0.0.1:{ports}, catalog {catalog}, "
                  f"nproc {os.cpu_count()}, load average before {load:.2f}", flush=True)
            for port, pid in zip(ports, pids):  # warm each: catalog loaded, imports done
                asyncio.run(phase([port], [pid], 1, 2, args.timeout))
            print("| buyers | updates | failed | CPU-s/update | p50 s | p95 s | max s | wall s | RSS MB | peak RSS MB |")
            print("|---|---|---|---|---|---|---|---|---|---|")
            for n in [int(x) for x in args.buyers.split(",") if x.strip()]:
                r = asyncio.run(phase(ports, pids, n, args.steps, args.timeout))
                print(f"| {r['buyers']} | {r['updates']} | {r['failed']} | {r['cpu_s_per_update']:.3f} | "
                      f"{r['p50_s']:.2f} | {r['p95_s']:.2f} | {r['max_s']:.2f} | {r['wall_s']:.1f} | "
                      f"{r['rss_mb']:.0f} | {r['peak_rss_mb']:.0f} |", flush=True)
            print(f"load average after {os.getloadavg()[0]:.2f}")
        finally:
            for app in apps:
                app.terminate()
            for app in apps:
                try:
                    app.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    app.kill()
                    app.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
