"""掲載申請 in a real headless Chromium against a real `streamlit run` behind a (simulated) trusted
proxy: while a script floods the store from one address, a vendor at another address fills in the
form, the browser solves the proof of work without being asked (static/pow.js, offline), and the
submission is accepted (issue 10 item 6)."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import fill_submission, streamlit_server
from entries import entry
from govmap.review import antiautomation as aa
from govmap.review.store import RateLimited, Store
from govmap.review.submissions import Submissions

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
VENDOR_ADDRESS = "198.51.100.23"
FLOOD_ADDRESS = "203.0.113.66"


@pytest.fixture(scope="module")
def submit_app(built_catalog, tmp_path_factory):
    folder = tmp_path_factory.mktemp("submit_app")
    store = folder / "store.sqlite"
    env = {"GOVMAP_CATALOG_PATH": str(built_catalog), "GOVMAP_MAP_TILES": "none", "GOVMAP_STORE_PATH": str(store),
           "GOVMAP_TRUSTED_PROXY_HEADER": "X-Forwarded-For", "GOVMAP_SUBMIT_MIN_FILL_SECONDS": "0"}
    with streamlit_server(ROOT, folder / "streamlit.log", env) as base:
        yield base, store


def flood(store_path: Path, n: int) -> tuple[int, int]:
    """A script sending ``n`` submissions from one address, a new session each, solving every challenge."""
    subs, accepted, refused = Submissions(Store(store_path)), 0, 0
    for i in range(n):
        challenge = subs.store.issue_challenge(FLOOD_ADDRESS, 8, 7200)
        payload, contact = entry(f"株式会社スパム{i}")
        try:
            subs.submit(payload, contact, token=f"t{i}", nonce=f"flood{i}", address=FLOOD_ADDRESS,
                        proof=(challenge, aa.solve(challenge, 8)), limits=aa.submission_limits(f"s{i}", FLOOD_ADDRESS))
            accepted += 1
        except RateLimited:
            refused += 1
    return accepted, refused


def test_a_vendor_elsewhere_submits_during_a_flood_and_the_browser_solves_the_proof_of_work(chromium_browser,
                                                                                          submit_app):
    base, store_path = submit_app
    assert flood(store_path, 300) == (10, 290)
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 1000}, locale="ja-JP",
                                           extra_http_headers={"X-Forwarded-For": VENDOR_ADDRESS})
    requests, errors = [], []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{base}/submit", wait_until="domcontentloaded")
        page.get_by_role("heading", name="掲載申請").wait_for(timeout=30_000)
        started = time.monotonic()
        fill_submission(page, "株式会社ブラウザ申請", "ブラウザ申請サービス")
        filled = time.monotonic() - started
        solve_ms = page.evaluate("() => globalThis.govmapPowMs")
    finally:
        context.close()
    print(f"browser: the 18-bit proof of work took {solve_ms} ms; filling and sending took {filled:.1f} s")
    subs = Submissions(Store(store_path))
    [mine] = [i for i in subs.queue(()) if i["name_ja"] == "株式会社ブラウザ申請"]
    assert len(subs.queue(())) == 11
    with subs.store.snapshot() as con:  # the address came from the proxy header, not the loopback peer
        row = con.execute("SELECT address FROM guard_known WHERE scope = 'token' AND subject = ?",
                          (mine["receipt"],)).fetchone()
        left = con.execute("SELECT count(*) FROM challenges WHERE address = ?", (VENDOR_ADDRESS,)).fetchone()[0]
    assert row["address"] == VENDOR_ADDRESS
    assert left == 0  # its challenge was spent
    origin = urlsplit(base).netloc
    assert not [u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                and urlsplit(u).netloc != origin]  # offline: no CDN
    assert not errors, errors
