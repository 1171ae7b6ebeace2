"""The one way into the catalog: a read-only, sandboxed DuckDB connection and one query function
with a row cap and a time limit (modelled on datasette's ``Database.execute``).

* Opened read-only, so analysts and other processes can read the same file at the same time.
* No file, network or extension access; memory and thread limits; configuration locked, so no
  query can lift these limits (FIELD-NOTES "Sandboxed console settings that held").
* ``query`` fetches ``max_rows + 1`` rows to report truncation, and interrupts a query that runs
  past its time limit.  Callers may only *lower* the limits.
* ``identity`` changes when a new build is swapped in (os.replace gives a new inode), so the app
  can reopen.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from govmap import settings


class CatalogMissing(FileNotFoundError):
    """No catalog has been built yet (run `python -m etl build`)."""


class QueryInterrupted(RuntimeError):
    """The query ran past its time limit and was stopped."""


@dataclass
class QueryResult:
    frame: pd.DataFrame
    truncated: bool
    elapsed_ms: float
    max_rows: int


def file_identity(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime_ns) of the catalog file; changes when a new build is swapped in."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A sandboxed read-only connection to the catalog file ``path``, as database ``catalog``.

    The file is ATTACHed to a private in-memory instance instead of being opened as the
    database itself: DuckDB keeps one instance per file path in a process, so a direct
    ``connect(path)`` while an older build is open would hand back the older build.  Attached
    privately, a newly swapped-in file opens beside the old one (ui/context.catalog).  File and
    network access are switched off after the ATTACH and the configuration is locked.  A cursor
    starts in the in-memory database: ``USE catalog`` first (Catalog does)."""
    if not Path(path).exists():
        raise CatalogMissing(f"catalog not found: {path} (run `python -m etl build`)")
    config = {
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        "memory_limit": str(settings.get("sql_memory_limit")),
        "threads": int(settings.get("sql_threads")),
    }
    con = duckdb.connect(":memory:", config=config)
    try:
        quoted = str(path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS catalog (READ_ONLY)")
        con.execute("USE catalog")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


_PLAIN = {"VARCHAR", "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "DOUBLE", "FLOAT", "VARCHAR[]"}


def _plain_type(type_code) -> bool:
    return str(type_code) in _PLAIN


def arrow_to_pandas(table) -> pd.DataFrame:
    """The frame DuckDB's ``.df()`` gives for text, boolean, integer, float and text-list columns,
    made through Arrow: the same dtypes and values (lists as numpy arrays, nullable Int/boolean
    where a column has NULLs, all-NULL text as None), but several times faster on 100,000 rows
    (docs/benchmarks.md)."""
    import pyarrow as pa
    columns = {}
    for name, column in zip(table.column_names, table.columns):
        kind = column.type
        if pa.types.is_boolean(kind) and column.null_count:
            columns[name] = column.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
        elif pa.types.is_integer(kind) and column.null_count:
            columns[name] = column.to_pandas(types_mapper=lambda t: pd.api.types.pandas_dtype(str(t).replace("int", "Int")))
        elif pa.types.is_string(kind) and column.null_count == len(column):
            columns[name] = pd.Series([None] * len(column), dtype=object)
        else:
            columns[name] = column.to_pandas()
    return pd.DataFrame(columns, columns=table.column_names)


class CatalogUnreadable(RuntimeError):
    """The catalog file exists but cannot be opened or read (corrupt, truncated, wrong format)."""


class _Build:
    """One swapped-in catalog file (one inode), open read-only, shared by the handles that use it.

    A descriptor held on the file names the build by its inode (``identity``, taken before the
    connection opens the path, so a swap in between is seen as a newer file at the next check).
    Closed when it is retired (a newer build took its place, or its owner closed it) and no
    handle uses it."""

    def __init__(self, path: Path):
        if not Path(path).exists():
            raise CatalogMissing(f"catalog not found: {path} (run `python -m etl build`)")
        self.fd = os.open(path, os.O_RDONLY)
        st = os.fstat(self.fd)
        self.identity = (st.st_ino, st.st_size, st.st_mtime_ns)
        try:
            self.con = connect_read_only(Path(path))
            self.con.execute("SELECT count(*) FROM catalog_meta").fetchone()  # a corrupt file fails here
        except BaseException as exc:
            self._close_fd()
            if isinstance(exc, duckdb.Error):
                raise CatalogUnreadable(f"catalog {path} cannot be read: {exc}") from exc
            raise
        self.users = 0
        self.retired = False
        self.closed = False
        self.meta: dict[str, str] | None = None     # read once per build (a build never changes):
        self.figures: dict[str, int] | None = None  # every page run shows them (footer, banner)
        self._lock = threading.RLock()  # a handle's finalizer may run inside another call here

    def acquire(self) -> None:
        with self._lock:
            if self.closed:
                raise CatalogMissing("this catalog build has been closed")
            self.users += 1

    def release(self) -> None:
        with self._lock:
            self.users -= 1
            self._close_if_unused()

    def retire(self) -> None:
        with self._lock:
            self.retired = True
            self._close_if_unused()

    def _close_if_unused(self) -> None:
        if self.retired and self.users <= 0 and not self.closed:
            self.closed = True
            try:
                self.con.close()
            finally:
                self._close_fd()

    def _close_fd(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


class Catalog:
    """A read-only catalog.  Each query takes its own cursor, so threads may share one.

    ``Catalog(path)`` opens the file for its owner (closed by ``close()``).  The app hands out
    handles of a shared build instead (``CatalogPool.handle()``): a build stays open while any
    handle of it is alive, so a run keeps the build it started with however often a new one is
    swapped in."""

    def __init__(self, path: Path | None = None, *, _build: _Build | None = None):
        self.path = Path(path or settings.path("catalog_path"))
        self._own = _build is None
        self._build = _build or _Build(self.path)
        self._build.acquire()
        self._release = weakref.finalize(self, self._build.release)
        self.identity = self._build.identity
        self._con = self._build.con

    def is_stale(self) -> bool:
        return file_identity(self.path) != self.identity

    def close(self) -> None:
        """Done with this handle; an own build is closed now, a shared one when its last user is done."""
        if self._own:
            self._build.retire()
        self._release()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = self._con.cursor()
        cursor.execute("USE catalog")  # a cursor starts in the in-memory database (connect_read_only)
        return cursor

    def statements(self, sql: str) -> list:
        """DuckDB's own parse of ``sql`` (one Statement per statement, with ``.type``); runs nothing."""
        return self._con.extract_statements(sql)

    def query(self, sql: str, params: list | dict | None = None, *, max_rows: int | None = None,
              time_limit_ms: int | None = None) -> QueryResult:
        """Run one statement under the row cap and time limit (both may only be lowered)."""
        cap = int(settings.get("max_returned_rows"))
        limit_ms = int(settings.get("sql_time_limit_ms"))
        max_rows = cap if max_rows is None else min(int(max_rows), cap)
        time_limit_ms = limit_ms if time_limit_ms is None else min(int(time_limit_ms), limit_ms)
        cursor = self._cursor()
        timer = threading.Timer(time_limit_ms / 1000.0, cursor.interrupt)
        started = time.perf_counter()
        timer.start()
        try:
            relation = cursor.execute(sql, params) if params is not None else cursor.execute(sql)
            rows = relation.fetchmany(max_rows + 1)
            columns = [d[0] for d in relation.description] if relation.description else []
        except duckdb.InterruptException as exc:
            raise QueryInterrupted(f"query stopped after {time_limit_ms} ms") from exc
        finally:
            timer.cancel()
            cursor.close()
        elapsed = (time.perf_counter() - started) * 1000
        frame = pd.DataFrame.from_records(rows[:max_rows], columns=columns)
        return QueryResult(frame, len(rows) > max_rows, elapsed, max_rows)

    def frame(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """A whole (internal, trusted) result as a DataFrame, e.g. the organisation list the app
        indexes.  Still time-limited; the row cap does not apply because the app needs every row."""
        cursor = self._cursor()
        timer = threading.Timer(max(30.0, settings.get("sql_time_limit_ms") / 1000.0), cursor.interrupt)
        timer.start()
        try:
            relation = cursor.execute(sql, params) if params is not None else cursor.execute(sql)
            if relation.description and all(_plain_type(d[1]) for d in relation.description):
                return arrow_to_pandas(relation.to_arrow_table())
            return relation.df()
        finally:
            timer.cancel()
            cursor.close()

    def meta(self) -> dict[str, str]:
        if self._build.meta is None:
            self._build.meta = dict(self.frame("SELECT key, value FROM catalog_meta").values.tolist())
        return dict(self._build.meta)

    def figures(self) -> dict[str, int]:
        """Headline figures shown on the first page and in the footer (counted once per build)."""
        if self._build.figures is None:
            self._build.figures = self._count_figures()
        return dict(self._build.figures)

    def _count_figures(self) -> dict[str, int]:
        row = self.frame("""
            SELECT (SELECT count(*) FROM organisations) AS organisations,
                   (SELECT count(*) FROM organisations WHERE lat IS NOT NULL) AS located,
                   (SELECT count(*) FROM adoptions) AS adoptions,
                   (SELECT count(DISTINCT adopter_name) FROM adoptions) AS adopters,
                   (SELECT count(DISTINCT category) FROM service_categories) AS categories_used,
                   (SELECT count(*) FROM categories) AS categories,
                   (SELECT count(*) FROM sources) AS sources""").iloc[0]
        return {k: int(v) for k, v in row.items()}

    @property
    def is_synthetic(self) -> bool:
        return self.meta().get("synthetic", "false") == "true"


class CatalogPool:
    """The app's one view of a catalog file, safe across swaps (one pool per path and process).

    ``handle()`` returns a Catalog handle of the current build, first opening a newly swapped-in
    file *beside* the open one (never closing a build a run may still be reading).  The replaced
    build is retired and closed when its last handle is gone, i.e. when no run uses it.  A new
    file that cannot be read (corrupt, truncated) is not switched to: the last good build keeps
    being served and ``problem`` says why; with no good build, ``handle()`` raises
    CatalogUnreadable."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._current: _Build | None = None
        self._bad: tuple | None = None          # identity of a file that failed to open
        self.problem: str | None = None         # why the newest file is not served
        self._retired: list[_Build] = []
        self._lock = threading.RLock()

    def handle(self) -> Catalog | None:
        """A handle of the current build; None when no catalog file exists and none is open."""
        identity = file_identity(self.path)
        with self._lock:
            current = self._current
            if current is not None and (identity is None or identity == current.identity or identity == self._bad):
                return Catalog(self.path, _build=current)
            if identity is None:
                return None
            if identity == self._bad:
                raise CatalogUnreadable(self.problem or f"catalog {self.path} cannot be read")
            try:
                fresh = _Build(self.path)
            except CatalogMissing:
                return Catalog(self.path, _build=current) if current is not None else None
            except CatalogUnreadable as exc:
                self._bad, self.problem = identity, str(exc)
                if current is not None:
                    return Catalog(self.path, _build=current)
                raise
            self._bad, self.problem = None, None
            self._current = fresh
            handle = Catalog(self.path, _build=fresh)
            if current is not None:
                self._retired.append(current)
                current.retire()
            return handle

    def open_builds(self) -> int:
        """Builds still open: the current one plus replaced ones some run still uses."""
        with self._lock:
            self._retired = [b for b in self._retired if not b.closed]
            return len(self._retired) + (self._current is not None and not self._current.closed)
