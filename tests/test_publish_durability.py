"""Durable publishing and saying what happened (issue 13 items 3 and 5), for real: kill -9 of real
processes, real concurrent `python -m etl build` runs, a real full filesystem (tmpfs), real damaged
files.  Each test builds a few real catalogs, so they take seconds, not milliseconds."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from entries import entry, flat
from etl.build import OlderThanPublished, build, read_inputs
from govmap.review import publish
from govmap.review.buildlock import catalog_watermark
from govmap.finder.catalog import Catalog, CatalogPool
from govmap.review.store import DiskFull, Store, StoreCorrupt
from govmap.review.submissions import Actor, Submissions
import shipped

ROOT = Path(__file__).resolve().parent.parent
ALICE = Actor("local:alice", "alice")


@pytest.fixture
def site(built_catalog, tmp_path, monkeypatch):
    """A private copy of the catalog and an empty store, which the app's settings point at."""
    catalog = tmp_path / "catalog.duckdb"
    shutil.copyfile(built_catalog, catalog)
    store = tmp_path / "store" / "submissions.sqlite"
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(catalog))
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(store))
    return catalog, Submissions(Store(store))


def org_ids(catalog: Path) -> set[str]:
    cat = Catalog(catalog)
    try:
        return set(cat.frame("SELECT org_id FROM organisations")["org_id"])
    finally:
        cat.close()


def submitted(subs: Submissions, name: str = "株式会社テストガバメント", nonce: str = "n1") -> str:
    payload, contact = entry(name)
    return subs.submit(payload, contact, token="t", nonce=nonce).receipt


def temps(catalog: Path) -> list[Path]:
    return sorted(catalog.parent.glob(catalog.name + ".tmp-*"))


