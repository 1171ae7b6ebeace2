"""Anti-automation on the real SQLite store (issue 10 items 6 and 7): the client address as the
trusted proxy reports it, limits per address that new sessions share, a flood from one address
that leaves other vendors alone, revisions counted, the proof of work (required, single-use,
expiring, harder under load), and edit-token failures that throttle the attacker's address only."""

from __future__ import annotations

import time

import pytest

from entries import entry
from govmap.review import antiautomation as aa
from govmap.review.store import ChallengeRefused, Locked, RateLimited, Store
from govmap.review.submissions import InvalidToken, Submissions


@pytest.fixture
def subs(store_where, monkeypatch) -> Submissions:
    monkeypatch.setenv("GOVMAP_SUBMIT_POW_BITS", "8")
    return Submissions(Store(store_where))  # SQLite and PostgreSQL (conftest.store_where)


def proof(subs: Submissions, address: str) -> tuple[str, str]:
    """What the page and the browser do: issue a challenge for the address, solve it."""
    bits = aa.difficulty(subs.store.recent("global", 600))
    challenge = subs.store.issue_challenge(address, bits, 7200)
    return challenge, aa.solve(challenge, bits)


def submit(subs: Submissions, address: str, n: int, session: str | None = None, **kwargs):
    payload, contact = entry(f"株式会社テスト{n}")
    return subs.submit(payload, contact, token=f"tok{n}", nonce=f"n{address}{n}", address=address,
                       proof=kwargs.pop("proof", None) or proof(subs, address),
                       limits=aa.submission_limits(session or f"session{address}{n}", address), **kwargs)


def test_the_client_address_is_the_proxys_entry_or_the_peer():
    xff = {"X-Forwarded-For": "6.6.6.6, 203.0.113.9"}  # the client wrote 6.6.6.6, our proxy appended .9
    assert aa.client_address(xff, "10.0.0.2", header="", hops=1) == "10.0.0.2"  # no header trusted: the peer
    assert aa.client_address(xff, "10.0.0.2", header="x-forwarded-for", hops=1) == "203.0.113.9"
    assert aa.client_address(xff, "10.0.0.2", header="X-Forwarded-For", hops=2) == "6.6.6.6"
    assert aa.client_address({"X-Forwarded-For": "203.0.113.9"}, "10.0.0.2", header="X-Forwarded-For",
                             hops=2) == "10.0.0.2"  # fewer entries than proxies: it did not come through them
    assert aa.client_address({}, "10.0.0.2", header="X-Forwarded-For", hops=1) == "10.0.0.2"
    assert aa.client_address({"X-Forwarded-For": "junk"}, None, header="X-Forwarded-For", hops=1) == aa.LOCAL
    assert aa.client_address({}, None) == aa.LOCAL  # Streamlit reports no address for loopback
    v6 = aa.client_address({}, "2001:db8:1:2:aaaa::1", header="")
    assert v6 == aa.client_address({}, "2001:db8:1:2:bbbb::7", header="") == "2001:db8:1:2::/64"
    assert aa.client_address({"X-Real-IP": "[2001:db8::5]:443"}, None, header="X-Real-IP") == "2001:db8::/64"
    assert aa.client_address({"X-Forwarded-For": "::ffff:198.51.100.4"}, None, header="X-Forwarded-For") == "198.51.100.4"


def test_a_300_submission_flood_from_one_address_leaves_other_vendors_alone(subs):
    """Before: 300 scripted submissions (a new session each) were accepted and then a real vendor
    was refused for an hour.  Now the address's limit bites first and the global cap is not reached."""
    accepted = refused = 0
    started = time.monotonic()
    for n in range(300):
        try:
            submit(subs, "203.0.113.66", n)
            accepted += 1
        except RateLimited as exc:
            assert exc.bucket.startswith("address:")
            refused += 1
    flood = time.monotonic() - started
    assert (accepted, refused) == (10, 290)
    vendor = submit(subs, "198.51.100.23", 1000)  # a real vendor elsewhere, right after
    assert vendor.created and len(subs.queue(())) == 11
    print(f"300-submission flood from one address: 10 accepted, 290 refused in {flood:.1f} s; "
          "the next vendor from another address was accepted")


def test_revisions_count_against_the_address_and_the_global_cap(subs, monkeypatch):
    monkeypatch.setenv("GOVMAP_SUBMIT_ADDRESS_LIMIT", "3")
    receipt = submit(subs, "203.0.113.5", 1).receipt
    payload, contact = entry("株式会社テスト1 改訂")

    def revise(i, address, session="s"):
        return subs.revise(receipt, "tok1", payload, contact, nonce=f"r{i}{address}", proof=proof(subs, address),
                           limits=aa.submission_limits(session + str(i), address, receipt))
    revise(1, "203.0.113.5")
    revise(2, "203.0.113.5")
    with pytest.raises(RateLimited) as info:  # the submission and two revisions used the address's 3
        revise(3, "203.0.113.5")
    assert info.value.bucket.startswith("address:")
    monkeypatch.setenv("GOVMAP_SUBMIT_GLOBAL_LIMIT", "5")
    revise(4, "198.51.100.1")
    revise(5, "198.51.100.2")
    with pytest.raises(RateLimited) as info:  # 1 submission + 4 revisions from everyone
        revise(6, "198.51.100.3")
    assert info.value.bucket == "global" and info.value.retry_after <= 600  # a short window, not an hour
    assert [v["version"] for v in subs.detail(receipt)["versions"]] == [1, 2, 3, 4, 5]


