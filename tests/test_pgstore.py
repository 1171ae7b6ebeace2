"""The store on a real PostgreSQL server (tests/pgserver.py; issue 13 item 2): what SQLite
guarantees still holds with several processes, a publish reads its approvals from the server,
and an unreachable server is said in words while the buyer pages keep working.  The store's
other tests (test_submissions_store.py, test_auth.py, test_antiautomation.py) run on both
backends through conftest.store_where."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from entries import entry
from govmap.review import pgstore, publish
from govmap.review.buildlock import BuildLocked, build_lock, is_building
from govmap.review.store import Store, StoreUnreachable
from govmap.review.submissions import Actor, Submissions
from submission_writer import nonce

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
ALICE = Actor("local:alice", "alice")


def dead_url() -> str:
    import socket
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"postgresql://govmap:secret-password@127.0.0.1:{port}/govmap"


def test_placeholders_are_translated_and_rows_read_like_sqlite():
    assert pgstore.translate_sql("SELECT ? , :name, a::text FROM t WHERE x LIKE 'a%'") == \
        "SELECT %s , %(name)s, a::text FROM t WHERE x LIKE 'a%%'"
    assert pgstore.redact("postgresql://u:pw@h:5432/d") == "postgresql://u:***@h:5432/d"


def test_eight_writer_processes_lose_and_duplicate_nothing(pg_url, tmp_path):
    payload, contact = entry("株式会社並行ポスグレ")
    entry_path = tmp_path / "entry.json"
    entry_path.write_text(json.dumps({"entry": payload, "contact": contact}, ensure_ascii=False), encoding="utf-8")
    writers, each = 8, 25
    procs = [subprocess.Popen([sys.executable, str(ROOT / "tests" / "submission_writer.py"), pg_url, str(entry_path),
                               str(w), str(each)], cwd=ROOT, env=ENV, stderr=subprocess.PIPE, text=True)
             for w in range(writers)]
    subs = Submissions(Store(pg_url))
    approved = set()
    while any(p.poll() is None for p in procs):  # a reviewer at work meanwhile
        for item in subs.queue(("pending",))[:5]:
            subs.approve(item["receipt"], ALICE, item["version"])
            approved.add(item["receipt"])
    for p in procs:
        assert p.wait() == 0, p.stderr.read()
    with subs.store.snapshot() as con:
        nonces = [r[0] for r in con.execute("SELECT client_nonce FROM submissions")]
        seqs = [r[0] for r in con.execute("SELECT seq FROM audit_log ORDER BY seq")]
        approvals = con.execute("SELECT count(*) FROM audit_log WHERE action = 'approve'").fetchone()[0]
    assert sorted(nonces) == sorted(nonce(w, i) for w in range(writers) for i in range(each))  # none lost or doubled
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # one writer at a time: no gaps, commit order
    assert approvals == len(approved)
    assert subs.verify_audit_chain()


def test_an_approval_is_published_from_the_server_store(pg_url, built_catalog, tmp_path):
    catalog = tmp_path / "catalog.duckdb"
    shutil.copyfile(built_catalog, catalog)
    subs = Submissions(Store(pg_url))
    payload, contact = entry("株式会社公開ポスグレ")
    receipt = subs.submit(payload, contact, token="t", nonce="pg-publish").receipt
    subs.approve(receipt, ALICE, 1)
    publish.request(ALICE.id, pg_url, catalog)
    assert publish.wait(120, pg_url, catalog)
    [run] = subs.store.publishes()
    assert run["ok"] == 1, run
    with duckdb.connect(str(catalog), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM organisations WHERE org_id = ?", [f"sub_{receipt}"]).fetchone()[0] == 1
        mark = con.execute("SELECT value FROM catalog_meta WHERE key = 'approval_watermark'").fetchone()[0]
    assert int(mark) == subs.store.approval_watermark()


def test_the_build_lock_is_server_wide(pg_url, tmp_path):
    """Two replicas on different hosts have different catalog files (and flocks); the advisory
    lock on the store's server still keeps their builds apart, and a dead holder frees it."""
    here, there = tmp_path / "a" / "catalog.duckdb", tmp_path / "b" / "catalog.duckdb"
    with build_lock(here, wait=0, store=pg_url):
        assert is_building(there, pg_url)
        with pytest.raises(BuildLocked):
            with build_lock(there, wait=0.5, store=pg_url):
                pass
    assert not is_building(there, pg_url)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from govmap.review.buildlock import build_lock\n"
        "with build_lock(Path(sys.argv[1]), wait=0, store=sys.argv[2]):\n"
        "    print('held', flush=True); time.sleep(600)"), str(there), pg_url],
        cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert is_building(here, pg_url)
    finally:
        holder.kill()
        holder.wait()
    with build_lock(here, wait=10, store=pg_url):  # the server dropped the dead session's lock
        pass


def test_an_unreachable_server_is_said_and_buyer_pages_keep_working(catalog_env, monkeypatch):
    url = dead_url()
    with pytest.raises(StoreUnreachable) as info:
        Store(url)
    assert "secret-password" not in str(info.value)  # the password never reaches a message or log
    monkeypatch.setenv("GOVMAP_STORE_URL", url)
    at = AppTest.from_file(str(ROOT / "pages" / "submit.py"), default_timeout=60).run()
    assert not at.exception
    assert any("データベースサーバーに接続できません" in e.value for e in at.error)
    at = AppTest.from_file(str(ROOT / "pages" / "search.py"), default_timeout=60).run()
    assert not at.exception and not at.error
