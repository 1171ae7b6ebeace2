"""The SQLite store under vendor submissions: connection, schema, rate limits, failure guards
(reviewer logins, edit tokens), proof-of-work challenges.

Why SQLite in WAL mode: many small concurrent writes from several processes while the ETL reads a
snapshot (FIELD-NOTES "DuckDB": SQLite took 6,000 rows from 12 writers with no error; DuckDB allows
one writing process per file).  ``synchronous=FULL`` makes a COMMIT durable before it returns, so a
receipt number the vendor has seen survives a crash of the app or the machine.  Every write is one
``BEGIN IMMEDIATE`` transaction: it either happened completely or not at all.

The audit log and submission versions are append-only: triggers abort any UPDATE or DELETE.
Never open the store file with anything but sqlite3 (no open()/read_bytes(), no copying it while
the app runs): closing any other handle on it drops this process's POSIX locks and lets another
process corrupt it (sqlite.org/howtocorrupt.html section 2.2).  Back it up with ``.backup``.
No Streamlit here; govmap/review/submissions.py builds the submission workflow on top.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from govmap import settings
from govmap.review import pgstore

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
CREATE TABLE IF NOT EXISTS guard_failures (
    scope TEXT NOT NULL, subject TEXT NOT NULL, address TEXT NOT NULL, failures INTEGER NOT NULL,
    last_at REAL NOT NULL, locked_until REAL, PRIMARY KEY (scope, subject, address));
CREATE TABLE IF NOT EXISTS guard_known (
    scope TEXT NOT NULL, subject TEXT NOT NULL, address TEXT NOT NULL, last_ok REAL NOT NULL,
    PRIMARY KEY (scope, subject, address));
CREATE TABLE IF NOT EXISTS challenges (
    id TEXT PRIMARY KEY, address TEXT NOT NULL, bits INTEGER NOT NULL, issued_at REAL NOT NULL,
    expires_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS challenges_address ON challenges (address, issued_at);
CREATE TABLE IF NOT EXISTS publishes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, requested_by TEXT NOT NULL, requested_at TEXT NOT NULL,
    watermark INTEGER NOT NULL DEFAULT 0, started_at TEXT, pid INTEGER, finished_at TEXT, ok INTEGER,
    message TEXT, built_watermark INTEGER);
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


class Locked(RateLimited):
    """Too many failed checks of a password or token: refused before checking, for ``retry_after`` s."""


class ChallengeRefused(Exception):
    """A submission without a valid, unused, unexpired solved proof-of-work challenge."""


KNOWN_SECONDS = 90 * 24 * 3600   # an address stays familiar to an account/receipt this long after a success
MAX_OPEN_CHALLENGES = 20         # unsolved challenges kept per client address


@dataclass(frozen=True)
class GuardPolicy:
    per_address: int      # failures per (subject, address) after which that address is locked out
    lock_seconds: float   # ... for this long
    ceiling: int          # failures per subject from unfamiliar addresses before the backoff starts
    backoff_max: float    # longest backoff wait
    window: float         # failures older than this are forgotten


@dataclass(frozen=True)
class Attempt:
    scope: str
    subject: str
    address: str
    known: bool           # the address succeeded for this subject before (exempt from the ceiling)
    locks: float          # > 0 when this attempt's failure locks the address (its lock length)


@dataclass(frozen=True)
class Limit:
    bucket: str       # e.g. "session:<hash>", "receipt:<r>", "global"
    limit: int
    window: float     # seconds


# PRAGMA user_version of the store.  2: publishes are durable requests (requested_at, watermark,
# started/finished by a detached build); 0: the store before that (migrated by _migrate).
SCHEMA_VERSION = 2
PUBLISHING_ACTIONS = ("approve", "merge")  # audit actions that change what the catalog publishes


class StoreUnavailable(sqlite3.DatabaseError):
    """The store cannot be used right now (disk full, damaged file); nothing was written."""


class DiskFull(StoreUnavailable):
    """SQLite reported 'database or disk is full': the write was rolled back, nothing was stored."""


class StoreUnreachable(StoreUnavailable):
    """The store's database server (GOVMAP_STORE_URL) cannot be reached or refuses connections."""


