"""kill -9 of the app and its build right after an approval, then a real `streamlit run` restart:
the first page view of the restarted server resumes the publish, and the entry is in the catalog
within 60 s of the restart (issue 13).  The approval runs in a process of its own that does what
the 審査 page does (ui/reviewer.act: approve, then publish.request), so it can be killed there."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import streamlit_server

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_publish_durability import APPROVING_APP, org_ids, submitted, temps, wait_for  # noqa: E402

from govmap.review.store import Store  # noqa: E402
from govmap.review.submissions import Submissions  # noqa: E402


def test_a_killed_approval_is_published_after_a_real_server_restart(chromium_browser, built_catalog, tmp_path):
    catalog = tmp_path / "catalog.duckdb"
    shutil.copyfile(built_catalog, catalog)
    store = tmp_path / "store" / "submissions.sqlite"
    subs = Submissions(Store(store))
    receipt = submitted(subs)
    env = {"GOVMAP_CATALOG_PATH": str(catalog), "GOVMAP_STORE_PATH": str(store), "GOVMAP_MAP_TILES": "none"}
    app = subprocess.Popen([sys.executable, "-c", APPROVING_APP, str(store), receipt, str(catalog)],
                           cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True)
    try:
        builder = int(app.stdout.readline())
        assert wait_for(lambda: subs.store.publishes() and subs.store.publishes()[0]["started_at"], 30)
    finally:
        os.kill(app.pid, signal.SIGKILL)
        app.wait()
    os.kill(builder, signal.SIGKILL)
    time.sleep(0.5)
    assert f"sub_{receipt}" not in org_ids(catalog)
    restarted = time.monotonic()
    with streamlit_server(ROOT, tmp_path / "streamlit.log", env) as base:
        context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
        page = context.new_page()
        page.goto(base)  # the first visitor after the start: app.py runs, the resume starts a build
        page.get_by_text("カタログ版").first.wait_for(timeout=30_000)
        published = wait_for(lambda: f"sub_{receipt}" in org_ids(catalog), 60 - (time.monotonic() - restarted), 0.5)
        elapsed = time.monotonic() - restarted
        assert published, f"not published {elapsed:.0f} s after the restart: {subs.store.publishes()}"
        page.reload()  # and the running server serves it
        context.close()
    runs = subs.store.publishes()
    assert any(r["ok"] == 0 and "interrupted" in (r["message"] or "") for r in runs), runs
    assert wait_for(lambda: subs.store.publishes()[0]["ok"] == 1, 60), subs.store.publishes()
    assert temps(catalog) == []
    print(f"\nreal server restart: published {elapsed:.1f} s after the restart")
