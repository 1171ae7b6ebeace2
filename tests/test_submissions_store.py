"""The submission store on a real SQLite file and on a real PostgreSQL server (every test that
takes ``subs`` runs on both): durability settings, receipts and tokens, revisions,
reviewer actions as single transactions, the append-only hash-chained audit log, rate limits."""

from __future__ import annotations

import json
import sqlite3

import pytest

from entries import entry
from govmap.review.store import GuardPolicy, Limit, RateLimited, Store
from govmap.review.submissions import (Actor, InvalidToken, NotRevisable, ReviewConflict, Submissions, format_receipt,
                                normalize_receipt)

ALICE = Actor("local:alice", "alice")


@pytest.fixture
def subs(store_where) -> Submissions:
    return Submissions(Store(store_where))


def sent(subs, name="株式会社テストガバメント", token="tok", nonce="n1", **kwargs):
    payload, contact = entry(name)
    return subs.submit(payload, contact, token=token, nonce=nonce, **kwargs)


def test_store_is_wal_with_full_synchronous_commits(tmp_path):
    subs = Submissions(Store(tmp_path / "store.sqlite"))
    with subs.store.transaction() as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL: durable when COMMIT returns


def test_receipt_is_readable_and_the_token_is_needed_to_see_the_status(subs):
    receipt = sent(subs).receipt
    assert normalize_receipt(format_receipt(receipt)) == receipt
    assert normalize_receipt(format_receipt(receipt).replace("-", "－").lower()) == receipt  # full-width hyphen
    view = subs.lookup(receipt, "tok")
    assert view["status"] == "pending" and view["current_version"] == 1
    assert view["contact"]["email"] == "hanako.private@example.jp"
    assert "token_hash" not in view
    with pytest.raises(InvalidToken):
        subs.lookup(receipt, "wrong")
    with pytest.raises(InvalidToken):  # an unknown receipt looks exactly like a wrong token
        subs.lookup("2222222222", "tok")
    with subs.store.snapshot() as con:
        stored = con.execute("SELECT token_hash FROM submissions").fetchone()[0]
    assert "tok" not in stored and len(stored) == 64


def test_a_retried_submit_returns_the_first_receipt_instead_of_a_copy(subs):
    first = sent(subs)
    again = sent(subs)
    assert again.receipt == first.receipt and first.created and not again.created
    assert len(subs.queue(())) == 1
    with pytest.raises(InvalidToken):  # someone else's nonce does not reveal the receipt
        sent(subs, token="other")


def test_a_revision_is_a_new_version_linked_to_the_first_and_goes_back_to_the_queue(subs):
    receipt = sent(subs).receipt
    subs.request_changes(receipt, ALICE, 1, "出典URLを追加してください")
    assert subs.lookup(receipt, "tok")["reviewer_message"] == "出典URLを追加してください"
    payload, contact = entry("株式会社テストガバメント(修正)")
    revised = subs.revise(receipt, "tok", payload, contact, nonce="n2")
    assert (revised.receipt, revised.version) == (receipt, 2)
    view = subs.detail(receipt)
    assert view["status"] == "pending" and [v["version"] for v in view["versions"]] == [1, 2]
    assert view["versions"][0]["payload"]["org"]["name_ja"] == "株式会社テストガバメント"
    assert view["entry"]["org"]["name_ja"] == "株式会社テストガバメント(修正)"
    assert [i["kinds"] for i in subs.queue()] == [["revision"]]
    with pytest.raises(InvalidToken):
        subs.revise(receipt, "wrong", payload, contact, nonce="n3")


def test_a_rejected_submission_cannot_be_revised(subs):
    receipt = sent(subs).receipt
    subs.reject(receipt, ALICE, 1, "Govtechではないため")
    with pytest.raises(NotRevisable):
        subs.revise(receipt, "tok", *entry(), nonce="n2")


def test_reviewer_actions_check_the_version_shown_and_record_before_and_after(subs):
    receipt = sent(subs).receipt
    subs.revise(receipt, "tok", *entry("株式会社テストガバメント2"), nonce="n2")
    with pytest.raises(ReviewConflict):  # the reviewer looked at version 1; version 2 arrived
        subs.approve(receipt, ALICE, 1)
    subs.approve(receipt, ALICE, 2, "確認済み")
    with pytest.raises(ReviewConflict):  # already decided (e.g. by another reviewer)
        subs.reject(receipt, Actor("local:bob", "bob"), 2, "x")
    last = subs.audit(limit=1)[0]
    assert (last["actor"], last["action"], last["receipt"], last["version"], last["reason"]) == (
        "local:alice", "approve", receipt, 2, "確認済み")
    before, after = json.loads(last["before"]), json.loads(last["after"])
    assert before["status"] == "pending" and before["published_version"] is None
    assert after["status"] == "approved" and after["published_org_id"] == f"sub_{receipt}"
    assert after["published_entry"]["org"]["name_ja"] == "株式会社テストガバメント2"
    assert [p["org_id"] for p in subs.published()] == [f"sub_{receipt}"]


