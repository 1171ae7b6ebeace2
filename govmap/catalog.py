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
    if not Path(path).exists():
        raise CatalogMissing(f"catalog not found: {path} (run `python -m etl build`)")
    config = {
        "enable_external_access": False,
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        "memory_limit": str(settings.get("sql_memory_limit")),
        "threads": int(settings.get("sql_threads")),
    }
    con = duckdb.connect(str(path), read_only=True, config=config)
    # DuckDB shares one database instance per file within a process: a second connection to a
    # file already opened here finds the configuration locked, which is what we want.
    if not con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
        con.execute("SET lock_configuration = true")
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


class Catalog:
    """A read-only catalog.  Share one per process; each query takes its own cursor."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path or settings.path("catalog_path"))
        self.identity = file_identity(self.path)
        self._con = connect_read_only(self.path)
        self._meta: dict[str, str] | None = None

    def is_stale(self) -> bool:
        return file_identity(self.path) != self.identity

    def close(self) -> None:
        self._con.close()

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
        cursor = self._con.cursor()
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
        cursor = self._con.cursor()
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
        if self._meta is None:
            self._meta = dict(self.frame("SELECT key, value FROM catalog_meta").values.tolist())
        return self._meta

    def figures(self) -> dict[str, int]:
        """Headline figures shown on the first page and in the footer."""
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
