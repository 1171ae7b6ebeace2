"""掲載申請 through AppTest on the real page and a real SQLite store: errors next to their fields (in
Japanese, English when switched) with the input kept, postal code filling the place, likely
duplicates with the update choice, receipt and token, status lookup, a revision, anti-automation
(honeypot, fill time, proof of work, limits per session and per client address)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from entries import flat, gazetteer
from govmap.review import antiautomation as aa
from govmap.review.store import Store
from govmap.review.submissions import Submissions

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60


@pytest.fixture
def env(catalog_env, monkeypatch, tmp_path):
    monkeypatch.setenv("GOVMAP_SUBMIT_MIN_FILL_SECONDS", "0")
    monkeypatch.setenv("GOVMAP_SUBMIT_POW_BITS", "8")  # what the browser solves, made cheap for AppTest
    return Path(tmp_path / "store" / "submissions.sqlite")


def page(lang: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "submit.py"), default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def filled(values: dict | None = None, **extra) -> AppTest:
    state = {f"f.{k}": v for k, v in (values or flat()).items()}
    return page(**{**state, "f.n_svc": 1, "f.n_ado": 1, **extra})


def solved(at) -> AppTest:
    """Do what static/pow.js does in the browser: solve this session's proof-of-work challenge."""
    challenge = at.session_state["pow_challenge"]
    at.session_state["pow_solution"] = f"{challenge['id']}:{aa.solve(challenge['id'], challenge['bits'])}"
    return at


def send(at) -> AppTest:
    return solved(at).button(key="sub_send").click().run()


def nodes(at) -> list:
    out = []

    def walk(node):
        out.append(node)
        children = getattr(node, "children", None)
        for child in (children.values() if isinstance(children, dict) else children or []):
            walk(child)
    walk(at.main)
    return out


def error_after(at, key: str) -> str | None:
    """The error shown right below the widget ``key`` (None when there is none)."""
    seq = nodes(at)
    i = next(i for i, n in enumerate(seq) if getattr(n, "key", None) == key)
    after = seq[i + 1] if i + 1 < len(seq) else None
    return after.value if type(after).__name__ == "Error" else None


def stored(env) -> list[dict]:
    return Submissions(Store(env)).queue(()) if env.exists() else []


def test_errors_appear_next_to_their_fields_and_the_input_is_kept(env):
    at = filled(flat(**{"org.corporate_number": "1234567890123", "org.website": "javascript:alert(1)",
                        "org.description": "長" * 10_000, "ado.0.url": "data:text/html,<b>x</b>"}))
    send(at)
    assert not at.exception
    assert error_after(at, "f.org.corporate_number") == "法人番号のチェックデジットが一致しません"
    assert error_after(at, "f.org.website").startswith("URLは http:// または https://")
    assert error_after(at, "f.org.description") == "2000文字以内にしてください (10000文字)"
    assert error_after(at, "f.ado.0.url").startswith("URLは http://")
    assert error_after(at, "f.org.name_ja") is None
    assert any("4件" in w.value for w in at.warning)
    assert at.text_input(key="f.org.website").value == "javascript:alert(1)"  # kept for correcting
    assert len(at.text_area(key="f.org.description").value) == 10_000
    assert stored(env) == []


def test_errors_are_in_english_when_the_ui_is(env):
    at = page(lang="en")
    send(at)
    assert at.title[0].value == "Submit an entry"
    assert error_after(at, "f.org.name_ja") == "required"
    assert error_after(at, "f.svc.0.categories") == "choose at least one category"


def test_postal_code_fills_the_place_or_asks_which_municipality(env):
    at = page()
    at.text_input(key="f.org.postal_code").input("１５０－０００２").run()  # full-width digits and dash
    assert at.selectbox(key="f.org.pref_code").value == "13"
    assert at.selectbox(key="f.org.municipality_code").value == "131130"  # 渋谷区
    several = next(code for code, munis in gazetteer()._postal.items() if len(munis) > 1)
    at.text_input(key="f.org.postal_code").input(several).run()
    choices = at.radio(key="f.org.municipality_code")
    assert sorted(choices.options) == sorted(gazetteer().municipality(c)["name_ja"] for c in gazetteer().postal_lookup(several))
    assert any("複数の市区町村" in i.value for i in at.info)


def test_likely_duplicates_are_shown_with_the_choice_to_propose_an_update(env):
    at = page()
    at.text_input(key="f.org.name_ja").input("グラファー株式会社").run()
    assert any("似た組織" in w.value for w in at.warning)
    target = at.radio(key="f.target")
    assert any("(graffer)" in o for o in target.options)
    at = filled(flat("株式会社グラファー"), **{"f.target": "graffer"})
    send(at)
    assert not at.exception and len(at.code) >= 2
    [item] = stored(env)
    assert item["target_org_id"] == "graffer" and "update" in item["kinds"] and "duplicate" in item["kinds"]


def test_a_link_from_a_vendor_page_preselects_the_update(env):
    at = AppTest.from_file(str(ROOT / "pages" / "submit.py"), default_timeout=TIMEOUT)
    at.query_params["update"] = "graffer"
    at.run()
    assert at.radio(key="f.target").value == "graffer"


