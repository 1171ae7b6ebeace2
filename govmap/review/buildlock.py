"""The one lock every catalog build takes, and the approval watermark that orders builds.

* ``build_lock(catalog)``: an exclusive ``flock`` on ``<catalog>.lock`` next to the catalog, taken
  by ``python -m etl build`` and by every publish (govmap/review/publish.py), so two builds of one
  catalog never overlap.  The kernel drops it when the holder dies (kill -9 included), so a dead
  build never wedges the next one; ``is_building`` tells whether a live build holds it.
  With the store on PostgreSQL (several replicas, docs/deploy.md) the build also holds an
  advisory lock on the store's server, so builds on different hosts never overlap either; it too
  goes when its holder dies (the server drops a dead connection's locks).
* ``catalog_watermark(catalog)``: the store's approval watermark (audit seq of the latest
  approval or merge) the catalog in place was built with (``catalog_meta.approval_watermark``).
  A build whose watermark is lower than it is never swapped in (etl/build.py), so a slow or
  stale build cannot undo a publish.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path


class BuildLocked(RuntimeError):
    """Another build of this catalog holds the lock (and we were asked not to wait)."""


def lock_path(catalog: Path) -> Path:
    return Path(catalog).with_name(Path(catalog).name + ".lock")


@contextmanager
def build_lock(catalog: Path, wait: float | None = None, on_wait=None, store=None):
    """Hold the build lock of ``catalog``.  ``wait``: seconds to wait for it (None: as long as it
    takes, 0: not at all); BuildLocked when it stays taken.  ``on_wait()`` is called once if we
    have to wait (e.g. to say so on the console).  ``store``: the submission store (default: the
    configured one); on PostgreSQL its server-wide build lock is taken first."""
    from govmap.review import pgstore
    from govmap.review.store import locate
    where = locate(store)
    if not isinstance(where, str):
        with _file_lock(catalog, wait, on_wait):
            yield
        return
    try:
        with pgstore.build_lock(where, wait, on_wait):
            with _file_lock(catalog, wait, on_wait):
                yield
    except TimeoutError as exc:
        raise BuildLocked(f"another build of {catalog} is running ({exc})") from None


@contextmanager
def _file_lock(catalog: Path, wait: float | None, on_wait):
    path = lock_path(catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise BuildLocked(f"another build of {catalog} is running (lock {path})") from None
                if on_wait and not told:
                    on_wait()
                    told = True
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())  # who holds it, for people looking
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def is_building(catalog: Path, store=None) -> bool:
    """True while a live process holds the build lock of ``catalog`` (with the store on
    PostgreSQL: or any replica holds the server-wide one)."""
    from govmap.review import pgstore
    from govmap.review.store import locate
    where = locate(store)
    if isinstance(where, str) and pgstore.building(where):
        return True
    path = lock_path(catalog)
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops our shared lock
    return False


def catalog_watermark(catalog: Path) -> int | None:
    """The approval watermark of the catalog file in place: 0 for a catalog built before watermarks
    (or without the store), None when there is no readable catalog."""
    from govmap.finder.catalog import Catalog, CatalogMissing, CatalogUnreadable
    try:
        cat = Catalog(Path(catalog))
    except (CatalogMissing, CatalogUnreadable):
        return None
    try:
        return int(cat.meta().get("approval_watermark", 0) or 0)
    except Exception:  # a file that opens but whose meta cannot be read is no better than none
        return None
    finally:
        cat.close()
