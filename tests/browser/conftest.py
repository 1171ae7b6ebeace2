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
def streamlit_server(folder: Path, log: Path, env: dict | None = None, args: tuple = ()):
    """`streamlit run app.py` in ``folder`` on a free loopback port; yields its base URL, stops it after.
    ``args``: more command-line options (e.g. ``--secrets.files``)."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false", *args]
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


def fill_submission(page, name: str, service: str) -> None:
    """Fill in the 掲載申請 form (ja) with the required fields, wait for the browser's proof of work
    and send it; returns when the page says it was accepted."""
    from playwright.sync_api import expect

    def text(label: str, value: str) -> None:
        box = page.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Tab")

    text("名称(日本語、法人格を含む) *", name)
    page.get_by_label("組織の種類 *").click()
    page.get_by_role("option", name="スタートアップ").click()
    text("Webサイト", "https://browser.example.jp")
    text("郵便番号", "150-0002")
    expect(page.get_by_label("都道府県 *")).to_have_value("東京都", timeout=30_000)  # filled from the postal code
    text("サービス名(日本語) *", service)
    page.get_by_label("カテゴリ(5個まで) *").click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    text("担当者名 *", "山田 花子")
    text("メールアドレス *", "hanako@example.jp")
    page.get_by_text("入力した組織・サービス・導入実績の情報が公開されることに同意します", exact=False).click()
    page.wait_for_function("() => globalThis.govmapPowMs !== undefined", timeout=60_000)
    page.get_by_role("button", name="申請する").click()
    page.get_by_text("申請を受け付けました").wait_for(timeout=30_000)
