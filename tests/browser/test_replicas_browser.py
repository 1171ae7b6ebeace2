"""Two app servers, one PostgreSQL store (issue 13 item 2, docs/deploy.md): two real
`streamlit run` processes with GOVMAP_STORE_URL pointing at a real PostgreSQL server the test
suite started (tests/pgserver.py) and one shared catalog file.  Vendors submit through both, a
reviewer on replica A sees both submissions and approves the one sent through replica B, and the
approved organisation is then served by replica B (it reopens the catalog A's publish swapped in).
Reviewer lockouts are shared: failures on A lock the same account on B."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from conftest import fill_submission, streamlit_server

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from govmap.review import auth  # noqa: E402
from govmap.review.store import Store  # noqa: E402
from govmap.review.submissions import Submissions  # noqa: E402

PASSWORD = "a long reviewer passphrase"
LOCKED = "この接続元からこのアカウントへのログインは"  # rev.login.locked_here


def wait_for(check, timeout: float, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    return check()


def org_ids(catalog: Path) -> set[str]:
    import duckdb
    with duckdb.connect(str(catalog), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT org_id FROM organisations").fetchall()}


def submit_through(browser, base: str, name: str, address: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="ja-JP",
                                  extra_http_headers={"X-Forwarded-For": address})
    page = context.new_page()
    try:
        page.goto(f"{base}/submit", wait_until="domcontentloaded")
        page.get_by_role("heading", name="掲載申請").wait_for(timeout=30_000)
        fill_submission(page, name, name + "のサービス")
    finally:
        context.close()


def log_in(page, base: str, password: str) -> None:
    page.goto(f"{base}/review", wait_until="domcontentloaded")
    page.get_by_label("審査担当者名", exact=True).fill("alice")
    page.get_by_label("パスワード", exact=True).fill(password)
    page.get_by_role("button", name="ログイン").click()


@pytest.fixture
def replicas(chromium_browser, built_catalog, pg_url, tmp_path):
    catalog = tmp_path / "shared" / "catalog.duckdb"
    catalog.parent.mkdir()
    shutil.copyfile(built_catalog, catalog)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[reviewers]\nalice = "{auth.hash_password(PASSWORD)}"\n')
    env = {"GOVMAP_CATALOG_PATH": str(catalog), "GOVMAP_STORE_URL": pg_url, "GOVMAP_MAP_TILES": "none",
           "GOVMAP_TRUSTED_PROXY_HEADER": "X-Forwarded-For", "GOVMAP_SUBMIT_MIN_FILL_SECONDS": "0",
           "GOVMAP_REVIEWER_LOCKOUT_FAILURES": "3"}
    args = ("--secrets.files", str(secrets))
    with streamlit_server(ROOT, tmp_path / "a.log", env, args) as a, \
            streamlit_server(ROOT, tmp_path / "b.log", env, args) as b:
        yield a, b, catalog, pg_url


def test_two_replicas_share_submissions_approvals_and_lockouts(chromium_browser, replicas):
    a, b, catalog, url = replicas
    submit_through(chromium_browser, a, "株式会社レプリカエー", "198.51.100.1")
    submit_through(chromium_browser, b, "株式会社レプリカビー", "198.51.100.2")
    subs = Submissions(Store(url))
    queued = {i["name_ja"]: i["receipt"] for i in subs.queue(())}
    assert set(queued) == {"株式会社レプリカエー", "株式会社レプリカビー"}  # both in the one store
    receipt_b = queued["株式会社レプリカビー"]

    context = chromium_browser.new_context(viewport={"width": 1280, "height": 1200}, locale="ja-JP")
    page = context.new_page()
    try:
        log_in(page, a, PASSWORD)  # the reviewer works on replica A
        page.get_by_label("審査する申請").click()
        page.get_by_role("option", name="株式会社レプリカビー").click()  # the submission sent through B
        page.get_by_text("操作", exact=True).wait_for(timeout=30_000)
        page.get_by_role("button", name="実行").click()
        assert wait_for(lambda: subs.detail(receipt_b)["status"] == "approved", 30), subs.detail(receipt_b)["status"]
        org = f"sub_{receipt_b}"
        assert wait_for(lambda: org in org_ids(catalog), 90), subs.store.publishes()  # A's publish swapped it in
        # Replica B never saw the approval happen: it serves the new catalog at its next run.
        page.goto(f"{b}/vendor?org={org}", wait_until="domcontentloaded")
        page.get_by_role("heading", name="株式会社レプリカビー").wait_for(timeout=30_000)
    finally:
        context.close()
    assert subs.detail(queued["株式会社レプリカエー"])["status"] == "pending"
    assert subs.verify_audit_chain()

    # Lockouts live in the store too: three wrong passwords on B lock alice's address there, and
    # A refuses the right password from that address.
    context = chromium_browser.new_context(locale="ja-JP", extra_http_headers={"X-Forwarded-For": "203.0.113.9"})
    page = context.new_page()
    try:
        for i in range(3):
            log_in(page, b, f"wrong {i}")
            page.get_by_text("名前またはパスワードが違います", exact=False).or_(
                page.get_by_text(LOCKED, exact=False)).first.wait_for(timeout=30_000)
        log_in(page, a, PASSWORD)
        page.get_by_text(LOCKED, exact=False).first.wait_for(timeout=30_000)
    finally:
        context.close()
    assert Store(url).locked_for("login", "local:alice", "203.0.113.9") > 0
