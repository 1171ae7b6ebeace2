"""Publishing approved submissions: durable requests in the store, built by a detached process.

An approval must reach the map even if the app dies right after it:

* ``request(...)`` records a publish request as a row in the store (``publishes``: requested,
  the approval watermark it wants published) and starts a build process *detached* from the app
  (its own session, output appended to ``<catalog>.publish.log``, no pipes): killing the app does
  not kill the build.  It returns at once.
* The build process (``python -m etl publish``, ``run_builder``) takes the catalog's build lock
  (govmap/review/buildlock.py, the same one ``python -m etl build`` takes), claims every open request,
  builds once with ``--keep-going`` semantics, swaps the catalog in (never one older than the
  catalog in place: approval watermarks) and records the result on each request: ok, or failed
  with the reason.  Requests arriving meanwhile are built by the next round; after letting go of
  the lock it looks once more, so no request is left behind by a race.
* ``resume(...)`` runs when the app starts and then at most every ``publish_check_seconds`` (on
  page runs): requests a dead build had claimed are recorded as failed (interrupted); when the
  store holds approvals the catalog in place does not include, or requests nobody runs, a build
  is started.  So a kill -9 of the app (or of the build, or of the machine) delays a publish
  until the next start, it never loses it.
* Failures the store cannot record (its disk is full) go to the log; the request stays
  unfinished, and the next ``resume`` records it as interrupted, pointing to the log.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from govmap import settings
from govmap.review.buildlock import BuildLocked, build_lock, catalog_watermark, is_building
from govmap.review import store as stores
from govmap.review.store import Store

ROOT = settings.ROOT
LOG_MAX_BYTES = 5_000_000
INTERRUPTED = "interrupted: "
_children: list[subprocess.Popen] = []
_children_lock = threading.Lock()
_last_resume: dict[tuple[str, str], float] = {}
_requested: set[tuple[Path, Path]] = set()  # (store, catalog) this process asked to publish (for wait)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _paths(store_path: Path | str | None, catalog_path: Path | None) -> tuple[Path | str, Path]:
    """(the store: a SQLite file or a PostgreSQL URL, the catalog file)."""
    return stores.locate(store_path), Path(catalog_path or settings.path("catalog_path"))


def log_path(catalog_path: Path) -> Path:
    return Path(catalog_path).with_name(Path(catalog_path).name + ".publish.log")


def request(requested_by: str, store_path: Path | None = None, catalog_path: Path | None = None) -> int:
    """Record a publish request durably and start a detached build; returns the request's id."""
    store_path, catalog_path = _paths(store_path, catalog_path)
    request_id = Store(store_path).publish_requested(requested_by, _now())
    _requested.add((store_path, catalog_path))
    start_builder(store_path, catalog_path)
    return request_id


def start_builder(store_path: Path | None = None, catalog_path: Path | None = None) -> subprocess.Popen:
    """``python -m etl publish`` in its own session, output appended to the publish log."""
    store_path, catalog_path = _paths(store_path, catalog_path)
    where = {"GOVMAP_STORE_URL": store_path} if isinstance(store_path, str) else \
        {"GOVMAP_STORE_PATH": str(store_path), "GOVMAP_STORE_URL": ""}
    env = {**os.environ, **where, "GOVMAP_CATALOG_PATH": str(catalog_path), "PYTHONPATH": str(ROOT)}
    catalog_path.parent.mkdir(parents=True, exist_ok=True)
    log_file = log_path(catalog_path)
    try:
        if log_file.stat().st_size > LOG_MAX_BYTES:  # keep one previous log, never grow without bound
            os.replace(log_file, log_file.with_name(log_file.name + ".1"))
    except FileNotFoundError:
        pass
    with open(log_file, "ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "etl", "publish"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    with _children_lock:  # reap finished children (no zombies); the others run on without us
        _children[:] = [c for c in _children if c.poll() is None]
        _children.append(proc)
    return proc


def due(store_path: Path | None = None, catalog_path: Path | None = None) -> bool:
    """True (once) when ``resume`` has not looked for ``publish_check_seconds``; cheap."""
    store_path, catalog_path = _paths(store_path, catalog_path)
    key = (str(store_path), str(catalog_path))
    now = time.monotonic()
    with _children_lock:
        if now - _last_resume.get(key, -1e9) < float(settings.get("publish_check_seconds")):
            return False
        _last_resume[key] = now
    return True


def resume(store_path: Path | None = None, catalog_path: Path | None = None, *, force: bool = False) -> str:
    """Finish what a dead app or build left: at most every ``publish_check_seconds`` unless forced.
    Returns what it did: 'skipped', 'running', 'idle' or 'started'."""
    store_path, catalog_path = _paths(store_path, catalog_path)
    if not force and not due(store_path, catalog_path):
        return "skipped"
    if not stores.exists(store_path):
        return "idle"
    if is_building(catalog_path, store_path):
        return "running"
    store = Store(store_path)
    try:
        with build_lock(catalog_path, wait=0, store=store_path):  # no build runs: what was claimed and is unfinished died
            abandoned = store.publish_abandoned(_now(), INTERRUPTED + "the build process ended without finishing "
                                                f"(see {log_path(catalog_path).name}); published by the next run")
    except BuildLocked:
        return "running"
    current, wanted = catalog_watermark(catalog_path), store.approval_watermark()
    behind = current is None or current < wanted  # no readable catalog, or approvals not in it
    if behind and not store.publish_open() and (abandoned or not _failed_lately(store, wanted)):
        store.publish_requested("system:resume", _now())
    if store.publish_open():
        start_builder(store_path, catalog_path)
        return "started"
    return "idle"


def _failed_lately(store: Store, wanted: int) -> bool:
    """A publish of this watermark failed less than 10 checks ago: do not retry it every check (the
    failure is on the review page; the next approval, or the check after, tries again)."""
    latest = store.publishes(limit=1)
    if not latest or latest[0]["ok"] != 0 or latest[0]["watermark"] < wanted:
        return False
    if (latest[0]["message"] or "").startswith(INTERRUPTED):  # died, did not fail: run it again
        return False
    finished = datetime.fromisoformat(latest[0]["finished_at"])
    return (datetime.now(timezone.utc) - finished).total_seconds() < 10 * float(settings.get("publish_check_seconds"))


def wait(timeout: float | None = None, store_path: Path | None = None, catalog_path: Path | None = None) -> bool:
    """Block until no request is open or running (tests, the CLI); True when idle.  Without paths:
    every store and catalog this process has requested publishes of."""
    pairs = [_paths(store_path, catalog_path)] if store_path or catalog_path else list(_requested)
    deadline = None if timeout is None else time.monotonic() + timeout
    for store_path, catalog_path in pairs:
        if not stores.exists(store_path):
            continue
        store = Store(store_path)
        while any(r["finished_at"] is None for r in store.publishes(limit=50)) or is_building(catalog_path, store_path):
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.2)
    return True


