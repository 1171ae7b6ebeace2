"""審査 through AppTest: disabled without reviewers, local login with lockout, OIDC allow-list,
authorization re-checked when acting, the queue and diff, and approve → the catalog rebuilt in the
background → the new organisation found by the search page of the running app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from entries import entry
from govmap.review import auth, publish
from govmap.review.store import Store
from govmap.review.submissions import Submissions

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60
PASSWORD = "a long reviewer passphrase"


@pytest.fixture(scope="module")
def secrets() -> dict:
    return {"reviewers": {"alice": auth.hash_password(PASSWORD)}}


@pytest.fixture
def env(built_catalog, monkeypatch, tmp_path):
    """A private copy of the catalog (approvals rebuild it) and an empty store."""
    catalog = tmp_path / "catalog.duckdb"
    shutil.copy(built_catalog, catalog)
    store = tmp_path / "store" / "submissions.sqlite"
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(catalog))
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(store))
    return Submissions(Store(store))


def page(name: str = "review.py", secrets: dict | None = None, user: dict | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=TIMEOUT)
    at.secrets = dict(secrets or {"unrelated": {"x": "y"}})  # never the developer's own secrets.toml
    if user is not None:
        at.user = user
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def login(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="rev_name").input(name)
    at.text_input(key="rev_password").input(password)
    return next(b for b in at.button if b.label in ("ログイン", "Log in")).click().run()


def submitted(subs: Submissions, name="株式会社テストガバメント", nonce="n1", **kwargs) -> str:
    payload, contact = entry(name)
    return subs.submit(payload, contact, token="t", nonce=nonce, **kwargs).receipt


def test_without_reviewers_the_page_is_disabled_not_open(env):
    submitted(env)
    at = page()
    assert not at.exception
    assert at.warning[0].value.startswith("審査機能は無効です")
    assert not at.text_input and not at.dataframe and not at.button


def test_failed_logins_lock_the_account(env, secrets, monkeypatch):
    monkeypatch.setenv("GOVMAP_REVIEWER_LOCKOUT_FAILURES", "3")
    at = page(secrets=secrets)
    for _ in range(2):
        login(at, "alice", "guess-7f3")
        assert at.error[0].value == "名前またはパスワードが違います。"
    login(at, "alice", "guess-7f3")
    assert "約15分間できません" in at.error[0].value
    login(at, "alice", PASSWORD)  # the right password, too late (from this address)
    assert "約15分間できません" in at.error[0].value and "reviewer" not in at.session_state
    actions = [e["action"] for e in env.audit()]
    assert actions.count("login_failed") == 3 and "login_locked" in actions and "login_refused" in actions
    assert "login" not in actions and not any("guess-7f3" in str(e) for e in env.audit())


def test_oidc_reviewers_come_from_the_allow_list(env):
    secrets = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c" * 32,
                        "client_id": "id", "client_secret": "s",
                        "server_metadata_url": "https://idp.example/.well-known/openid-configuration"},
               "review": {"oidc_reviewers": ["alice@city.example"]}}
    at = page(secrets=secrets, user={"is_logged_in": False})
    assert any(b.label.startswith("ログイン") for b in at.button) and not at.tabs
    at = page(secrets=secrets, user={"is_logged_in": True, "email": "eve@city.example", "sub": "2"})
    assert at.error[0].value == "このアカウントには審査の権限がありません。" and not at.tabs
    at = page(secrets=secrets, user={"is_logged_in": True, "email": "alice@city.example", "sub": "1"})
    assert not at.exception and len(at.tabs) == 3


def test_authorization_is_checked_again_when_acting(env, secrets):
    receipt = submitted(env)
    at = login(page(secrets=secrets), "alice", PASSWORD)
    assert not at.exception and at.selectbox(key="rev_pick").value == receipt
    at.secrets = {"reviewers": {"bob": secrets["reviewers"]["alice"]}}  # alice removed meanwhile
    at.button(key="rev_confirm").click().run()
    assert env.detail(receipt)["status"] == "pending"
    assert not at.tabs and any("有効期限" in e.value for e in at.error)


def test_queue_diff_and_a_change_request_reach_the_vendor(env, secrets):
    receipt = submitted(env, "株式会社グラファー", target_org_id="graffer")
    at = login(page(secrets=secrets), "alice", PASSWORD)
    at.multiselect(key="rev_kinds").select("update").run()
    assert at.selectbox(key="rev_pick").value == receipt
    at.selectbox(key="rev_compare").set_value("org:graffer").run()
    assert not at.exception, at.exception
    diff = next(df.value for df in at.dataframe if "申請内容" in df.value.columns)
    row = diff.set_index("項目").loc["英語名"]
    assert (row["現在"], row["申請内容"], row["変更"]) == ("Graffer, Inc.", "Test Government Inc.", "●")
    at.radio(key="rev_action").set_value("request_changes").run()
    at.button(key="rev_confirm").click().run()
    assert env.detail(receipt)["status"] == "pending" and at.error  # a change request needs a message
    at.text_area(key="rev_reason").input("出典URLを追加してください")
    at.button(key="rev_confirm").click().run()
    assert env.detail(receipt)["status"] == "changes_requested"
    assert env.lookup(receipt, "t")["reviewer_message"] == "出典URLを追加してください"
    last = env.audit(limit=1)[0]
    assert (last["actor"], last["action"], last["reason"]) == ("local:alice", "request_changes", "出典URLを追加してください")


def test_approve_rebuilds_the_catalog_and_search_finds_the_new_organisation(env, secrets):
    search = page("search.py")
    search.text_input(key="q").input("テストガバメント").run()
    frames = [df.value for df in search.dataframe]
    assert not frames or "株式会社テストガバメント" not in set(frames[0].iloc[:, 1])
    receipt = submitted(env)
    at = login(page(secrets=secrets), "alice", PASSWORD)
    at.button(key="rev_confirm").click().run()  # approve is the first action
    assert not at.exception, at.exception
    assert any("承認しました" in s.value for s in at.success)
    assert publish.wait(120)
    assert env.store.publishes()[0]["ok"] == 1, env.store.publishes()
    search.text_input(key="q").input("テストガバメント ").run()  # the running app, same session
    assert not search.exception, search.exception
    frame = search.dataframe[0].value
    assert list(frame.iloc[:, 1])[0] == "株式会社テストガバメント"
    assert frame["org_id"].iloc[0] == f"sub_{receipt}"
    assert [e["action"] for e in env.audit(receipt=receipt)] == ["approve", "submitted"]
    at.run()
    runs = next(df.value for df in at.dataframe if "結果" in df.value.columns)
    assert runs["結果"].iloc[0] == "✓"


def test_merge_into_the_resembling_organisation_and_reject_with_a_reason(env, secrets):
    dup = [{"org_id": "graffer", "name_ja": "株式会社グラファー", "score": 95.0, "reasons": ["name 95"]}]
    first = submitted(env, "グラファー株式会社", duplicates=dup)
    second = submitted(env, "株式会社スパム", nonce="n2")
    at = login(page(secrets=secrets), "alice", PASSWORD)
    at.selectbox(key="rev_pick").set_value(first).run()
    assert at.selectbox(key="rev_compare").value == "org:graffer"  # compared with what it resembles
    at.radio(key="rev_action").set_value("merge").run()
    assert at.selectbox(key="rev_target").value == "graffer"
    at.button(key="rev_confirm").click().run()
    assert env.detail(first)["status"] == "merged" and env.published()[0]["org_id"] == "graffer"
    at.selectbox(key="rev_pick").set_value(second).run()
    at.radio(key="rev_action").set_value("reject").run()
    at.text_area(key="rev_reason").input("Govtechのサービスではないため")
    at.button(key="rev_confirm").click().run()
    assert env.lookup(second, "t")["reviewer_message"] == "Govtechのサービスではないため"
    assert publish.wait(120)
