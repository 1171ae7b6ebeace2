"""Reviewer authentication and authorization, without Streamlit.

Two ways in, both configured only in ``.streamlit/secrets.toml`` (never in the repository):

* OIDC through ``st.login`` when an ``[auth]`` section is configured; the identity provider proves
  who someone is, and ``[review] oidc_reviewers`` (a list of e-mail addresses) says who may review.
* Otherwise local accounts, ``[reviewers] name = "scrypt$..."``: salted scrypt hashes made with
  ``python -m govmap.review.auth hash --user NAME``.  Repeated failures lock the account out *for the
  client address they came from* for a while, and slow down addresses the account never logged in
  from (state in the SQLite store, so a restart does not reset it; see ``local_login``); an unknown
  name costs the same time and counts the same way, so trying names reveals nothing.

With neither configured, ``review_config(...).mode`` is ``disabled`` and the review page stays shut.
Authorization is re-checked on every page run and before every action (``authorized``).
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import secrets as random
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from govmap import settings
from govmap.normalize import boundary
from govmap.review.antiautomation import LOCAL, login_policy
from govmap.review.store import Locked, Store
from govmap.review.submissions import Actor, Submissions

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1   # ~32 MiB and ~0.1 s per check on this machine
MAX_N = 2 ** 20
MAXMEM = 256 * 1024 * 1024
MAX_NAME = 64
MAX_PASSWORD = 1024


class LoginRefused(Exception):
    """``reason`` is 'invalid' (wrong name or password), 'locked' (this client address is locked out
    of the account for ``retry_after`` seconds) or 'slowed' (the account's backoff for addresses it
    never logged in from)."""

    def __init__(self, reason: str, retry_after: float = 0):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = int(retry_after + 0.999)


@dataclass(frozen=True)
class ReviewConfig:
    mode: str                                  # oidc | local | disabled
    accounts: dict[str, str] = field(default_factory=dict)
    oidc_reviewers: frozenset[str] = frozenset()
    oidc_provider: str | None = None           # None: the unnamed [auth] provider
    problems: tuple[str, ...] = ()             # configuration problems worth showing an admin


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P,
                  salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$hash`` (salt and hash base64)."""
    salt = salt or random.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=MAXMEM, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def _parse(encoded: str) -> tuple[int, int, int, bytes, bytes] | None:
    try:
        scheme, n, r, p, salt, digest = str(encoded).split("$")
        n, r, p = int(n), int(r), int(p)
        if scheme != "scrypt" or not (2 <= n <= MAX_N and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
            return None
        return n, r, p, base64.b64decode(salt, validate=True), base64.b64decode(digest, validate=True)
    except (ValueError, TypeError):
        return None


def verify_password(password: str, encoded: str) -> bool:
    parts = _parse(encoded)
    if parts is None or not isinstance(password, str) or len(password) > MAX_PASSWORD:
        return False
    n, r, p, salt, digest = parts
    candidate = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=MAXMEM, dklen=len(digest))
    return hmac.compare_digest(candidate, digest)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(random.token_urlsafe(16))


def account_name(value: object) -> str:
    return boundary(value).casefold()[:MAX_NAME]


def _section(secrets: Mapping, name: str) -> Mapping:
    try:
        value = secrets.get(name) if hasattr(secrets, "get") else None
    except Exception:  # st.secrets raises when there is no secrets.toml at all
        return {}
    return value if isinstance(value, Mapping) else {}


def _oidc_provider(auth: Mapping) -> tuple[bool, str | None]:
    if not (auth.get("redirect_uri") and auth.get("cookie_secret")):
        return False, None
    if auth.get("client_id"):
        return True, None
    named = [k for k, v in auth.items() if isinstance(v, Mapping) and v.get("client_id")]
    return (True, named[0]) if named else (False, None)


def review_config(secrets: Mapping) -> ReviewConfig:
    """Which login the review page offers, from the secrets (st.secrets or a plain dict)."""
    problems = []
    oidc, provider = _oidc_provider(_section(secrets, "auth"))
    allowed = _section(secrets, "review").get("oidc_reviewers", [])
    reviewers = frozenset(account_name(e) for e in (allowed if isinstance(allowed, (list, tuple)) else []) if e)
    if oidc and reviewers:
        return ReviewConfig("oidc", oidc_reviewers=reviewers, oidc_provider=provider)
    if oidc:
        problems.append("[auth] is configured but [review] oidc_reviewers lists nobody")
    accounts = {}
    for name, encoded in _section(secrets, "reviewers").items():
        if _parse(encoded) is None:
            problems.append(f"[reviewers] {name}: not a scrypt hash (make one with python -m govmap.review.auth hash)")
        else:
            accounts[account_name(name)] = str(encoded)
    if accounts:
        return ReviewConfig("local", accounts=accounts, problems=tuple(problems))
    return ReviewConfig("disabled", problems=tuple(problems))


