"""Browser tests: a real `streamlit run` driven by Debian's headless Chromium through Playwright.

`playwright install` does not work here (no browser downloads): the tests use /usr/bin/chromium,
installed by scripts/install-browser.sh (`make test` runs it).  A missing browser is a failure with
a clear message, not a skip, so CI cannot silently pass without running them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
