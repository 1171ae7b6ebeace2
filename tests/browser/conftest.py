"""Browser tests: a real `streamlit run` driven by Debian's headless Chromium through Playwright.

`playwright install` does not work here (no browser downloads): the tests use /usr/bin/chromium,
installed by scripts/install-browser.sh (`make test` runs it).  A missing browser is a failure with
a clear message, not a skip, so CI cannot silently pass without running them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives a real headless Chromium against a real `streamlit run` (needs /usr/bin/chromium)")


@pytest.fixture(scope="session")
def chromium_browser():
    """A headless Debian Chromium (fails, never skips, when it is missing)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/install-browser.sh` "
                    "(apt-get install chromium fonts-noto-cjk). Never `playwright install`.")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not become healthy in {timeout} s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def streamlit_server(folder: Path, log: Path, env: dict | None = None):
    """`streamlit run app.py` in ``folder`` on a free loopback port; yields its base URL, stops it after."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=folder, env={**os.environ, **(env or {})},
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def shipped_app(built_catalog: Path, tmp_path_factory, name: str):
    """The real app (`streamlit run app.py` in the project) on the test catalog, no tiles, an empty store."""
    folder = tmp_path_factory.mktemp(name)
    env = {"GOVMAP_CATALOG_PATH": str(built_catalog), "GOVMAP_MAP_TILES": "none",
           "GOVMAP_STORE_PATH": str(folder / "store.sqlite")}
    with streamlit_server(ROOT, folder / "streamlit.log", env) as base:
        yield base
