"""The SQLite store under vendor submissions: connection, schema, rate limits, reviewer lockouts.

Why SQLite in WAL mode: many small concurrent writes from several processes while the ETL reads a
snapshot (FIELD-NOTES "DuckDB": SQLite took 6,000 rows from 12 writers with no error; DuckDB allows
one writing process per file).  ``synchronous=FULL`` makes a COMMIT durable before it returns, so a
receipt number the vendor has seen survives a crash of the app or the machine.  Every write is one
``BEGIN IMMEDIATE`` transaction: it either happened completely or not at all.

The audit log and submission versions are append-only: triggers abort any UPDATE or DELETE.
Never open the store file with anything but sqlite3 (no open()/read_bytes(), no copying it while
the app runs): closing any other handle on it drops this process's POSIX locks and lets another
process corrupt it (sqlite.org/howtocorrupt.html section 2.2).  Back it up with ``.backup``.
No Streamlit here; govmap/submissions.py builds the submission workflow on top.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from govmap import settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    receipt TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    client_nonce TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'changes_requested', 'approved', 'merged', 'rejected')),
    current_version INTEGER NOT NULL,
    reviewer_message TEXT,
    published_version INTEGER,
    published_org_id TEXT,
    approved_at TEXT);
CREATE TABLE IF NOT EXISTS versions (
    receipt TEXT NOT NULL REFERENCES submissions(receipt),
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    client_nonce TEXT NOT NULL UNIQUE,
    target_org_id TEXT,
    payload TEXT NOT NULL,
    duplicates TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (receipt, version));
CREATE TABLE IF NOT EXISTS contacts (
    receipt TEXT NOT NULL REFERENCES submissions(receipt),
    version INTEGER NOT NULL,
    contact TEXT NOT NULL,
    PRIMARY KEY (receipt, version));
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    receipt TEXT,
    version INTEGER,
    before TEXT,
    after TEXT,
    reason TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rate_events (bucket TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS rate_events_bucket ON rate_events (bucket, at);
CREATE TABLE IF NOT EXISTS login_failures (
    account TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at REAL NOT NULL, locked_until REAL);
CREATE TABLE IF NOT EXISTS publishes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, requested_by TEXT NOT NULL, started_at TEXT NOT NULL,
    finished_at TEXT, ok INTEGER, message TEXT);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS versions_no_update BEFORE UPDATE ON versions
    BEGIN SELECT RAISE(ABORT, 'submission versions are append-only'); END;
CREATE TRIGGER IF NOT EXISTS versions_no_delete BEFORE DELETE ON versions
    BEGIN SELECT RAISE(ABORT, 'submission versions are append-only'); END;
"""


class RateLimited(Exception):
    """Too many requests in a rate-limit bucket; ``retry_after`` seconds until one frees up."""

    def __init__(self, bucket: str, retry_after: float):
        super().__init__(f"rate limit reached for {bucket.split(':')[0]}")
        self.bucket = bucket
        self.retry_after = max(1, int(retry_after + 0.999))


@dataclass(frozen=True)
class Limit:
    bucket: str       # e.g. "session:<hash>", "receipt:<r>", "global"
    limit: int
    window: float     # seconds