class StoreCorrupt(StoreUnavailable):
    """The store file is damaged or not a SQLite database."""


_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 10, 11, 13, 26
_LOW_SPACE = 1 << 20  # bytes free below which an I/O error is taken for a full disk


def _free_bytes(folder: Path) -> int | None:
    try:
        st = os.statvfs(folder)
    except OSError:
        return None
    return st.f_bavail * st.f_frsize


def _translate(exc: sqlite3.DatabaseError, path: Path) -> StoreUnavailable | None:
    """A clear exception for a full disk or a damaged store; None for every other SQLite error.
    In WAL mode a full disk often shows as "disk I/O error" (the WAL append fails with ENOSPC),
    so an I/O error on a filesystem with (almost) no space left is a full disk too."""
    if isinstance(exc, StoreUnavailable):
        return None
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    text = str(exc).lower()
    if code == _SQLITE_FULL or "disk is full" in text:
        return DiskFull(str(exc))
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return StoreCorrupt(str(exc))
    if code == _SQLITE_IOERR or "disk i/o error" in text:
        free = _free_bytes(Path(path).parent)
        return DiskFull(str(exc)) if free is not None and free < _LOW_SPACE else StoreUnavailable(str(exc))
    return None


def _migrate(con: sqlite3.Connection) -> None:
    """Inside the schema transaction: bring an older store up to SCHEMA_VERSION."""
    if con.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return
    columns = {r[1] for r in con.execute("PRAGMA table_info(publishes)")}
    if "requested_at" not in columns:  # version 0: a publish was a row only once its build started
        con.execute("ALTER TABLE publishes RENAME TO publishes_v0")
        con.execute(SCHEMA[SCHEMA.index("CREATE TABLE IF NOT EXISTS publishes"):SCHEMA.index("CREATE TRIGGER")])
        # A run left unfinished then was lost with the app's memory: record it as failed; what it
        # would have published is published by the next run (its watermark is behind the store's).
        con.execute("""INSERT INTO publishes (id, requested_by, requested_at, watermark, started_at, finished_at, ok,
                                              message)
                       SELECT id, requested_by, started_at, 0, started_at, coalesce(finished_at, started_at),
                              coalesce(ok, 0), coalesce(message, ?)
                       FROM publishes_v0""",
                    ("interrupted (the app stopped during this build); its approvals are published by the next run",))
        con.execute("DROP TABLE publishes_v0")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def locate(where: Path | str | None = None) -> Path | str:
    """Where the store is: ``where`` if given (a file path, or a ``postgresql://`` URL), else the
    ``store_url`` setting (GOVMAP_STORE_URL) when set, else the SQLite file ``store_path``."""
    if where is not None and str(where) != "":
        return str(where) if pgstore.is_url(str(where)) else Path(where)
    url = str(settings.get("store_url") or "").strip()
    return url if url else settings.path("store_path")


def exists(where: Path | str | None = None) -> bool:
    """Whether there is a store to read: the SQLite file exists (a server store always "exists":
    reaching it is the connection's business)."""
    where = locate(where)
    return True if isinstance(where, str) else Path(where).exists()


def describe(where: Path | str | None = None) -> str:
    """The store's location for people (a server URL without its password)."""
    where = locate(where)
    return pgstore.redact(where) if isinstance(where, str) else str(where)


