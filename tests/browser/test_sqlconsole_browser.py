"""The SQL console's limits on a real server (`streamlit run app.py`) driven by headless Chromium:
a single huge value is stopped and reported within the time limit + 1 s, the server process does
not grow, the next query works, and no worker process outlives the server (issue 10, item 2)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import streamlit_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: shipped.py
import shipped  # noqa: E402

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
LIMIT_MS = 1000
MB = 1024 * 1024


def server_pid(base: str) -> int:
    port = str(urlsplit(base).port)
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(args) and b"--server.port" in args and port.encode() in args:
            return int(proc.name)
    raise AssertionError(f"no streamlit process on port {port}")


def console_workers() -> set[int]:
    found = set()
    for proc in Path("/proc").iterdir():
        try:
            if b"govmap.finder.sqlworker" in (proc / "cmdline").read_bytes():
                found.add(int(proc.name))
        except OSError:
            continue
    return found


def parent_of(pid: int) -> int:
    return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])


def rss_bytes(pid: int) -> int:
    status = (Path("/proc") / str(pid) / "status").read_text()
    return next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:"))


def run_query(page, sql: str, shows: str) -> float:
    """Type and run ``sql``; seconds until ``shows`` is on the page."""
    page.get_by_role("textbox", name="SQL").fill(sql)
    started = time.perf_counter()
    page.get_by_role("button", name="実行", exact=True).click()
    page.get_by_text(shows).first.wait_for(timeout=60_000)
    return time.perf_counter() - started


def test_huge_values_are_stopped_on_the_real_server_and_workers_end_with_it(chromium_browser, built_catalog, tmp_path):
    env = {"GOVMAP_CATALOG_PATH": str(built_catalog), "GOVMAP_MAP_TILES": "none",
           "GOVMAP_STORE_PATH": str(tmp_path / "store.sqlite"), "GOVMAP_SQL_TIME_LIMIT_MS": str(LIMIT_MS)}
    before = console_workers()
    with streamlit_server(ROOT, tmp_path / "streamlit.log", env) as base:
        server = server_pid(base)
        context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
        page = context.new_page()
        page.goto(f"{base}/sql", wait_until="domcontentloaded")
        page.get_by_role("heading", name="SQL分析").wait_for(timeout=30_000)
        run_query(page, "SELECT 1 AS one", "1 行")  # the page started a worker; this one is warm

        start_rss, peak = rss_bytes(server), [rss_bytes(server)]
        stop = threading.Event()
        sampler = threading.Thread(target=lambda: [peak.append(rss_bytes(server)) for _ in iter(lambda: stop.wait(0.02), True)])
        sampler.start()
        try:
            # Each stop is compared with a small query's round trip just before it (the page's own
            # rerun and the browser), so the figure is what the stop itself adds.
            small_1 = run_query(page, "SELECT org_id FROM v_organisations LIMIT 3", "3 行")
            memory_s = run_query(page, "SELECT repeat('x', 1000000000) AS s", "メモリの上限")
            run_query(page, "SELECT org_id FROM v_organisations", f"{shipped.organisations()} 行")  # the next query works
            small_2 = run_query(page, "SELECT org_id FROM v_organisations LIMIT 5", "5 行")
            time_s = run_query(page, "SELECT length(repeat('x', 300000000)) AS n", f"{LIMIT_MS} ミリ秒の制限時間")
            run_query(page, "SELECT org_id FROM v_organisations LIMIT 50", "50 行")
        finally:
            stop.set()
            sampler.join()
        print(f"\nreal server, click to message: memory stop {memory_s:.2f} s (small query {small_1:.2f} s), "
              f"time stop {time_s:.2f} s (small query {small_2:.2f} s); server RSS {start_rss / MB:.0f} → peak "
              f"{max(peak) / MB:.0f} MB")
        assert memory_s - small_1 < LIMIT_MS / 1000 + 1 and time_s - small_2 < LIMIT_MS / 1000 + 1
        assert max(peak) - start_rss < 100 * MB
        workers = {pid for pid in console_workers() - before if parent_of(pid) == server}
        assert workers, "the console's queries ran in worker processes of the server"
        context.close()
    deadline = time.monotonic() + 10
    while workers & console_workers() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not workers & console_workers(), "a console worker outlived the server"