class Store:
    """One SQLite file.  Open a connection per call (cheap), never share one across threads."""

    _ready: set[str] = set()  # files whose schema this process has already made sure of

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path or settings.path("store_path"))
        if str(self.path) in Store._ready and self.path.exists():
            return  # pages build a Store on every run: do not take the write lock each time
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")  # persistent: stays on for every later connection
            con.executescript("BEGIN IMMEDIATE;" + SCHEMA + "COMMIT;")
        Store._ready.add(str(self.path))

    @contextmanager
    def _connect(self):
        con = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        try:
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA busy_timeout=60000")
            con.execute("PRAGMA synchronous=FULL")
            con.execute("PRAGMA foreign_keys=ON")
            yield con
        finally:
            con.close()

    @contextmanager
    def transaction(self):
        """One write transaction (BEGIN IMMEDIATE ... COMMIT); rolled back on any exception."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @contextmanager
    def snapshot(self):
        """A read-only, consistent view (one read transaction) for lists and for the ETL."""
        with self._connect() as con:
            con.execute("PRAGMA query_only=ON")
            con.execute("BEGIN")
            try:
                yield con
            finally:
                con.execute("COMMIT")

    # -- rate limits -----------------------------------------------------------------------
    @staticmethod
    def take(con: sqlite3.Connection, limits, now: float | None = None) -> None:
        """Inside a transaction: raise RateLimited if any bucket is full, else count one event in each."""
        now = time.time() if now is None else now
        for lim in limits:
            con.execute("DELETE FROM rate_events WHERE bucket = ? AND at < ?", (lim.bucket, now - lim.window))
            rows = con.execute("SELECT at FROM rate_events WHERE bucket = ? ORDER BY at", (lim.bucket,)).fetchall()
            if len(rows) >= lim.limit:
                raise RateLimited(lim.bucket, rows[len(rows) - lim.limit]["at"] + lim.window - now)
        for lim in limits:
            con.execute("INSERT INTO rate_events VALUES (?, ?)", (lim.bucket, now))

    def check(self, limits, now: float | None = None) -> None:
        """Raise RateLimited if any bucket is full, without counting."""
        now = time.time() if now is None else now
        with self.snapshot() as con:
            for lim in limits:
                rows = con.execute("SELECT at FROM rate_events WHERE bucket = ? AND at >= ? ORDER BY at",
                                   (lim.bucket, now - lim.window)).fetchall()
                if len(rows) >= lim.limit:
                    raise RateLimited(lim.bucket, rows[len(rows) - lim.limit]["at"] + lim.window - now)

    def count(self, limit: Limit) -> None:
        """Count one event in a bucket whatever its fill (e.g. a failed token check)."""
        with self.transaction() as con:
            con.execute("DELETE FROM rate_events WHERE bucket = ? AND at < ?", (limit.bucket, time.time() - limit.window))
            con.execute("INSERT INTO rate_events VALUES (?, ?)", (limit.bucket, time.time()))

    # -- reviewer lockout ------------------------------------------------------------------
    def locked_for(self, account: str, now: float | None = None) -> float:
        """Seconds the account stays locked (0 when it is not locked)."""
        now = time.time() if now is None else now
        with self.snapshot() as con:
            row = con.execute("SELECT locked_until FROM login_failures WHERE account = ?", (account,)).fetchone()
        return max(0.0, (row["locked_until"] or 0) - now) if row else 0.0

    def login_failed(self, account: str, threshold: int, lockout_seconds: float, now: float | None = None) -> bool:
        """Record a failed login; True when this failure locks the account."""
        now = time.time() if now is None else now
        with self.transaction() as con:
            row = con.execute("SELECT failures, locked_until FROM login_failures WHERE account = ?", (account,)).fetchone()
            failures = 1 if row is None or (row["locked_until"] and row["locked_until"] <= now) else row["failures"] + 1
            locked_until = now + lockout_seconds if failures >= threshold else None
            con.execute("INSERT INTO login_failures VALUES (?, ?, ?, ?) ON CONFLICT (account) DO UPDATE SET "
                        "failures = excluded.failures, last_at = excluded.last_at, locked_until = excluded.locked_until",
                        (account, failures, now, locked_until))
        return locked_until is not None

    def login_succeeded(self, account: str) -> None:
        with self.transaction() as con:
            con.execute("DELETE FROM login_failures WHERE account = ?", (account,))

    # -- publishes -------------------------------------------------------------------------
    def publish_started(self, requested_by: str, at: str) -> int:
        with self.transaction() as con:
            return con.execute("INSERT INTO publishes (requested_by, started_at) VALUES (?, ?)",
                               (requested_by, at)).lastrowid

    def publish_finished(self, publish_id: int, at: str, ok: bool, message: str) -> None:
        with self.transaction() as con:
            con.execute("UPDATE publishes SET finished_at = ?, ok = ?, message = ? WHERE id = ?",
                        (at, int(ok), message[:4000], publish_id))

    def publishes(self, limit: int = 20) -> list[dict]:
        with self.snapshot() as con:
            return [dict(r) for r in con.execute("SELECT * FROM publishes ORDER BY id DESC LIMIT ?", (limit,))]

    def integrity_ok(self) -> bool:
        with self.snapshot() as con:
            return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
