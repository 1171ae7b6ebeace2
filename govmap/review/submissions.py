"""Vendor submissions and their review, on the SQLite store (govmap/review/store.py).  No Streamlit.

* A vendor ``submit``s an entry (organisation + services + adoptions, as built and validated by
  govmap/review/submission_form.py) with a private contact; they get a receipt number and keep the edit
  token they were given (only its SHA-256 is stored).  ``lookup`` shows the status; ``revise`` adds
  a new version of the same receipt (versions are append-only, linked by the receipt).
* A client nonce per form makes a retried submit (double click, network retry) return the first
  receipt instead of storing a second copy.
* Reviewers ``approve``, ``reject``, ``merge`` into an existing organisation or ``request_changes``.
  Each action is one transaction that checks the version the reviewer looked at is still the
  current one, changes the status and appends to the audit log (who, when, which submission,
  before/after, why).  The audit log is hash-chained and append-only (triggers in the store).
* ``published`` lists what the ETL publishes (etl/submissions.py); contacts are never in it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from govmap.review.antiautomation import LOCAL, pow_ok
from govmap.finder import duplicates as dup
from govmap import settings
from govmap.normalize import boundary
from govmap.review.store import GuardPolicy, Limit, Store

RECEIPT_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read out over the phone
RECEIPT_LENGTH = 10
_RECEIPT = re.compile(f"[{RECEIPT_ALPHABET}]{{{RECEIPT_LENGTH}}}")
MAX_PAYLOAD_BYTES = 1_000_000
ORG_ID_PREFIX = "sub_"
STATUSES = ("pending", "changes_requested", "approved", "merged", "rejected")
KINDS = ("new", "revision", "update", "duplicate")
# Which statuses each reviewer action may start from.
REVIEWABLE = {"approve": ("pending", "changes_requested"), "merge": ("pending", "changes_requested"),
              "reject": ("pending", "changes_requested"), "request_changes": ("pending",)}
ZERO_HASH = "0" * 64


class NotFound(LookupError):
    """No such receipt."""


class InvalidToken(PermissionError):
    """Unknown receipt or wrong edit token (deliberately the same error for both)."""


class NotRevisable(Exception):
    """A rejected submission cannot be revised (send a new one)."""


class ReviewConflict(Exception):
    """The submission changed (a revision arrived, or another reviewer decided) since it was shown."""


class PayloadTooLarge(ValueError):
    """The entry is larger than MAX_PAYLOAD_BYTES once encoded."""


@dataclass(frozen=True)
class Actor:
    id: str       # stable identity: local:<user>, oidc:<issuer>#<subject>, vendor, system
    label: str    # what a reviewer recognises (user name, e-mail)


VENDOR = Actor("vendor", "vendor")


@dataclass(frozen=True)
class Receipt:
    receipt: str
    version: int
    created: bool  # False when a retried submit found the first copy


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_nonce() -> str:
    return secrets.token_hex(16)


def normalize_receipt(value: object) -> str | None:
    """A receipt as typed (any case, hyphens, full-width) → canonical form, or None."""
    text = re.sub(r"[\s\-‐-―ー－]", "", boundary(value)).lower()
    return text if _RECEIPT.fullmatch(text) else None


def format_receipt(receipt: str) -> str:
    return f"{receipt[:5]}-{receipt[5:]}".upper()


def org_id_for(receipt: str) -> str:
    return ORG_ID_PREFIX + receipt


def _hash_token(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _insert_version(con, receipt: str, version: int, at: str, nonce: str, target: str | None,
                    payload: str, duplicates: str, contact: str) -> None:
    con.execute("INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?)",
                (receipt, version, at, nonce, target, payload, duplicates))
    con.execute("INSERT INTO contacts VALUES (?, ?, ?)", (receipt, version, contact))


class Submissions:
    def __init__(self, store: Store | None = None):
        self.store = store or Store()

    # -- vendor side -----------------------------------------------------------------------
    def submit(self, payload: dict, contact: dict, *, token: str, nonce: str, target_org_id: str | None = None,
               duplicates: list | tuple = (), limits: list[Limit] | tuple = (), proof: tuple[str, str] | None = None,
               address: str = LOCAL) -> Receipt:
        """Store version 1 of a new submission (committed durably before this returns).  ``proof`` is a
        solved proof-of-work challenge (challenge, nonce), spent in the same transaction as the limits
        are counted (store.ChallengeRefused, store.RateLimited); the form always passes one."""
        body, dups, private = self._encode(payload, duplicates, contact)
        now = _now()
        with self.store.transaction() as con:
            again = self._retried(con, nonce, token)
            if again:
                return again
            if proof is not None:
                Store.spend_challenge(con, proof[0], proof[1], pow_ok)
            Store.take(con, limits)
            receipt = self._new_receipt(con)
            con.execute("INSERT INTO submissions (receipt, token_hash, client_nonce, created_at, updated_at, status, "
                        "current_version) VALUES (?, ?, ?, ?, ?, 'pending', 1)",
                        (receipt, _hash_token(token), nonce, now, now))
            _insert_version(con, receipt, 1, now, nonce, target_org_id, body, dups, private)
            Store.remember(con, "token", receipt, address)  # its sender's address is never slowed by others' failures
            self._audit(con, VENDOR, "submitted", receipt, 1, None,
                        {"status": "pending", "target_org_id": target_org_id, "entry": payload}, None, now)
        return Receipt(receipt, 1, True)

    def revise(self, receipt: str, token: str, payload: dict, contact: dict, *, nonce: str,
               target_org_id: str | None = None, duplicates: list | tuple = (),
               limits: list[Limit] | tuple = (), proof: tuple[str, str] | None = None) -> Receipt:
        """Add a new version to an existing submission; it goes back to the review queue.  Only the
        token holder gets this far, so only they use up the receipt's revision cap; revisions count
        against the session, address and global limits like submissions."""
        body, dups, private = self._encode(payload, duplicates, contact)
        now = _now()
        with self.store.transaction() as con:
            again = self._retried(con, nonce, token)
            if again:
                return again
            row = self._row(con, receipt)
            if row is None or not hmac.compare_digest(row["token_hash"], _hash_token(token)):
                raise InvalidToken(receipt)
            if row["status"] == "rejected":
                raise NotRevisable(receipt)
            if proof is not None:
                Store.spend_challenge(con, proof[0], proof[1], pow_ok)
            Store.take(con, limits)
            version = row["current_version"] + 1
            previous = self._version(con, receipt, row["current_version"])
            _insert_version(con, receipt, version, now, nonce, target_org_id, body, dups, private)
            con.execute("UPDATE submissions SET status = 'pending', current_version = ?, updated_at = ?, "
                        "reviewer_message = NULL WHERE receipt = ?", (version, now, receipt))
            self._audit(con, VENDOR, "revised", receipt, version,
                        {"status": row["status"], "version": version - 1, "target_org_id": previous["target_org_id"],
                         "entry": json.loads(previous["payload"])},
                        {"status": "pending", "version": version, "target_org_id": target_org_id, "entry": payload},
                        None, now)
        return Receipt(receipt, version, True)

    def lookup(self, receipt: str, token: str, *, address: str = LOCAL, policy: GuardPolicy | None = None,
               now: float | None = None) -> dict:
        """The vendor's view of their submission; InvalidToken for a wrong token or unknown receipt.
        With a ``policy``, failures are counted per (receipt, client address) before the token is
        compared (store.Locked once that address is over its limit, right token included): a third
        party throttles only itself, never the owner at another address."""
        attempt = self.store.guard_begin("token", receipt, address, policy, now) if policy else None
        with self.store.snapshot() as con:
            row = self._row(con, receipt)
            ok = row is not None and hmac.compare_digest(row["token_hash"], _hash_token(token))
            view = self._view(con, row) if ok else None
        if attempt is not None:
            with self.store.transaction() as con:
                Store.guard_end(con, attempt, ok, now)
        if not ok:
            raise InvalidToken(receipt)
        return view

    # -- reviewer side ---------------------------------------------------------------------
    def queue(self, statuses=("pending", "changes_requested"), kinds=()) -> list[dict]:
        """Submissions in the given statuses (all when empty), oldest first, filtered by kind
        (any of: new, revision, update, duplicate)."""
        with self.store.snapshot() as con:
            rows = con.execute("""SELECT s.*, v.payload, v.duplicates, v.target_org_id FROM submissions s
                                  JOIN versions v ON v.receipt = s.receipt AND v.version = s.current_version
                                  ORDER BY s.updated_at, s.receipt""").fetchall()
        items = [self._summary(r) for r in rows]
        similar = self._similar_open(items)
        out = []
        for item in items:
            item["similar_submissions"] = similar.get(item["receipt"], [])
            if item["similar_submissions"] and "duplicate" not in item["kinds"]:
                item["kinds"].append("duplicate")
            if statuses and item["status"] not in statuses:
                continue
            if kinds and not set(kinds) & set(item["kinds"]):
                continue
            out.append(item)
        return out

    def similar_submissions(self, receipt: str) -> list[dict]:
        """Other open submissions that look like this one (identical or look-alike names, same
        法人番号): the same entry sent twice, or an imitation of one under review, shows as such."""
        return self._similar_open(self.queue(kinds=())).get(receipt, []) if receipt else []

    @staticmethod
    def _similar_open(items: list[dict]) -> dict[str, list[dict]]:
        open_ = [{"receipt": i["receipt"], "name_ja": i["name_ja"], "name_en": i["name_en"],
                  "corporate_number": i.get("corporate_number", ""), "hq_municipality_code": i.get("municipality_code", "")}
                 for i in items if i["status"] in ("pending", "changes_requested")]
        return dup.among_submissions(open_, float(settings.get("duplicate_score_cutoff")) - 10)

    def detail(self, receipt: str) -> dict:
        """Everything a reviewer needs: every version, the private contact, the audit trail."""
        with self.store.snapshot() as con:
            row = self._row(con, receipt)
            if row is None:
                raise NotFound(receipt)
            view = self._view(con, row)
            view["versions"] = [self._decode(v) for v in con.execute(
                "SELECT * FROM versions WHERE receipt = ? ORDER BY version", (receipt,))]
            view["audit"] = [dict(a) for a in con.execute(
                "SELECT * FROM audit_log WHERE receipt = ? ORDER BY seq", (receipt,))]
        view["similar_submissions"] = self.similar_submissions(receipt)
        return view

    def approve(self, receipt: str, actor: Actor, expected_version: int, note: str = "") -> None:
        """Publish the current version (as an update of the organisation the vendor named, if any)."""
        self._review(receipt, actor, expected_version, "approve", "approved", note, publish=True)

    def merge(self, receipt: str, actor: Actor, expected_version: int, target_org_id: str, note: str = "") -> None:
        """Publish the current version as an update of ``target_org_id`` (an existing organisation)."""
        if not boundary(target_org_id):
            raise ValueError("merge needs a target organisation")
        self._review(receipt, actor, expected_version, "merge", "merged", note, publish=True, target=target_org_id)

    def reject(self, receipt: str, actor: Actor, expected_version: int, reason: str) -> None:
        if not boundary(reason):
            raise ValueError("a rejection needs a reason")
        self._review(receipt, actor, expected_version, "reject", "rejected", reason)

    def request_changes(self, receipt: str, actor: Actor, expected_version: int, message: str) -> None:
        if not boundary(message):
            raise ValueError("a change request needs a message")
        self._review(receipt, actor, expected_version, "request_changes", "changes_requested", message)

    def record(self, actor: Actor, action: str, reason: str | None = None) -> None:
        """An audit entry about no submission in particular (logins, logouts, refused logins)."""
        with self.store.transaction() as con:
            self.record_in(con, actor, action, reason)

    def record_in(self, con, actor: Actor, action: str, reason: str | None = None) -> None:
        """The same inside a transaction the caller holds (e.g. with the login's failure count)."""
        self._audit(con, actor, action, None, None, None, None, reason, _now())

    def audit(self, limit: int = 500, receipt: str | None = None) -> list[dict]:
        with self.store.snapshot() as con:
            sql = "SELECT * FROM audit_log" + (" WHERE receipt = ?" if receipt else "") + " ORDER BY seq DESC LIMIT ?"
            return [dict(r) for r in con.execute(sql, (receipt, limit) if receipt else (limit,))]

    def verify_audit_chain(self) -> bool:
        """True when every audit entry's hash matches its content and its predecessor."""
        prev = ZERO_HASH
        with self.store.snapshot() as con:
            for r in con.execute("SELECT * FROM audit_log ORDER BY seq"):
                if r["prev_hash"] != prev or r["hash"] != _entry_hash(prev, r):
                    return False
                prev = r["hash"]
        return True

    def published(self) -> list[dict]:
        """Approved or merged entries to publish, in approval order (no contacts)."""
        with self.store.snapshot() as con:
            rows = con.execute("""SELECT s.receipt, s.published_version AS version, s.published_org_id AS org_id,
                                         s.approved_at, v.payload FROM submissions s
                                  JOIN versions v ON v.receipt = s.receipt AND v.version = s.published_version
                                  WHERE s.published_version IS NOT NULL ORDER BY s.approved_at, s.receipt""").fetchall()
        return [{**dict(r), "payload": json.loads(r["payload"])} for r in rows]

    # -- internals -------------------------------------------------------------------------
    def _review(self, receipt, actor: Actor, expected_version: int, action: str, status: str, reason: str,
                *, publish: bool = False, target: str | None = None) -> None:
        if not isinstance(actor, Actor) or not actor.id or actor.id == VENDOR.id:
            raise PermissionError("reviewer actions need a reviewer identity")
        now = _now()
        with self.store.transaction() as con:
            row = self._row(con, receipt)
            if row is None:
                raise NotFound(receipt)
            if row["current_version"] != expected_version or row["status"] not in REVIEWABLE[action]:
                raise ReviewConflict(receipt)
            before = self._state(con, row)
            message = None if publish else boundary(reason)
            con.execute("UPDATE submissions SET status = ?, updated_at = ?, reviewer_message = ? WHERE receipt = ?",
                        (status, now, message, receipt))
            if publish:
                version = self._version(con, receipt, expected_version)
                org_id = target or version["target_org_id"] or org_id_for(receipt)
                con.execute("UPDATE submissions SET published_version = ?, published_org_id = ?, approved_at = ? "
                            "WHERE receipt = ?", (expected_version, org_id, now, receipt))
            after = self._state(con, self._row(con, receipt))
            self._audit(con, actor, action, receipt, expected_version, before, after, boundary(reason) or None, now)

    def _state(self, con, row) -> dict:
        state = {k: row[k] for k in ("status", "current_version", "published_version", "published_org_id",
                                     "reviewer_message")}
        if row["published_version"]:
            state["published_entry"] = json.loads(self._version(con, row["receipt"], row["published_version"])["payload"])
        return state

    def _audit(self, con, actor: Actor, action, receipt, version, before, after, reason, at) -> None:
        last = con.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        prev = last["hash"] if last else ZERO_HASH
        entry = {"at": at, "actor": actor.id, "actor_label": actor.label, "action": action, "receipt": receipt,
                 "version": version, "before": None if before is None else _json(before),
                 "after": None if after is None else _json(after), "reason": reason}
        con.execute("INSERT INTO audit_log (at, actor, actor_label, action, receipt, version, before, after, reason, "
                    "prev_hash, hash) VALUES (:at, :actor, :actor_label, :action, :receipt, :version, :before, :after, "
                    ":reason, :prev, :hash)", {**entry, "prev": prev, "hash": _entry_hash(prev, entry)})

    @staticmethod
    def _encode(payload: dict, duplicates, contact: dict) -> tuple[str, str, str]:
        body = _json(payload)
        if len(body.encode()) > MAX_PAYLOAD_BYTES:
            raise PayloadTooLarge(f"entry larger than {MAX_PAYLOAD_BYTES} bytes")
        return body, _json(list(duplicates)), _json(contact)

    def _retried(self, con, nonce: str, token: str) -> Receipt | None:
        row = con.execute("SELECT v.receipt, v.version, s.token_hash FROM versions v JOIN submissions s USING (receipt) "
                          "WHERE v.client_nonce = ?", (nonce,)).fetchone()
        if row is None:
            return None
        if not hmac.compare_digest(row["token_hash"], _hash_token(token)):
            raise InvalidToken(row["receipt"])
        return Receipt(row["receipt"], row["version"], False)

    @staticmethod
    def _new_receipt(con) -> str:
        while True:
            receipt = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
            if not con.execute("SELECT 1 FROM submissions WHERE receipt = ?", (receipt,)).fetchone():
                return receipt

    @staticmethod
    def _row(con, receipt: str):
        return con.execute("SELECT * FROM submissions WHERE receipt = ?", (receipt,)).fetchone()

    @staticmethod
    def _version(con, receipt: str, version: int):
        return con.execute("SELECT * FROM versions WHERE receipt = ? AND version = ?", (receipt, version)).fetchone()

    @staticmethod
    def _decode(v) -> dict:
        return {**dict(v), "payload": json.loads(v["payload"]), "duplicates": json.loads(v["duplicates"])}

    def _view(self, con, row) -> dict:
        current = self._decode(self._version(con, row["receipt"], row["current_version"]))
        contact = con.execute("SELECT contact FROM contacts WHERE receipt = ? AND version = ?",
                              (row["receipt"], row["current_version"])).fetchone()
        versions = con.execute("SELECT version, created_at FROM versions WHERE receipt = ? ORDER BY version",
                               (row["receipt"],)).fetchall()
        view = {k: row[k] for k in row.keys() if k not in ("token_hash", "client_nonce")}
        return {**view, "entry": current["payload"], "duplicates": current["duplicates"],
                "target_org_id": current["target_org_id"], "contact": json.loads(contact["contact"]) if contact else {},
                "history": [dict(v) for v in versions]}

    @staticmethod
    def _summary(r) -> dict:
        payload, dups = json.loads(r["payload"]), json.loads(r["duplicates"])
        kinds = ["revision" if r["current_version"] > 1 else "new"]
        if r["target_org_id"]:
            kinds.append("update")
        if dups:
            kinds.append("duplicate")
        org = payload.get("org", {})
        return {"receipt": r["receipt"], "status": r["status"], "version": r["current_version"],
                "created_at": r["created_at"], "updated_at": r["updated_at"], "name_ja": org.get("name_ja", ""),
                "name_en": org.get("name_en", ""), "corporate_number": org.get("corporate_number", ""),
                "municipality_code": org.get("municipality_code", ""), "target_org_id": r["target_org_id"], "duplicates": dups,
                "kinds": kinds, "n_services": len(payload.get("services", []))}


def _entry_hash(prev: str, entry) -> str:
    fields = [entry[k] for k in ("at", "actor", "actor_label", "action", "receipt", "version", "before", "after", "reason")]
    return hashlib.sha256((prev + _json(fields)).encode()).hexdigest()