def wait_for(condition, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


# The app's approval path in a process of its own (what ui/reviewer.act does), so it can be killed.
APPROVING_APP = """
import sys, time
from govmap.review import publish
from govmap.review.store import Store
from govmap.review.submissions import Actor, Submissions
store, receipt, catalog = sys.argv[1:4]
Submissions(Store(store)).approve(receipt, Actor("local:alice", "alice"), 1)
publish.request("local:alice", store, catalog)
print(publish._children[-1].pid, flush=True)
time.sleep(600)
"""

# The app starting again: a real run of app.py (through Streamlit's script runner), then the
# process lives on for a moment as a server would (the resume runs in the background).
RESTARTED_APP = """
import threading
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=60).run()
assert not at.exception, at.exception
for thread in threading.enumerate():
    if thread.name == "govmap-publish-resume":
        thread.join(30)
"""


def test_kill_9_of_the_app_and_its_build_during_an_approval_is_published_within_60_s_of_restart(site):
    catalog, subs = site
    receipt = submitted(subs)
    app = subprocess.Popen([sys.executable, "-c", APPROVING_APP, str(subs.store.path), receipt, str(catalog)],
                           cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        builder = int(app.stdout.readline())
        assert wait_for(lambda: subs.store.publishes() and subs.store.publishes()[0]["started_at"], 30)
    finally:
        os.kill(app.pid, signal.SIGKILL)  # the app dies mid-publish ...
        app.wait()
    os.kill(builder, signal.SIGKILL)      # ... and so does its build (a machine restart kills both)
    assert wait_for(lambda: not Path(f"/proc/{builder}").exists() or "Z" in Path(f"/proc/{builder}/stat").read_text().split()[2], 10)
    assert subs.detail(receipt)["status"] == "approved"   # the approval itself was committed
    assert f"sub_{receipt}" not in org_ids(catalog)       # but never published
    assert subs.store.publishes()[0]["finished_at"] is None  # the old app showed 実行中 forever here
    restarted = time.monotonic()
    subprocess.run([sys.executable, "-c", RESTARTED_APP], cwd=ROOT, check=True, timeout=60)
    published = wait_for(lambda: f"sub_{receipt}" in org_ids(catalog), 60 - (time.monotonic() - restarted), 0.5)
    elapsed = time.monotonic() - restarted
    assert published, f"not published {elapsed:.0f} s after the restart: {subs.store.publishes()}"
    assert publish.wait(60, subs.store.path, catalog)
    runs = subs.store.publishes()
    assert runs[-1]["ok"] == 0 and "interrupted" in runs[-1]["message"]  # the killed one, said so
    assert runs[0]["ok"] == 1 and runs[0]["requested_by"] == "system:resume"
    assert catalog_watermark(catalog) == subs.store.approval_watermark()
    assert temps(catalog) == []  # the killed build's temp file went with the next build
    print(f"\nkill -9 during an approval: published {elapsed:.1f} s after the restart")


def test_a_build_that_read_the_store_before_an_approval_never_replaces_its_publish(site):
    catalog, subs = site
    receipt = submitted(subs)
    stale = read_inputs(store_path=subs.store.path)  # what a slow hand-run build read before the approval
    subs.approve(receipt, ALICE, 1)
    publish.request("local:alice", subs.store.path, catalog)
    assert publish.wait(120, subs.store.path, catalog)
    assert f"sub_{receipt}" in org_ids(catalog)
    with pytest.raises(OlderThanPublished):
        build(catalog, inputs=stale, progress=False)  # finishing after the publish: refused
    assert f"sub_{receipt}" in org_ids(catalog)
    assert catalog_watermark(catalog) == subs.store.approval_watermark() > 0


def test_a_cli_build_overlapping_a_publish_keeps_the_approved_entry(site):
    catalog, subs = site
    receipt = submitted(subs)
    cli = subprocess.Popen([sys.executable, "-m", "etl", "build"], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    time.sleep(1.0)  # the hand-run build is reading and writing ...
    subs.approve(receipt, ALICE, 1)  # ... when a reviewer approves
    publish.request("local:alice", subs.store.path, catalog)
    output, _ = cli.communicate(timeout=300)
    assert cli.returncode == 0, output
    assert publish.wait(300, subs.store.path, catalog)
    assert f"sub_{receipt}" in org_ids(catalog)
    assert subs.store.publishes()[0]["ok"] == 1
    assert temps(catalog) == []


def test_killed_builds_leave_no_temp_files_after_the_next_build(site):
    catalog, _ = site
    for _ in range(2):
        proc = subprocess.Popen([sys.executable, "-m", "etl", "build", "--out", str(catalog)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for(lambda: any(p.name.endswith(f".tmp-{proc.pid}") for p in temps(catalog)), 120, 0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    left = [p for p in temps(catalog) if not p.name.endswith(".wal")]
    assert left and len(left) <= 2  # the second build already removed the first one's leftover
    served = CatalogPool(catalog).handle()  # a leftover is never taken for the catalog
    assert served.identity[0] == os.stat(catalog).st_ino and served.figures()["organisations"] == shipped.organisations()
    build(catalog, progress=False)
    assert temps(catalog) == []


@pytest.fixture
def small_disk(tmp_path):
    """A real 1 MB filesystem (tmpfs; the tests run as root, as CI does here)."""
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"x" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def test_disk_full_during_submit_says_so_and_loses_nothing_acknowledged(small_disk):
    subs = Submissions(Store(small_disk / "store.sqlite"))
    acknowledged = [submitted(subs, f"株式会社テスト{i}", f"n{i}") for i in range(3)]
    filler = fill(small_disk)
    with pytest.raises(DiskFull):
        for i in range(3, 200):
            acknowledged.append(submitted(subs, f"株式会社テスト{i}", f"n{i}"))
    filler.unlink()  # the operator frees space
    assert [subs.lookup(r, "t")["status"] for r in acknowledged] == ["pending"] * len(acknowledged)
    assert len(subs.queue([])) == len(acknowledged)  # nothing half-stored either
    assert subs.store.integrity_ok()
    again = submitted(subs, "株式会社あとで", "later")  # and it works again
    assert subs.lookup(again, "t")["status"] == "pending"


def test_disk_full_on_the_submit_page_keeps_the_form_and_says_what_to_do(small_disk, catalog_env, monkeypatch):
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(small_disk / "store.sqlite"))
    monkeypatch.setenv("GOVMAP_SUBMIT_MIN_FILL_SECONDS", "0")
    monkeypatch.setenv("GOVMAP_SUBMIT_POW_BITS", "8")
    state = {f"f.{k}": v for k, v in flat().items()}
    at = AppTest.from_file(str(ROOT / "pages" / "submit.py"), default_timeout=60)
    for key, value in {**state, "f.n_svc": 1, "f.n_ado": 1}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    if "pow_challenge" in at.session_state:  # the browser solves the proof of work (static/pow.js)
        from govmap.review import antiautomation as aa
        challenge = at.session_state["pow_challenge"]
        at.session_state["pow_solution"] = f"{challenge['id']}:{aa.solve(challenge['id'], challenge['bits'])}"
    fill(small_disk)
    at.button(key="sub_send").click().run()
    assert not at.exception, at.exception
    shown = " ".join(w.value for w in [*at.warning, *at.error])
    assert "ディスクが一杯" in shown and "受付番号も発行されていません" in shown, shown
    assert at.text_input(key="f.org.name_ja").value == "株式会社テストガバメント"  # the input is kept
    assert "sub_done" not in at.session_state  # no receipt was acknowledged


def test_a_damaged_store_keeps_buyer_pages_serving_and_submit_and_review_say_so(catalog_env, tmp_path, monkeypatch):
    store = tmp_path / "broken" / "submissions.sqlite"
    store.parent.mkdir()
    store.write_bytes(b"this is not a database" * 500)
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(store))
    with pytest.raises(StoreCorrupt):
        Store(store)
    search = AppTest.from_file(str(ROOT / "pages" / "search.py"), default_timeout=60).run()
    assert not search.exception, search.exception
    assert search.dataframe, "the buyer page shows its results"
    for name, lang, words in (("submit.py", "ja", "申請データの保存領域を読み込めません"),
                              ("review.py", "en", "The submission store cannot be read")):
        at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
        at.secrets = {"reviewers": {"alice": "x"}}
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, (name, at.exception)
        assert any(words in e.value for e in at.error), (name, [e.value for e in at.error])


def test_etl_build_with_a_damaged_store_builds_the_seed_catalog_and_warns_loudly(tmp_path, monkeypatch):
    store = tmp_path / "submissions.sqlite"
    store.write_bytes(b"this is not a database" * 500)
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(store))
    out = tmp_path / "catalog.duckdb"
    done = subprocess.run([sys.executable, "-m", "etl", "build", "--out", str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "WARNING: the submission store" in done.stderr and "WITHOUT approved submissions" in done.stderr
    cat = Catalog(out)
    assert cat.figures()["organisations"] == shipped.organisations() and cat.meta()["approval_watermark"] == "0"
    assert "submissions_skipped" in cat.meta()
    cat.close()


def test_a_store_of_the_previous_schema_is_migrated_and_its_stuck_publish_recorded(tmp_path):
    import sqlite3
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE publishes (id INTEGER PRIMARY KEY AUTOINCREMENT, requested_by TEXT NOT NULL,
                                started_at TEXT NOT NULL, finished_at TEXT, ok INTEGER, message TEXT);
        INSERT INTO publishes (requested_by, started_at, finished_at, ok, message)
            VALUES ('local:alice', '2026-11-01T10:00:00+00:00', '2026-11-01T10:00:09+00:00', 1, 'catalog rebuilt');
        INSERT INTO publishes (requested_by, started_at) VALUES ('local:bob', '2026-11-02T10:00:00+00:00');""")
    con.close()
    store = Store(path)
    with store.snapshot() as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    done, stuck = sorted(store.publishes(), key=lambda r: r["id"])
    assert (done["ok"], done["message"], done["requested_at"]) == (1, "catalog rebuilt", "2026-11-01T10:00:00+00:00")
    assert stuck["ok"] == 0 and "interrupted" in stuck["message"] and stuck["finished_at"]  # no longer 実行中 forever
    new = store.publish_requested("local:carol", "2026-12-01T00:00:00+00:00")
    assert store.publish_claim("2026-12-01T00:00:01+00:00", 123) == [new]


def test_resume_starts_nothing_when_the_catalog_already_includes_every_approval(site):
    catalog, subs = site
    submitted(subs)  # pending only: nothing to publish
    assert publish.resume(subs.store.path, catalog) == "idle"
    assert subs.store.publishes() == []
    assert publish.resume(subs.store.path, catalog) == "skipped"  # throttled: at most every publish_check_seconds


def test_a_failed_publish_is_recorded_with_its_reason_and_shown_on_the_review_page(site, tmp_path, monkeypatch):
    from govmap.review import auth
    catalog, subs = site
    receipt = submitted(subs)
    subs.approve(receipt, ALICE, 1)
    monkeypatch.setenv("GOVMAP_SEED_DIR", str(tmp_path / "no-such-seed"))  # the build cannot read its inputs
    publish.request("local:alice", subs.store.path, catalog)
    assert publish.wait(120, subs.store.path, catalog)
    [run] = subs.store.publishes()
    assert run["ok"] == 0 and "build failed" in run["message"] and "no-such-seed" in run["message"], run
    assert f"sub_{receipt}" not in org_ids(catalog) and temps(catalog) == []  # the catalog in place is kept
    secrets = {"reviewers": {"alice": auth.hash_password("a long reviewer passphrase")}}
    for lang, failed, behind in (("ja", "公開処理が失敗しています", "未反映の承認があります"),
                                 ("en", "A publish failed", "are not published yet")):
        at = AppTest.from_file(str(ROOT / "pages" / "review.py"), default_timeout=60)
        at.secrets = secrets
        at.query_params["lang"] = lang
        at.run()
        at.text_input(key="rev_name").input("alice")
        at.text_input(key="rev_password").input("a long reviewer passphrase")
        next(b for b in at.button if b.label in ("ログイン", "Log in")).click().run()
        assert not at.exception, at.exception
        assert any(failed in e.value for e in at.error), [e.value for e in at.error]
        assert any(behind in i.value for i in at.info), [i.value for i in at.info]
        runs = next(df.value for df in at.dataframe if "no-such-seed" in df.value.to_csv())
        assert "✗" in runs.to_csv()