def test_submit_gives_a_receipt_and_token_then_status_and_a_revision(env):
    at = filled()
    send(at)
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("申請を受け付けました")
    receipt, token = at.code[0].value, at.code[1].value
    assert f"token={token}" in at.code[2].value
    [item] = stored(env)
    assert item["receipt"] == receipt.replace("-", "").lower() and item["status"] == "pending"
    # Status, in a new session (the vendor comes back later with the link).
    at = AppTest.from_file(str(ROOT / "pages" / "submit.py"), default_timeout=TIMEOUT)
    at.query_params["receipt"] = receipt
    at.query_params["token"] = token
    at.run()
    assert not at.exception, at.exception
    assert "token" not in at.query_params  # not left in the address bar
    assert any(i.value == "審査待ちです。" for i in at.info)
    at.button(key="lookup_revise").click().run()
    assert at.text_input(key="f.org.name_ja").value == "株式会社テストガバメント"  # prefilled
    assert at.text_input(key="f.ado.0.url").value == "https://example.jp/case/kitakyushu"
    at.text_input(key="f.org.name_ja").input("株式会社テストガバメント(第2版)")
    at.checkbox(key="f.consent").check()
    send(at)
    assert not at.exception, at.exception
    assert "第2版" in at.success[0].value
    detail = Submissions(Store(env)).detail(item["receipt"])
    assert [v["version"] for v in detail["versions"]] == [1, 2]
    assert detail["entry"]["org"]["name_ja"] == "株式会社テストガバメント(第2版)"


def test_a_wrong_token_shows_nothing(env):
    at = filled()
    send(at)
    receipt = at.code[0].value
    at = page(**{"sub_mode": "status", "lookup_receipt": receipt, "lookup_token": "guess"})
    at.button(key="lookup_go").click().run()
    assert any("正しくありません" in w.value for w in at.warning)
    assert not any("テストガバメント" in t.value for t in at.text)


def test_too_fast_honeypot_and_rate_limits_are_refused_and_nothing_is_stored(env, monkeypatch):
    monkeypatch.setenv("GOVMAP_SUBMIT_MIN_FILL_SECONDS", "600")
    at = filled()
    send(at)
    assert any("早すぎます" in w.value for w in at.warning) and stored(env) == []
    assert at.text_input(key="f.org.name_ja").value == "株式会社テストガバメント"  # kept
    monkeypatch.setenv("GOVMAP_SUBMIT_MIN_FILL_SECONDS", "0")
    at = filled(hp_homepage="https://spam.example")
    send(at)
    assert any("送信できませんでした" in w.value for w in at.warning) and stored(env) == []
    monkeypatch.setenv("GOVMAP_SUBMIT_SESSION_LIMIT", "1")
    at = filled()
    send(at)
    assert at.success  # the first one goes through
    at = filled(sub_session=at.session_state["sub_session"])  # the same browser session again
    send(at)
    assert any("上限" in w.value for w in at.warning), ([w.value for w in at.warning], [e.value for e in at.error], [s.value for s in at.success])
    assert len(stored(env)) == 1


def test_hostile_text_is_echoed_as_text_only(env):
    hostile = '<script>alert(1)</script>[x](javascript:alert(2))![i](http://evil.example/i.png)${x}'
    at = filled(flat(hostile))
    send(at)
    assert not at.exception
    assert any(hostile in t.value for t in at.text)  # shown, as text
    for md in [*at.markdown, *at.caption, *at.success, *at.warning, *at.info]:
        assert "<script>" not in md.value and "](javascript" not in md.value and "![i]" not in md.value


def test_a_submission_without_a_solved_challenge_or_with_a_replayed_one_is_refused(env):
    """Issue 10 item 6: the honeypot and fill time were trivial for a script; a proof of work costs
    it something.  Nothing is stored without a solution, with a wrong one, or with a spent one."""
    at = filled()
    at.button(key="sub_send").click().run()  # the browser has not solved it (or a script skipped it)
    assert any("自動確認" in w.value for w in at.warning) and stored(env) == []
    assert at.text_input(key="f.org.name_ja").value == "株式会社テストガバメント"  # kept
    challenge = at.session_state["pow_challenge"]
    wrong = next(str(n) for n in range(10_000) if not aa.pow_ok(challenge["id"], str(n), challenge["bits"]))
    at.session_state["pow_solution"] = f"{challenge['id']}:{wrong}"
    at.button(key="sub_send").click().run()
    assert any("自動確認" in w.value for w in at.warning) and stored(env) == []
    solved(at)
    spent = at.session_state["pow_challenge"], at.session_state["pow_solution"]
    at.button(key="sub_send").click().run()
    assert at.success and len(stored(env)) == 1
    # The same solved challenge again, from a new session with a new form.
    at = filled(flat("株式会社リプレイ"), pow_challenge=spent[0], pow_solution=spent[1])
    at.button(key="sub_send").click().run()
    assert any("自動確認" in w.value for w in at.warning) and len(stored(env)) == 1
    assert at.session_state["pow_challenge"]["id"] != spent[0]["id"]  # a new one for the browser to solve


def test_new_sessions_from_one_address_share_its_limit(env, monkeypatch):
    """Issue 10 item 6: the limit was per websocket session, so each new session had a fresh one."""
    monkeypatch.setenv("GOVMAP_SUBMIT_ADDRESS_LIMIT", "3")
    outcomes = []
    for i in range(5):
        at = send(filled(flat(f"株式会社連投{i}")))  # a new AppTest is a new session
        outcomes.append("ok" if at.success else "refused" if any("上限" in w.value for w in at.warning) else "?")
    assert outcomes == ["ok", "ok", "ok", "refused", "refused"]
    assert len(stored(env)) == 3