def local_login(store: Store, config: ReviewConfig, name: object, password: object,
                now: float | None = None, address: str = LOCAL) -> Actor:
    """The reviewer's identity, or LoginRefused.  One BEGIN IMMEDIATE transaction counts the attempt
    as a failure *before* the password is checked (a success undoes it), so concurrent attempts run
    at most ``reviewer_lockout_failures`` checks per account and client address; once over it, that
    address is refused (right password included) without a check.  Addresses where the account never
    logged in also share a per-account ceiling with an exponential backoff (store.Store.guard_begin).
    Every refused or failed login, and every lockout, is written to the audit log (never the password)."""
    account = account_name(name)
    actor = Actor(f"local:{account}", account)
    audit = Submissions(store)
    try:
        attempt = store.guard_begin("login", actor.id, address, login_policy(), now)
    except Locked as exc:
        scope = "account" if exc.bucket.endswith(":subject") else "address"
        audit.record(actor, "login_refused", f"locked ({scope}, {exc.retry_after} s); address {address}")
        raise LoginRefused("slowed" if scope == "account" else "locked", exc.retry_after) from None
    encoded = config.accounts.get(account) if config.mode == "local" else None
    ok = verify_password(str(password or ""), encoded or _dummy_hash()) and encoded is not None
    with store.transaction() as con:
        Store.guard_end(con, attempt, ok, now)
        if ok:
            audit.record_in(con, actor, "login", f"address {address}")
        else:
            why = "wrong password" if encoded is not None else "unknown account"
            audit.record_in(con, actor, "login_failed", f"{why}; address {address}")
            if attempt.locks:
                audit.record_in(con, actor, "login_locked", f"address {address} for {int(attempt.locks)} s")
    if not ok:
        if attempt.locks:
            raise LoginRefused("locked", attempt.locks)
        raise LoginRefused("invalid")
    return actor


def session_for(actor: Actor, config: ReviewConfig, now: float | None = None) -> dict:
    """What the page keeps in its session after a local login (no password, no hash)."""
    account = actor.id.removeprefix("local:")
    return {"actor": actor.id, "label": actor.label, "since": time.time() if now is None else now,
            "fingerprint": _fingerprint(config.accounts.get(account, ""))}


def _fingerprint(encoded: str) -> str:
    return hashlib.sha256(encoded.encode()).hexdigest()[:16]


def authorized(config: ReviewConfig, session: Mapping | None, user: Mapping | None,
               now: float | None = None) -> Actor | None:
    """The reviewer allowed to act right now, or None.  Called on every run and every action:
    removing an account or address from the secrets, changing its password or letting the local
    session expire takes effect on the next click."""
    now = time.time() if now is None else now
    if config.mode == "oidc":
        return _oidc_actor(config, user or {})
    if config.mode != "local" or not session:
        return None
    account = str(session.get("actor", "")).removeprefix("local:")
    encoded = config.accounts.get(account)
    fresh = now - float(session.get("since", 0)) < float(settings.get("reviewer_session_seconds"))
    if encoded is None or not fresh or session.get("fingerprint") != _fingerprint(encoded):
        return None
    return Actor(f"local:{account}", account)


def _oidc_actor(config: ReviewConfig, user: Mapping) -> Actor | None:
    if not user.get("is_logged_in"):
        return None
    email = account_name(user.get("email"))
    if not email or user.get("email_verified") is False or email not in config.oidc_reviewers:
        return None
    subject = boundary(user.get("sub"))
    identity = f"oidc:{boundary(user.get('iss'))}#{subject}" if subject else f"oidc:{email}"
    return Actor(identity, email)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govmap.review.auth", description="Reviewer account tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("hash", help="print a [reviewers] line with a salted scrypt hash of a password")
    make.add_argument("--user", required=True, help="reviewer name (the login name)")
    make.add_argument("--stdin", action="store_true", help="read the password from standard input")
    args = parser.parse_args(argv)
    name = account_name(args.user)
    if not name or not name.isascii() or not name.replace("_", "").replace("-", "").isalnum():
        print("the name must be ASCII letters, digits, '_' or '-'", file=sys.stderr)
        return 2
    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if password != getpass.getpass("again: "):
            print("the passwords differ", file=sys.stderr)
            return 2
    if len(password) < 12:
        print("use at least 12 characters", file=sys.stderr)
        return 2
    print("# add this line under [reviewers] in .streamlit/secrets.toml (never commit that file):")
    print(f'{name} = "{hash_password(password)}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