class Store:
    """One SQLite file (the embedded default) or one PostgreSQL database (``GOVMAP_STORE_URL``,
    for several app processes; govmap/review/pgstore.py).  Open a connection per call (cheap), never
    share one across threads."""

    _ready: set[str] = set()  # stores whose schema this process has already made sure of

    def __init__(self, path: Path | str | None = None):
        where = locate(path)
        self.url = where if isinstance(where, str) else None
        self.path = None if self.url else Path(where)
        key = self.url or str(self.path)
        if key in Store._ready and (self.url or self.path.exists()):
            return  # pages build a Store on every run: do not take the write lock each time
        if self.url:
            with self._connect() as con:
                pgstore.create_schema(con, SCHEMA_VERSION)
            Store._ready.add(key)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")  # persistent: stays on for every later connection
            con.executescript("BEGIN IMMEDIATE;" + SCHEMA)
            try:
                _migrate(con)
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        Store._ready.add(key)

    @property
    def where(self) -> str:
        """Where this store is, for messages (no password)."""
        return pgstore.redact(self.url) if self.url else str(self.path)

    @contextmanager
    def _connect(self):
        if self.url:
            with pgstore.connect(self.url) as con:
                yield con
            return
        try:
            con = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        except sqlite3.DatabaseError as exc:
            raise (_translate(exc, self.path) or exc) from exc
        try:
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA busy_timeout=60000")
            con.execute("PRAGMA synchronous=FULL")
            con.execute("PRAGMA foreign_keys=ON")
            yield con
        except sqlite3.DatabaseError as exc:  # disk full, damaged file: say so (nothing was committed)
            clear = _translate(exc, self.path)
            if clear is None:
                raise
            raise clear from exc
        finally:
            con.close()

    @contextmanager
    def transaction(self):
        """One write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: the same one-writer lock) ...
        COMMIT; rolled back on any exception."""
        with self._connect() as con:
            if self.url:
                pgstore.begin_write(con)
            else:
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
            if self.url:
                pgstore.begin_read(con)
            else:
                con.execute("PRAGMA query_only=ON")
                con.execute("BEGIN")
            try:
                yield con
            finally:
                con.execute("COMMIT")

    def ping(self) -> None:
        """Read something: raises the store's exception when it cannot be used."""
        with self.snapshot() as con:
            con.execute("SELECT count(*) FROM submissions").fetchone()

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

    def recent(self, bucket: str, window: float, now: float | None = None) -> int:
        """Events counted in a bucket during the last ``window`` seconds."""
        now = time.time() if now is None else now
        with self.snapshot() as con:
            return con.execute("SELECT count(*) FROM rate_events WHERE bucket = ? AND at >= ?",
                               (bucket, now - window)).fetchone()[0]

    # -- failure guard (reviewer logins, edit tokens) --------------------------------------
    # Failures are counted per (subject, client address): a third party locks out only its own
    # address.  Addresses where the subject never succeeded also share a per-subject row (address
    # '*') whose ceiling brings an exponential backoff, never a long lock.  An attempt is counted as
    # a failure *before* the secret is checked (``guard_begin``, one BEGIN IMMEDIATE transaction),
    # so concurrent attempts cannot run more checks than the limit; a success undoes it
    # (``guard_end``).
    def guard_begin(self, scope: str, subject: str, address: str, policy: GuardPolicy,
                    now: float | None = None) -> Attempt:
        """Reserve one check, or raise Locked (nothing is checked then)."""
        now = time.time() if now is None else now
        with self.transaction() as con:
            known = con.execute("SELECT 1 FROM guard_known WHERE scope = ? AND subject = ? AND address = ? "
                                "AND last_ok >= ?", (scope, subject, address, now - KNOWN_SECONDS)).fetchone()
            pair = _failures(con, scope, subject, address, policy.window, now, reset_after_lock=True)
            if pair["locked_until"] and pair["locked_until"] > now:
                raise Locked(f"{scope}:address", pair["locked_until"] - now)
            star = None
            if not known:
                star = _failures(con, scope, subject, "*", policy.window, now, reset_after_lock=False)
                if star["locked_until"] and star["locked_until"] > now:
                    raise Locked(f"{scope}:subject", star["locked_until"] - now)
            pair["failures"] += 1
            locks = pair["failures"] >= policy.per_address
            pair["locked_until"] = now + policy.lock_seconds if locks else None
            _put_failures(con, scope, subject, address, pair, now)
            if star is not None:
                star["failures"] += 1
                excess = star["failures"] - policy.ceiling
                star["locked_until"] = now + min(2.0 ** excess, policy.backoff_max) if excess >= 0 else None
                _put_failures(con, scope, subject, "*", star, now)
        return Attempt(scope, subject, address, bool(known), policy.lock_seconds if locks else 0.0)

    @staticmethod
    def guard_end(con: sqlite3.Connection, attempt: Attempt, ok: bool, now: float | None = None) -> None:
        """Inside a transaction: a success forgets this address's failures, undoes the reservation in
        the per-subject row and remembers the address; a failure stays counted."""
        if not ok:
            return
        now = time.time() if now is None else now
        key = (attempt.scope, attempt.subject)
        con.execute("DELETE FROM guard_failures WHERE scope = ? AND subject = ? AND address = ?", (*key, attempt.address))
        if not attempt.known:
            con.execute("UPDATE guard_failures SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END "
                        "WHERE scope = ? AND subject = ? AND address = '*'", key)
        Store.remember(con, attempt.scope, attempt.subject, attempt.address, now)

    @staticmethod
    def remember(con: sqlite3.Connection, scope: str, subject: str, address: str, now: float | None = None) -> None:
        """Inside a transaction: ``address`` is familiar to ``subject`` (exempt from its ceiling)."""
        con.execute("INSERT INTO guard_known VALUES (?, ?, ?, ?) ON CONFLICT (scope, subject, address) "
                    "DO UPDATE SET last_ok = excluded.last_ok",
                    (scope, subject, address, time.time() if now is None else now))

    def locked_for(self, scope: str, subject: str, address: str, now: float | None = None) -> float:
        """Seconds ``address`` stays refused for ``subject`` by its own failures (0 when it is not)."""
        now = time.time() if now is None else now
        with self.snapshot() as con:
            row = con.execute("SELECT locked_until FROM guard_failures WHERE scope = ? AND subject = ? AND address = ?",
                              (scope, subject, address)).fetchone()
        return max(0.0, (row["locked_until"] or 0) - now) if row else 0.0

    # -- proof-of-work challenges ----------------------------------------------------------
    def issue_challenge(self, address: str, bits: int, ttl: float, now: float | None = None) -> str:
        """A new random challenge for ``address``; expired ones are dropped, and an address keeps at
        most MAX_OPEN_CHALLENGES (older ones go), so opening sessions cannot grow the table."""
        now = time.time() if now is None else now
        challenge = secrets.token_hex(16)
        with self.transaction() as con:
            con.execute("DELETE FROM challenges WHERE expires_at < ?", (now,))
            con.execute("INSERT INTO challenges VALUES (?, ?, ?, ?, ?)", (challenge, address, int(bits), now, now + ttl))
            con.execute("DELETE FROM challenges WHERE address = ? AND id NOT IN (SELECT id FROM challenges "
                        "WHERE address = ? ORDER BY issued_at DESC LIMIT ?)", (address, address, MAX_OPEN_CHALLENGES))
        return challenge

    @staticmethod
    def spend_challenge(con: sqlite3.Connection, challenge: str, nonce: str, verify, now: float | None = None) -> None:
        """Inside the submit transaction: the challenge must exist, be unexpired and
        ``verify(challenge, nonce, bits)``; it is then deleted (single use).  Else ChallengeRefused."""
        now = time.time() if now is None else now
        row = con.execute("SELECT bits, expires_at FROM challenges WHERE id = ?", (str(challenge),)).fetchone()
        if row is None or row["expires_at"] < now:
            raise ChallengeRefused("unknown, used or expired challenge")
        if not verify(str(challenge), str(nonce), row["bits"]):
            raise ChallengeRefused("the proof of work does not solve the challenge")
        con.execute("DELETE FROM challenges WHERE id = ?", (str(challenge),))

    # -- publishes (durable requests; govmap/review/publish.py runs them) ------------------------
    # A row is a request (requested_at, the approval watermark it wants published), claimed by
    # the build that runs it (started_at, pid) and finished by it (ok, message, built_watermark).
    @staticmethod
    def approval_watermark_in(con: sqlite3.Connection) -> int:
        """Audit seq of the latest approval or merge (0 when none): what a catalog must include."""
        marks = ",".join("?" * len(PUBLISHING_ACTIONS))
        return con.execute(f"SELECT coalesce(max(seq), 0) FROM audit_log WHERE action IN ({marks})",
                           PUBLISHING_ACTIONS).fetchone()[0]

    def approval_watermark(self) -> int:
        with self.snapshot() as con:
            return self.approval_watermark_in(con)

    def publish_requested(self, requested_by: str, at: str) -> int:
        """Record a publish request (with the approval watermark it asks for); its id."""
        with self.transaction() as con:
            return con.execute("INSERT INTO publishes (requested_by, requested_at, watermark) VALUES (?, ?, ?) "
                               "RETURNING id", (requested_by, at, self.approval_watermark_in(con))).fetchone()[0]

    def publish_claim(self, at: str, pid: int) -> list[int]:
        """Claim every request nobody has started (the caller holds the build lock)."""
        with self.transaction() as con:
            ids = [r[0] for r in con.execute("SELECT id FROM publishes WHERE started_at IS NULL AND finished_at IS NULL")]
            con.execute("UPDATE publishes SET started_at = ?, pid = ? WHERE started_at IS NULL AND finished_at IS NULL",
                        (at, pid))
        return ids

    def publish_finish(self, ids: list[int], at: str, ok: bool, message: str, built_watermark: int | None) -> None:
        with self.transaction() as con:
            con.executemany("UPDATE publishes SET finished_at = ?, ok = ?, message = ?, built_watermark = ? WHERE id = ?",
                            [(at, int(ok), message[:4000], built_watermark, i) for i in ids])

    def publish_abandoned(self, at: str, message: str) -> int:
        """Requests a build claimed but never finished (its process died): record them as failed.
        Only call while holding the build lock (so no build is running them)."""
        with self.transaction() as con:
            return con.execute("UPDATE publishes SET finished_at = ?, ok = 0, message = ? "
                               "WHERE started_at IS NOT NULL AND finished_at IS NULL", (at, message)).rowcount

    def publish_open(self) -> int:
        """Requests not yet started."""
        with self.snapshot() as con:
            return con.execute("SELECT count(*) FROM publishes WHERE started_at IS NULL AND finished_at IS NULL"
                               ).fetchone()[0]

    def publishes(self, limit: int = 20) -> list[dict]:
        with self.snapshot() as con:
            return [dict(r) for r in con.execute("SELECT * FROM publishes ORDER BY id DESC LIMIT ?", (limit,))]

    def integrity_ok(self) -> bool:
        """SQLite's integrity check; a PostgreSQL server checks its own pages (a damaged one raises
        StoreCorrupt on use), so there it is a successful read."""
        if self.url:
            self.ping()
            return True
        with self.snapshot() as con:
            return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _failures(con: sqlite3.Connection, scope: str, subject: str, address: str, window: float, now: float,
              *, reset_after_lock: bool) -> dict:
    """The failure row as a dict; forgotten when its last failure is older than ``window`` (or, for
    an address row, when its lock has run out)."""
    row = con.execute("SELECT failures, last_at, locked_until FROM guard_failures WHERE scope = ? AND subject = ? "
                      "AND address = ?", (scope, subject, address)).fetchone()
    if row is None:
        return {"failures": 0, "locked_until": None}
    expired_lock = reset_after_lock and row["locked_until"] is not None and row["locked_until"] <= now
    stale = row["last_at"] < now - window and not (row["locked_until"] and row["locked_until"] > now)
    if expired_lock or stale:
        return {"failures": 0, "locked_until": None}
    return {"failures": row["failures"], "locked_until": row["locked_until"]}


def _put_failures(con: sqlite3.Connection, scope: str, subject: str, address: str, row: dict, now: float) -> None:
    con.execute("INSERT INTO guard_failures VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope, subject, address) DO UPDATE "
                "SET failures = excluded.failures, last_at = excluded.last_at, locked_until = excluded.locked_until",
                (scope, subject, address, row["failures"], now, row["locked_until"]))