def test_the_proof_of_work_is_required_single_use_and_expires(subs):
    payload, contact = entry()
    limits = aa.submission_limits("s", "203.0.113.5")
    challenge, nonce = proof(subs, "203.0.113.5")
    wrong = next(str(n) for n in range(10_000) if not aa.pow_ok(challenge, str(n), 8))
    with pytest.raises(ChallengeRefused):
        subs.submit(payload, contact, token="t", nonce="a", proof=(challenge, wrong), limits=limits)
    with pytest.raises(ChallengeRefused):
        subs.submit(payload, contact, token="t", nonce="a", proof=("0" * 32, nonce), limits=limits)
    subs.submit(payload, contact, token="t", nonce="a", proof=(challenge, nonce), limits=limits)
    with pytest.raises(ChallengeRefused):  # replayed
        subs.submit(payload, contact, token="t2", nonce="b", proof=(challenge, nonce), limits=limits)
    old = subs.store.issue_challenge("203.0.113.5", 8, ttl=1, now=time.time() - 10)
    with pytest.raises(ChallengeRefused):  # expired
        subs.submit(payload, contact, token="t3", nonce="c", proof=(old, aa.solve(old, 8)), limits=limits)
    assert len(subs.queue(())) == 1
    # Opening sessions cannot grow the table: an address keeps at most MAX_OPEN_CHALLENGES.
    for _ in range(100):
        subs.store.issue_challenge("203.0.113.99", 8, 7200)
    with subs.store.snapshot() as con:
        assert con.execute("SELECT count(*) FROM challenges WHERE address = '203.0.113.99'").fetchone()[0] == 20


def test_the_difficulty_rises_under_global_load_up_to_its_maximum(monkeypatch):
    monkeypatch.setenv("GOVMAP_SUBMIT_POW_BITS", "18")
    monkeypatch.setenv("GOVMAP_SUBMIT_POW_LOAD_STEP", "50")
    monkeypatch.setenv("GOVMAP_SUBMIT_POW_MAX_BITS", "24")
    assert [aa.difficulty(n) for n in (0, 49, 50, 100, 149, 150, 10_000)] == [18, 18, 20, 22, 22, 24, 24]
    started = time.monotonic()
    challenge = "0123456789abcdef0123456789abcdef"
    nonce = aa.solve(challenge, 18)
    print(f"a script solving an 18-bit challenge in Python: {time.monotonic() - started:.2f} s (nonce {nonce})")
    assert aa.pow_ok(challenge, nonce, 18) and not aa.pow_ok(challenge, nonce + "x", 0)


def test_ten_bad_token_visits_lock_out_the_attacker_not_the_receipts_owner(subs):
    """Before: ten visits to ?receipt=R&token=x locked R for an hour, for its owner too."""
    receipt = submit(subs, "198.51.100.23", 1).receipt  # the owner sent it from .23
    policy = aa.token_policy()
    outcomes = []
    for _ in range(10):
        try:
            subs.lookup(receipt, "x", address="203.0.113.66", policy=policy)
        except Locked:
            outcomes.append("locked")
        except InvalidToken:
            outcomes.append("invalid")
    assert outcomes == ["invalid"] * 5 + ["locked"] * 5
    with pytest.raises(Locked):  # the attacker's address gains nothing even with the right token
        subs.lookup(receipt, "tok1", address="203.0.113.66", policy=policy)
    assert subs.lookup(receipt, "tok1", address="198.51.100.23", policy=policy)["receipt"] == receipt
    assert subs.lookup(receipt, "tok1", address="192.0.2.8", policy=policy)["receipt"] == receipt  # owner, new place
    # Many addresses together pass the receipt's ceiling: new addresses are slowed (seconds),
    # the addresses the owner used are not.
    now = time.time()
    for n in range(12):
        for _ in range(5):
            with pytest.raises((InvalidToken, Locked)):
                subs.lookup(receipt, "x", address=f"203.0.113.{100 + n}", policy=policy, now=now)
    with pytest.raises(Locked) as info:
        subs.lookup(receipt, "tok1", address="192.0.2.200", policy=policy, now=now)
    assert 1 <= info.value.retry_after <= 300
    assert subs.lookup(receipt, "tok1", address="198.51.100.23", policy=policy, now=now)["receipt"] == receipt
    assert subs.lookup(receipt, "tok1", address="192.0.2.8", policy=policy, now=now)["receipt"] == receipt
