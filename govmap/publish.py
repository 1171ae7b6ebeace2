"""Publishing approved submissions: the ETL's build/swap, run in the background after an approval.

``request(...)`` returns at once.  A worker thread runs ``python -m etl build --keep-going`` in a
subprocess (the build's memory and CPU stay out of the app's process; a crash cannot take the app
down), so the new catalog is swapped in with os.replace exactly as a manual build is: readers keep
the old file, the app reopens the new one on its next run (ui/context.catalog).

* Two publishes never race: one worker per process (a lock), and an exclusive ``flock`` on
  ``<store>.publish.lock`` across processes (several app servers on one store).
* Approvals arriving during a build are not lost: they set a flag, and the worker builds once
  more after the current build (so many approvals cost at most one extra build).
* ``--keep-going`` so one bad row cannot block every later publish; each run and the problems it
  reported are recorded in the store (``publishes``) and shown to reviewers.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

from govmap import settings
from govmap.store import Store

ROOT = settings.ROOT
_lock = threading.Lock()
_wanted = threading.Event()
_idle = threading.Event()
_idle.set()
_worker: threading.Thread | None = None
_requested_by: list[str] = []


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def request(requested_by: str, store_path: Path | None = None) -> None:
    """Ask for a rebuild of the catalog; returns immediately."""
    global _worker
    store_path = Path(store_path or settings.path("store_path"))
    with _lock:
        _requested_by.append(requested_by)
        _wanted.set()
        _idle.clear()
        if _worker is None:  # the worker clears this under the lock when it stops
            _worker = threading.Thread(target=_run, args=(store_path,), name="govmap-publish", daemon=True)
            _worker.start()


def wait(timeout: float | None = None) -> bool:
    """Block until no publish is wanted or running (tests, and the CLI); True when idle."""
    return _idle.wait(timeout)


def _run(store_path: Path) -> None:
    global _worker
    while True:
        with _lock:
            if not _wanted.is_set():
                _worker = None
                _idle.set()
                return
            _wanted.clear()
            who = ", ".join(dict.fromkeys(_requested_by)) or "system"
            _requested_by.clear()
        try:
            publish_now(who, store_path)
        except Exception:  # never let the worker die silently with the flag set
            pass


def publish_now(requested_by: str, store_path: Path | None = None) -> tuple[bool, str]:
    """Run one build now (holding the cross-process lock) and record it; (ok, message)."""
    store_path = Path(store_path or settings.path("store_path"))
    store = Store(store_path)
    lock_path = store_path.with_name(store_path.name + ".publish.lock")
    with open(lock_path, "a+") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            publish_id = store.publish_started(requested_by, _now())
            ok, message = _build(store_path)
            store.publish_finished(publish_id, _now(), ok, message)
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
    return ok, message


def _build(store_path: Path) -> tuple[bool, str]:
    env = {**os.environ, "GOVMAP_STORE_PATH": str(store_path), "PYTHONPATH": str(ROOT)}
    try:
        proc = subprocess.run([sys.executable, "-m", "etl", "build", "--keep-going"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=float(settings.get("publish_timeout_seconds")))
    except subprocess.TimeoutExpired:
        return False, "build timed out; the published catalog is unchanged"
    problems = [line for line in proc.stderr.splitlines() if line.startswith("ERROR ")]
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        return False, f"build failed (exit {proc.returncode}); the published catalog is unchanged\n{tail}"
    summary = f"catalog rebuilt; {len(problems)} row(s) skipped" if problems else "catalog rebuilt"
    return True, "\n".join([summary, *problems[:20]])
