"""Load: write the tables into a NEW DuckDB file, then swap it in with os.replace.

Readers (the app, analysts) keep the old file open undisturbed: on POSIX the replaced inode
lives until they close it.  A failed or killed build leaves only a stray temp file, never a
half-written catalog; the next build removes such leftovers (``remove_stale_temps``) before it
writes, so they cannot fill the disk.  The caller holds the build lock (govmap/review/buildlock.py).
"""

from __future__ import annotations

import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

SCHEMA_VERSION = "1"
HERE = Path(__file__).resolve().parent
TABLE_ORDER = ("categories", "prefectures", "municipalities", "postal_codes", "sources", "organisations",
               "organisation_sources", "services", "service_categories", "certifications", "adoptions", "facts",
               "gyomu", "gyomu_aliases", "std_sources", "std_vendors", "std_packages", "std_municipalities", "std_progress",
               "std_tokutei")


STALE_TEMP_SECONDS = 30 * 60  # a temp file this old is a leftover even if its pid number is in use again


def temp_path_for(target: Path) -> Path:
    return target.with_name(f"{target.name}.tmp-{os.getpid()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_temps(target: Path, now: float | None = None) -> list[Path]:
    """Remove ``<target>.tmp-<pid>`` (+ ``.wal``) files left by builds that died: their process is
    gone, or they are older than STALE_TEMP_SECONDS.  Call it holding the build lock (then no live
    build of ``target`` is writing one).  Returns what was removed."""
    now = time.time() if now is None else now
    pattern = re.compile(re.escape(target.name) + r"\.tmp-(\d+)(\.wal)?$")
    removed = []
    for path in target.parent.glob(target.name + ".tmp-*"):
        match = pattern.match(path.name)
        if not match or int(match.group(1)) == os.getpid():
            continue
        try:
            old = now - path.stat().st_mtime > STALE_TEMP_SECONDS
        except FileNotFoundError:
            continue
        if old or not _alive(int(match.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def write_catalog(target: Path, tables: dict[str, pd.DataFrame], meta: dict[str, str],
                  progress=None, before_swap=None) -> Path:
    """Build the catalog at a temp path next to ``target`` and atomically replace ``target``.
    ``before_swap(tmp)`` may raise to keep the catalog in place (the temp file is removed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    tmp = temp_path_for(target)
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    try:
        _write(tmp, tables, meta, progress)
        _fsync(tmp)
        if before_swap is not None:
            before_swap(tmp)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    return target


def _write(path: Path, tables: dict[str, pd.DataFrame], meta: dict[str, str], progress) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute((HERE / "schema.sql").read_text(encoding="utf-8"))
        for name in TABLE_ORDER:
            frame = tables.get(name)
            if frame is not None and len(frame):
                _insert(con, name, frame)
            if progress:
                progress(name)
        con.execute((HERE / "views.sql").read_text(encoding="utf-8"))
        for view_file in sorted((HERE / "views").glob("*.sql")):  # feature views, e.g. analytics.sql
            con.execute(view_file.read_text(encoding="utf-8"))
        for view_sql in tables.get("_extra_views", []):
            con.execute(view_sql)
        meta = {**meta, "search_keys_version": _write_search_keys(con)}
        meta = {"schema_version": SCHEMA_VERSION,
                "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), **meta}
        con.executemany("INSERT INTO catalog_meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _write_search_keys(con: duckdb.DuckDBPyConnection) -> str:
    """Fill org_search_keys from v_organisations, the same rows the app indexes; returns the keys' version."""
    from govmap.finder.catalog import arrow_to_pandas
    from govmap.finder.search import KEYS_SOURCE_SQL, KEYS_VERSION, index_keys
    orgs = arrow_to_pandas(con.execute(KEYS_SOURCE_SQL).to_arrow_table())
    keys = index_keys(orgs)
    if len(keys):
        _insert(con, "org_search_keys", keys)
    return KEYS_VERSION


def _insert(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    columns = [r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()]
    frame = frame.reindex(columns=columns)
    con.register("_incoming", frame)
    try:
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        _fsync(path)
    except OSError:  # some filesystems do not allow fsync on directories
        pass
