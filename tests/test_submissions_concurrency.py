"""The store under load and under failure, with real SQLite files and real processes:
1,000 submissions from 16 concurrent writers (8 threads here + 8 processes), some retried, while a
reviewer approves and the catalog is rebuilt → exactly 1,000 stored, none duplicated, none lost;
a process killed in the middle of a submit leaves nothing half-written."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from entries import entry
from submission_writer import nonce, write_many
from etl.build import build, read_inputs
from govmap.review.store import Store
from govmap.review.submissions import Actor, Submissions

ROOT = Path(__file__).resolve().parent.parent
TOTAL, THREADS, PROCESSES = 1000, 8, 8
WRITERS = THREADS + PROCESSES
ENV = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}

def share(writer: int) -> int:
    return TOTAL // WRITERS + (1 if writer < TOTAL % WRITERS else 0)


def test_1000_submissions_from_16_writers_while_reviewing_and_rebuilding(tmp_path, capsys):
    store_path = tmp_path / "store.sqlite"
    subs = Submissions(Store(store_path))
    reviewer = Actor("local:alice", "alice")
    payload, contact = entry("株式会社並行テスト")
    entry_path = tmp_path / "entry.json"
    entry_path.write_text(json.dumps({"entry": payload, "contact": contact}, ensure_ascii=False), encoding="utf-8")
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, str(ROOT / "tests" / "submission_writer.py"), str(store_path),
                               str(entry_path), str(w), str(share(w))], cwd=ROOT, env=ENV, stderr=subprocess.PIPE, text=True)
             for w in range(THREADS, WRITERS)]
    errors: list[BaseException] = []

    def thread_writer(w: int) -> None:
        try:
            write_many(Submissions(Store(store_path)), payload, contact, w, share(w))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=thread_writer, args=(w,)) for w in range(THREADS)]
    for th in threads:
        th.start()
    approved: set[str] = set()
    builds = 0
    while any(th.is_alive() for th in threads) or any(p.poll() is None for p in procs) or builds == 0:
        for item in subs.queue(("pending",))[:20]:  # a reviewer at work meanwhile
            subs.approve(item["receipt"], reviewer, item["version"])
            approved.add(item["receipt"])
        out, _ = build(tmp_path / f"catalog-{builds}.duckdb", inputs=read_inputs(store_path=store_path, with_submissions=True),
                       progress=False)
        builds += 1
        with duckdb.connect(str(out), read_only=True) as con:  # a rebuild reads a consistent snapshot
            published = con.execute("SELECT count(*) FROM organisations WHERE origin = 'submission'").fetchone()[0]
        assert published <= len(approved)
    for th in threads:
        th.join()
    for p in procs:
        assert p.wait() == 0, p.stderr.read()
    elapsed = time.perf_counter() - started
    assert not errors, errors

    con = sqlite3.connect(store_path)
    nonces = [r[0] for r in con.execute("SELECT client_nonce FROM submissions")]
    assert len(nonces) == TOTAL and len(set(nonces)) == TOTAL
    assert set(nonces) == {nonce(w, i) for w in range(WRITERS) for i in range(share(w))}
    assert con.execute("SELECT count(*) FROM versions").fetchone()[0] == TOTAL
    assert con.execute("SELECT count(*) FROM contacts").fetchone()[0] == TOTAL
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'submitted'").fetchone()[0] == TOTAL
    assert con.execute("SELECT count(DISTINCT receipt) FROM submissions").fetchone()[0] == TOTAL
    assert subs.verify_audit_chain()
    # After the last rebuild, every approval is in the catalog.
    out, _ = build(tmp_path / "final.duckdb", inputs=read_inputs(store_path=store_path), progress=False)
    with duckdb.connect(str(out), read_only=True) as cat:
        ids = {r[0] for r in cat.execute("SELECT org_id FROM organisations WHERE origin = 'submission'").fetchall()}
    assert ids == {f"sub_{r}" for r in approved}
    with capsys.disabled():
        print(f"\n{TOTAL} submissions from {THREADS} threads + {PROCESSES} processes, {len(approved)} approved "
              f"and {builds} rebuilds meanwhile: {elapsed:.1f} s")


KILLED = """
import sys, time
from entries import entry
import govmap.review.submissions as subs
from govmap.review.store import Store
real = subs._insert_version
def slow(con, *args):
    real(con, *args)
    print("MIDWAY", flush=True)   # the submission row and its version are written, not committed
    time.sleep(60)
subs._insert_version = slow
payload, contact = entry("株式会社途中で停止")
subs.Submissions(Store(sys.argv[1])).submit(payload, contact, token="t", nonce="killed-1")
"""


def test_a_process_killed_during_submit_leaves_no_half_written_submission(tmp_path):
    store_path = tmp_path / "store.sqlite"
    subs = Submissions(Store(store_path))
    before = subs.submit(*entry(), token="t0", nonce="before")
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(store_path)], cwd=ROOT / "tests", env=ENV,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "MIDWAY"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert Store(store_path).integrity_ok()
    con = sqlite3.connect(store_path)
    for table in ("submissions", "versions", "contacts"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 1, table
    assert con.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 1
    assert con.execute("SELECT receipt FROM submissions").fetchone()[0] == before.receipt
    # The store is not stuck: the next submit (and a retry of the killed one) goes through.
    after = subs.submit(*entry("株式会社途中で停止"), token="t", nonce="killed-1")
    assert after.created and len(subs.queue(())) == 2


ACKNOWLEDGED = """
import os, sys
from entries import entry
from govmap.review.store import Store
from govmap.review.submissions import Submissions
receipt = Submissions(Store(sys.argv[1])).submit(*entry(), token="t", nonce="acked").receipt
print(receipt, flush=True)
os.kill(os.getpid(), 9)   # dies right after showing the receipt: no clean shutdown, no close()
"""


def test_an_acknowledged_submission_survives_the_process_dying(tmp_path):
    store_path = tmp_path / "store.sqlite"
    Store(store_path)
    proc = subprocess.run([sys.executable, "-c", ACKNOWLEDGED, str(store_path)], cwd=ROOT / "tests", env=ENV,
                          capture_output=True, text=True, timeout=60)
    receipt = proc.stdout.strip()
    assert proc.returncode == -signal.SIGKILL and receipt
    view = Submissions(Store(store_path)).lookup(receipt, "t")
    assert view["status"] == "pending" and json.dumps(view["entry"], ensure_ascii=False).count("テストガバメント") >= 1