# -- the detached build process (python -m etl publish) -------------------------------------------
class _TimedOut(Exception):
    pass


def run_builder(store_path: Path | None = None, catalog_path: Path | None = None, *, lock_wait: float = 5.0) -> int:
    """Build until no request is open.  Exits quietly when another build holds the lock (that one
    looks for new requests after it lets go)."""
    store_path, catalog_path = _paths(store_path, catalog_path)
    store = Store(store_path)
    while True:
        try:
            with build_lock(catalog_path, wait=lock_wait, store=store_path):
                while _one_round(store, catalog_path):
                    pass
        except BuildLocked:
            print(f"{_now()} pid {os.getpid()}: another build holds the lock; it will take the open requests", flush=True)
            return 0
        if not store.publish_open():  # looked again after letting go: nothing left behind
            return 0


def _one_round(store: Store, catalog_path: Path) -> bool:
    """Claim the open requests and build once; False when there was nothing to do."""
    ids = store.publish_claim(_now(), os.getpid())
    if not ids:
        return False
    print(f"{_now()} pid {os.getpid()}: building for request(s) {ids}", flush=True)
    ok, message, built = _build_once(catalog_path)
    print(f"{_now()} pid {os.getpid()}: {'ok' if ok else 'FAILED'}: {message}", flush=True)
    try:
        store.publish_finish(ids, _now(), ok, message, built)
    except Exception as exc:  # e.g. the store's disk is full: the log keeps it, resume records it later
        print(f"{_now()} pid {os.getpid()}: could not record the result in the store: {exc!r}", flush=True)
        raise
    return True


def _build_once(catalog_path: Path) -> tuple[bool, str, int | None]:
    """One build into ``catalog_path`` (the lock is held); (ok, message, watermark built)."""
    from etl.build import BuildFailed, OlderThanPublished, build, read_inputs
    timeout = int(settings.get("publish_timeout_seconds"))

    def expired(signum, frame):
        raise _TimedOut()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(max(1, timeout))
    try:
        for attempt in (1, 2):
            inputs = read_inputs()
            try:
                _, problems = build(catalog_path, keep_going=True, inputs=inputs, progress=False, locked=True)
            except OlderThanPublished as exc:  # read the store again and rebuild, once
                if attempt == 2:
                    return False, f"build failed: {exc}", None
                continue
            break
        built = int(inputs.meta.get("approval_watermark", 0))
        skipped = inputs.meta.get("submissions_skipped")
        errors = [str(p) for p in problems if p.severity == "error"]
        if skipped:
            return False, f"the store could not be read; the catalog was built without submissions: {skipped}", built
        summary = f"catalog rebuilt; {len(errors)} row(s) skipped" if errors else "catalog rebuilt"
        return True, "\n".join([summary, *errors[:20]]), built
    except _TimedOut:
        return False, f"build timed out after {timeout} s; the published catalog is unchanged", None
    except BuildFailed as exc:
        return False, f"build failed: {exc}; the published catalog is unchanged", None
    except Exception as exc:  # disk full, a bug: recorded, never silent
        tail = "".join(traceback.format_exception_only(exc)).strip()
        return False, f"build failed; the published catalog is unchanged: {tail}", None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