def test_merge_publishes_into_the_chosen_organisation_and_reasons_are_required(subs):
    a, b = sent(subs).receipt, sent(subs, nonce="n2").receipt
    with pytest.raises(ValueError):
        subs.reject(a, ALICE, 1, "  ")
    with pytest.raises(ValueError):
        subs.request_changes(a, ALICE, 1, "")
    subs.merge(a, ALICE, 1, "graffer", "同一組織")
    assert subs.detail(a)["status"] == "merged" and subs.published()[0]["org_id"] == "graffer"
    with pytest.raises(PermissionError):  # a reviewer action needs a reviewer
        subs.approve(b, Actor("vendor", "vendor"), 1)


def test_an_update_proposal_is_published_into_the_organisation_the_vendor_named(subs):
    receipt = sent(subs, target_org_id="graffer").receipt
    assert subs.queue()[0]["kinds"] == ["new", "update"]
    subs.approve(receipt, ALICE, 1)
    assert subs.published()[0]["org_id"] == "graffer"


def test_the_audit_log_and_versions_are_append_only(subs):
    receipt = sent(subs).receipt
    subs.approve(receipt, ALICE, 1)
    if subs.store.url:
        import psycopg
        con, errors, trigger = psycopg.connect(subs.store.url, autocommit=True), psycopg.Error, \
            "audit_log_append_only ON audit_log"
    else:
        con, errors, trigger = sqlite3.connect(subs.store.path), sqlite3.DatabaseError, "audit_log_no_update"
    for sql in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log",
                "UPDATE versions SET payload = '{}'", "DELETE FROM versions"):
        with pytest.raises(errors, match="append-only"):
            con.execute(sql)
    assert subs.verify_audit_chain()
    # Someone with the file (or the database owner's password) can drop the trigger; the hash
    # chain still shows the edit.
    con.execute(f"DROP TRIGGER {trigger}")
    con.execute("UPDATE audit_log SET reason = 'edited' WHERE action = 'approve'")
    con.commit()
    con.close()
    assert not subs.verify_audit_chain()


def test_queue_filters_by_status_and_kind(subs):
    a = sent(subs).receipt
    b = sent(subs, nonce="n2", target_org_id="graffer", duplicates=[{"org_id": "graffer", "name_ja": "x"}]).receipt
    subs.reject(a, ALICE, 1, "no")
    assert [i["receipt"] for i in subs.queue()] == [b]
    assert [i["receipt"] for i in subs.queue(("rejected",))] == [a]
    assert [i["receipt"] for i in subs.queue((), ("duplicate",))] == [b]
    assert {i["receipt"] for i in subs.queue((), ("new",))} == {a, b}
    assert subs.queue((), ("revision",)) == []


def test_rate_limits_refuse_without_storing_anything(subs):
    limit = [Limit("session:s1", 2, 3600)]
    sent(subs, nonce="a", limits=limit)
    sent(subs, nonce="b", limits=limit)
    with pytest.raises(RateLimited) as info:
        sent(subs, nonce="c", limits=limit)
    assert info.value.retry_after > 3000
    assert len(subs.queue(())) == 2
    sent(subs, nonce="d", limits=[Limit("session:s2", 2, 3600)])  # another session is not affected


def test_repeated_wrong_tokens_lock_out_their_address_not_the_owner(subs):
    receipt = sent(subs).receipt
    policy = GuardPolicy(per_address=3, lock_seconds=3600, ceiling=50, backoff_max=60, window=3600)
    for _ in range(3):
        with pytest.raises(InvalidToken):
            subs.lookup(receipt, "guess", address="203.0.113.7", policy=policy)
    with pytest.raises(RateLimited):  # even the right token waits there now: guessing gains nothing
        subs.lookup(receipt, "tok", address="203.0.113.7", policy=policy)
    assert subs.lookup(receipt, "tok", address="198.51.100.2", policy=policy)["status"] == "pending"  # the owner
    assert subs.lookup(receipt, "tok")["status"] == "pending"  # no policy given: the check is the caller's