"""Reviewer authentication: scrypt hashes, which login the secrets configure, lockout after repeated
failures (state in the real SQLite store: atomic under concurrency, per client address, audited),
authorization re-checked on every call, the hash CLI."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from govmap.review import auth
from govmap.review.store import Store
from govmap.review.submissions import Submissions

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def alice_hash() -> str:
    return auth.hash_password(PASSWORD)


@pytest.fixture
def store(store_where) -> Store:
    return Store(store_where)  # SQLite and PostgreSQL (conftest.store_where)


def local(alice_hash) -> auth.ReviewConfig:
    return auth.review_config({"reviewers": {"Alice": alice_hash}})


def test_scrypt_hashes_are_salted_and_verify_only_the_right_password(alice_hash):
    assert alice_hash.startswith("scrypt$32768$8$1$")
    assert auth.hash_password(PASSWORD) != alice_hash  # a new salt every time
    assert auth.verify_password(PASSWORD, alice_hash)
    assert not auth.verify_password(PASSWORD + "x", alice_hash)
    for broken in ("", "plain", "scrypt$3$8$1$AAAA$AAAA", "bcrypt$x", alice_hash.replace("scrypt", "md5")):
        assert not auth.verify_password(PASSWORD, broken)


def test_the_secrets_decide_the_login_and_no_configuration_means_disabled(alice_hash):
    assert auth.review_config({}).mode == "disabled"
    assert local(alice_hash).mode == "local" and set(local(alice_hash).accounts) == {"alice"}
    oidc = {"redirect_uri": "https://map.example/oauth2callback", "cookie_secret": "s" * 32, "client_id": "id",
            "client_secret": "x", "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
    assert auth.review_config({"auth": oidc, "review": {"oidc_reviewers": ["Alice@City.example"]}}).mode == "oidc"
    nobody = auth.review_config({"auth": oidc})
    assert nobody.mode == "disabled" and "oidc_reviewers" in nobody.problems[0]  # logging in is not permission
    bad = auth.review_config({"reviewers": {"bob": "hunter2"}})
    assert bad.mode == "disabled" and "bob" in bad.problems[0]  # a plain password is never accepted


def test_repeated_failures_lock_the_account_even_for_the_right_password(store, alice_hash, monkeypatch):
    monkeypatch.setenv("GOVMAP_REVIEWER_LOCKOUT_FAILURES", "3")
    monkeypatch.setenv("GOVMAP_REVIEWER_LOCKOUT_SECONDS", "600")
    config = local(alice_hash)
    assert auth.local_login(store, config, "alice", PASSWORD).id == "local:alice"
    for _ in range(2):
        with pytest.raises(auth.LoginRefused) as info:
            auth.local_login(store, config, "ALICE", "guess", now=1000.0)
        assert info.value.reason == "invalid"
    with pytest.raises(auth.LoginRefused) as info:
        auth.local_login(store, config, "alice", "guess", now=1001.0)
    assert info.value.reason == "locked" and info.value.retry_after == 600
    with pytest.raises(auth.LoginRefused) as info:
        auth.local_login(store, config, "alice", PASSWORD, now=1100.0)
    assert info.value.reason == "locked"
    # A restart does not unlock it (the state is in the store), the lockout's end does.
    assert Store(store.url or store.path).locked_for("login", "local:alice", "local", now=1100.0) > 0
    assert auth.local_login(store, config, "alice", PASSWORD, now=1602.0).label == "alice"


def test_an_unknown_name_fails_and_locks_the_same_way(store, alice_hash, monkeypatch):
    monkeypatch.setenv("GOVMAP_REVIEWER_LOCKOUT_FAILURES", "2")
    config = local(alice_hash)
    with pytest.raises(auth.LoginRefused) as first:
        auth.local_login(store, config, "mallory", PASSWORD)
    with pytest.raises(auth.LoginRefused) as second:
        auth.local_login(store, config, "mallory", PASSWORD)
    assert (first.value.reason, second.value.reason) == ("invalid", "locked")


def test_authorization_is_rechecked_on_every_call(store, alice_hash, monkeypatch):
    monkeypatch.setenv("GOVMAP_REVIEWER_SESSION_SECONDS", "3600")
    config = local(alice_hash)
    actor = auth.local_login(store, config, "alice", PASSWORD)
    session = auth.session_for(actor, config, now=1000.0)
    assert "scrypt" not in str(session) and PASSWORD not in str(session)
    assert auth.authorized(config, session, {}, now=1001.0) == actor
    assert auth.authorized(config, session, {}, now=1000.0 + 3600) is None  # expired
    assert auth.authorized(auth.review_config({}), session, {}, now=1001.0) is None  # reviewers removed
    rehashed = auth.review_config({"reviewers": {"alice": auth.hash_password("a new password 123")}})
    assert auth.authorized(rehashed, session, {}, now=1001.0) is None  # password changed
    assert auth.authorized(config, {**session, "actor": "local:bob"}, {}, now=1001.0) is None


def test_oidc_needs_a_listed_verified_address(alice_hash):
    oidc = {"redirect_uri": "https://m.example/oauth2callback", "cookie_secret": "s" * 32,
            "google": {"client_id": "id", "client_secret": "x", "server_metadata_url": "https://idp.example/x"}}
    config = auth.review_config({"auth": oidc, "review": {"oidc_reviewers": ["alice@city.example"]}})
    assert config.oidc_provider == "google"
    user = {"is_logged_in": True, "email": "Alice@city.example", "sub": "1234", "iss": "https://idp.example"}
    actor = auth.authorized(config, None, user)
    assert actor.id == "oidc:https://idp.example#1234" and actor.label == "alice@city.example"
    assert auth.authorized(config, None, {**user, "email": "eve@city.example"}) is None
    assert auth.authorized(config, None, {**user, "email_verified": False}) is None
    assert auth.authorized(config, None, {**user, "is_logged_in": False}) is None


def test_the_hash_command_prints_a_line_for_secrets_toml():
    out = subprocess.run([sys.executable, "-m", "govmap.review.auth", "hash", "--user", "alice", "--stdin"], cwd=ROOT,
                         input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    line = [x for x in out.stdout.splitlines() if x.startswith("alice = ")][0]
    assert auth.verify_password(PASSWORD, line.split('"')[1])
    short = subprocess.run([sys.executable, "-m", "govmap.review.auth", "hash", "--user", "alice", "--stdin"], cwd=ROOT,
                           input="short\n", capture_output=True, text=True, timeout=60)
    assert short.returncode == 2


def login_outcomes(store, config, attempts):
    """Run (name, password, address) attempts at once from threads; the reason of each refusal
    ('ok' for a success)."""
    out, gate = [], threading.Barrier(len(attempts))

    def one(name, password, address):
        gate.wait()
        try:
            auth.local_login(store, config, name, password, address=address)
            out.append("ok")
        except auth.LoginRefused as exc:
            out.append(exc.reason)
    threads = [threading.Thread(target=one, args=a) for a in attempts]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return out


def test_concurrent_wrong_attempts_run_at_most_threshold_checks_and_lock_even_the_right_password(
        store, alice_hash, monkeypatch):
    """Issue 10 item 7: 40 concurrent attempts ran 9 password checks against a limit of 5, and the
    right password succeeded while locked.  'invalid' is only ever answered after a check."""
    monkeypatch.setenv("GOVMAP_REVIEWER_LOCKOUT_FAILURES", "5")
    config = local(alice_hash)
    started = time.monotonic()
    outcomes = login_outcomes(store, config, [("alice", f"guess {i}", "203.0.113.7") for i in range(40)])
    elapsed = time.monotonic() - started
    assert outcomes.count("invalid") + outcomes.count("locked") == 40
    assert outcomes.count("invalid") <= 4, outcomes  # the 5th check's failure already answers 'locked'
    print(f"40 concurrent wrong logins: {outcomes.count('invalid')} answered 'invalid', "
          f"{outcomes.count('locked')} 'locked', {elapsed:.2f} s")
    with pytest.raises(auth.LoginRefused) as info:
        auth.local_login(store, config, "alice", PASSWORD, address="203.0.113.7")
    assert info.value.reason == "locked"
    audit = Submissions(store).audit()
    failed = [e for e in audit if e["action"] == "login_failed"]  # one per password check, written after it
    assert len(failed) == outcomes.count("invalid") + 1 <= 5
    assert all(e["actor"] == "local:alice" and "203.0.113.7" in e["reason"] for e in failed)
    assert [e["action"] for e in audit].count("login_locked") == 1
    assert [e["action"] for e in audit].count("login_refused") == 40 - len(failed) + 1  # the refused right one too
    assert not any(PASSWORD in str(e) or "guess" in str(e) for e in audit)  # never a password
    assert Submissions(store).verify_audit_chain()


def test_an_attacker_elsewhere_cannot_lock_the_reviewer_out(store, alice_hash, monkeypatch):
    """Anyone could lock every reviewer out by name; now failures lock out their own address only,
    and many addresses only slow down addresses the account never logged in from."""
    monkeypatch.setenv("GOVMAP_REVIEWER_LOCKOUT_FAILURES", "5")
    monkeypatch.setenv("GOVMAP_REVIEWER_ACCOUNT_CEILING", "20")
    config = local(alice_hash)
    auth.local_login(store, config, "alice", PASSWORD, address="198.51.100.20")  # alice's usual address
    outcomes = login_outcomes(store, config, [("alice", "guess", "203.0.113.7")] * 30)
    assert "ok" not in outcomes and outcomes.count("invalid") <= 4
    assert auth.local_login(store, config, "alice", PASSWORD, address="198.51.100.20").id == "local:alice"
    # A distributed attack: 10 addresses x 5 guesses passes the account's ceiling of 20 (all within
    # one second of the clock the store is given, so the backoff is still running when checked).
    now = time.time()
    reasons = []
    for n in range(10):
        for _ in range(5):
            with pytest.raises(auth.LoginRefused) as info:
                auth.local_login(store, config, "alice", "guess", address=f"203.0.113.{100 + n}", now=now)
            reasons.append(info.value.reason)
    assert reasons.count("invalid") + reasons.count("locked") <= 20 + 1 and "slowed" in reasons
    assert auth.local_login(store, config, "alice", PASSWORD, address="198.51.100.20", now=now)  # familiar: never slowed
    with pytest.raises(auth.LoginRefused) as info:  # a new address is slowed, for seconds, not locked for an hour
        auth.local_login(store, config, "alice", PASSWORD, address="192.0.2.55", now=now)
    assert info.value.reason == "slowed" and 1 <= info.value.retry_after <= 300
    later = now + info.value.retry_after + 1
    assert auth.local_login(store, config, "alice", PASSWORD, address="192.0.2.55", now=later).label == "alice"
