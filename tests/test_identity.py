"""Impersonation (issue 10, item 5): look-alike spellings of real organisations are reported as likely
duplicates of them through the submission form's own function, against the real catalog built from
data/seed; genuinely different real organisations are not flagged as each other; identical or
look-alike pending submissions are shown to the reviewer as duplicates of each other (real SQLite)."""

from __future__ import annotations

import itertools

import duckdb
import pytest

from entries import entry, flat, validated
from govmap.finder import duplicates as dup
from govmap import settings
from govmap.review import submission_form as sf
from govmap.identity import identity_key
from govmap.normalize import name_key
from govmap.review.store import Store
from govmap.review.submissions import Submissions, format_receipt
from test_page_review import PASSWORD, login, page
from test_page_submit import env as submit_env  # noqa: F401  (fixture)
from test_page_submit import error_after, filled, stored
from test_page_review import env as review_env  # noqa: F401  (fixtures)
from test_page_review import secrets as review_secrets  # noqa: F401

# Look-alike spellings of real names in data/seed/vendors.csv, by the org they imitate.
VARIANTS = {
    "nttdata": [
        "株式会社NTTデ一夕",            # kanji 一 for katakana ー, kanji 夕 for katakana タ (the reported one)
        "株式会社ΝТТデータ",            # Greek Nu, Cyrillic Te twice
        "株式会社ΝΤΤデ一夕",            # Greek capitals and both kanji
        "株式会社ＮＴＴデ―タ",          # full-width Latin, U+2015 horizontal bar
        "株式会社NTTデ−タ",             # U+2212 minus sign
        "株式会社NTT\u200bデ\u00adータ",  # zero-width space, soft hyphen
        "株式会社NTT\U000e0041デ\ufe0fータ",  # tag character, variation selector after kana
        "株式会社ＮＴＴﾃﾞｰﾀ",            # half-width katakana
        "NTTデ一タ株式会社",             # legal form after, kanji 一
        "(株)NTTデ一夕",
        "株式会社NTTテ゛ータ",            # spacing dakuten
    ],
    "graffer": ["株式会社ク゛ラファ一", "株式会社グラフアー", "株式会社グラファ—", "(株)ｸﾞﾗﾌｧｰ"],
    "locoguide": ["株式会社口コガイド", "株式会社ロコカ゛イド"],   # kanji 口 for ロ
    "kaonavi": ["株式会社力才ナビ"],                             # kanji 力 for カ, 才 for オ
    "trustbank": ["株式会社卜ラストバンク"],                      # kanji 卜 for ト
    "mti": ["株式会社工厶ティ一アイ"],                           # kanji 工 for エ, 厶 for ム
    "gcc": ["株式会社ジ一シ一シ一"],
    "cybozu": ["サイボウス゛株式会社"],
    "kddi": ["КDDI株式会社", "KDDl株式会社"],                    # Cyrillic Ka; lower-case l for I
    "nec": ["日本電気株式会社(ΝЕС)"],
    "annai": ["ΑΝΝΑΙ株式会社"],
    "code_for_japan": ["一般社団法人コ一ド・フォ一・ジャパン"],
    "softbank": ["ソフ卜バンク株式会社"],
    "fujitsu": ["冨士通株式会社"],
    "mirairo": ["株式会社ミライ口"],
    "pasco": ["株式会社ハ゜スコ", "株式会社八゜スコ"],              # kanji 八 for ハ, spacing handakuten
    "zenrin": ["株式会社セ゛ンリン"],
}
CASES = [(org, name) for org, names in VARIANTS.items() for name in names]


@pytest.fixture(scope="module")
def records(built_catalog) -> list[dict]:
    """What the submit page compares with (ui/submitstatus.py reads the same columns)."""
    with duckdb.connect(str(built_catalog), read_only=True) as con:
        frame = con.sql("SELECT org_id, name_ja, coalesce(name_en, '') AS name_en, "
                        "coalesce(corporate_number, '') AS corporate_number, hq_municipality_code, other_names "
                        "FROM v_organisations ORDER BY org_id").df()
    return frame.to_dict("records")


def test_there_are_at_least_five_variants_of_the_reported_name_and_more_for_others():
    assert len(VARIANTS["nttdata"]) >= 5 and len(CASES) >= 30


@pytest.mark.parametrize("org, name", CASES)
def test_a_look_alike_name_is_flagged_as_a_likely_duplicate_of_the_real_org(records, org, name):
    assert any(r["org_id"] == org for r in records), org
    found = sf.likely_duplicates(flat(name, **{"org.name_en": ""}), records)
    assert found and found[0]["org_id"] == org, found
    assert found[0]["score"] == 100.0


def test_look_alike_characters_are_named_as_the_reason(records):
    found = sf.likely_duplicates(flat("株式会社NTTデ一夕", **{"org.name_en": ""}), records)
    assert dup.LOOKALIKE in found[0]["reasons"]
    same = sf.likely_duplicates(flat("株式会社NTTデータ", **{"org.name_en": ""}), records)
    assert same[0]["org_id"] == "nttdata" and dup.LOOKALIKE not in same[0]["reasons"]


def test_no_two_real_organisations_become_duplicates_through_look_alike_folding(records):
    """All pairs of the real catalog's names: only real sister or group companies whose names differ
    in one word are flagged, never for look-alike characters.  At the catalog's cutoff: 日立ソリューションズ
    東日本 / 西日本 (the latter from the conformant-package list); at the form's lower cutoff also NTT
    East / NTT West, NTTデータ / NTTデータ関西, 両備システムズ / 両毛システムズ, 行政システム / 行政システム九州 and
    TOPPAN / TOPPANエッジ (distinct 法人番号 where known).  Chapters of one movement ("Code for Amagasaki",
    "Code for Nagasaki") are not flagged."""
    assert len(records) >= 100
    assert {(p.a, p.b) for p in dup.find_duplicates(records)} == {("hitachi_solutions_east", "std_9240001009850")}
    form_cutoff = float(settings.get("duplicate_score_cutoff")) - 10
    pairs = dup.find_duplicates(records, cutoff=form_cutoff)
    assert {(p.a, p.b) for p in pairs} == {("ntt_east", "ntt_west"), ("hitachi_solutions_east", "std_9240001009850"),
                                           ("nttdata", "std_4120001054120"), ("ryobi_systems", "std_2070001016771"),
                                           ("gyosei_system", "gyosei_system_kyushu"), ("toppan", "toppan_edge")}
    assert all(dup.LOOKALIKE not in p.reasons for p in pairs)
    for a, b in itertools.combinations(records, 2):
        if identity_key(a["name_ja"]) == identity_key(b["name_ja"]):
            pytest.fail(f"{a['org_id']} and {b['org_id']} share an identity key")


def test_identity_key_keeps_legal_forms_and_real_letters_apart():
    assert identity_key("一般社団法人テスト") == identity_key("テスト株式会社")  # legal form removed, 一 kept out
    assert identity_key("HOPE, INC.") == identity_key("H0PE Inc") == "hope"
    assert identity_key("株式会社パスコ") != identity_key("株式会社バスコ")  # handakuten vs dakuten: different names
    assert identity_key("名古屋市中区") != identity_key("名古屋市中村区")
    assert name_key("株式会社NTTデ一夕") != name_key("株式会社NTTデータ")  # search keys are not folded


# -- identical pending submissions (issue 10, item 6) ------------------------------------------

@pytest.fixture
def subs(tmp_path) -> Submissions:
    return Submissions(Store(tmp_path / "store.sqlite"))


def sent(subs, name, nonce, **overrides):
    payload, contact = entry(name, **overrides)
    return subs.submit(payload, contact, token="tok-" + nonce, nonce=nonce).receipt


def test_identical_pending_submissions_are_flagged_as_duplicates_of_each_other(subs):
    first = sent(subs, "株式会社テストガバメント", "n1")
    second = sent(subs, "株式会社テストガバメント", "n2")
    other = sent(subs, "株式会社まったく別の会社", "n3", **{"org.name_en": "Another Company Ltd."})
    a, b, c = (subs.detail(r) for r in (first, second, other))
    assert [d["receipt"] for d in a["similar_submissions"]] == [second]
    assert [d["receipt"] for d in b["similar_submissions"]] == [first]
    assert b["similar_submissions"][0]["score"] == 100.0
    assert c["similar_submissions"] == []
    queue = {i["receipt"]: i for i in subs.queue()}
    assert "duplicate" in queue[first]["kinds"] and "duplicate" in queue[second]["kinds"]
    assert "duplicate" not in queue[other]["kinds"]
    assert [i["receipt"] for i in subs.queue(kinds=("duplicate",))] == [first, second]


def test_a_look_alike_pending_submission_is_flagged_against_the_earlier_one(subs):
    first = sent(subs, "株式会社テストガバメント", "n1")
    second = sent(subs, "株式会社テス卜ガハ゛メン卜", "n2", **{"org.name_en": ""})
    [found] = subs.detail(second)["similar_submissions"]
    assert found["receipt"] == first and dup.LOOKALIKE in found["reasons"]
    assert subs.detail(first)["similar_submissions"][0]["receipt"] == second


def test_the_reviewer_sees_which_pending_submission_an_entry_looks_like(review_env, review_secrets):
    first = sent(review_env, "株式会社テストガバメント", "n1")
    second = sent(review_env, "株式会社テストガバメント", "n2")
    at = login(page(secrets=review_secrets), "alice", PASSWORD)
    at.selectbox(key="rev_pick").set_value(second).run()
    assert not at.exception, at.exception
    assert any(w.value.startswith("審査待ちの他の申請と重複") for w in at.warning)
    assert any(format_receipt(first) in x.value for x in at.text)


# -- the form and the page (invisible names, userinfo URLs) ---------------------------------------

def test_the_form_refuses_a_blank_looking_name_and_a_userinfo_url(records):
    result = validated(flat("\u3164", **{"org.website": "https://city.example.lg.jp@evil.example/",
                                         "svc.0.name_ja": "\u2800\u00ad", "org.name_en": "\U000e0041"}))
    assert not result.ok
    assert "invisible" in result.errors["org.name_ja"].en
    assert "invisible" in result.errors["svc.0.name_ja"].en
    assert "invisible" in result.errors["org.name_en"].en
    assert "user name" in result.errors["org.website"].en
    mixed = validated(flat("株式会社ΝТТデータ"))
    assert "mixes scripts" in mixed.errors["org.name_ja"].en


@pytest.mark.parametrize("lang, expected", [
    (None, "見えない文字・書式制御文字だけの入力は使えません(空白に見える特殊文字が含まれています)"),
    ("en", "only invisible or formatting characters were given (special characters that show blank)")])
def test_the_submit_page_says_why_a_blank_looking_name_is_refused(submit_env, lang, expected):
    at = filled(flat("\u3164\u3164"), **({"lang": lang} if lang else {}))
    at.button(key="sub_send").click().run()
    assert not at.exception, at.exception
    assert error_after(at, "f.org.name_ja") == expected
    assert at.text_input(key="f.org.name_ja").value == "\u3164\u3164"  # kept as typed, for correcting
    assert stored(submit_env) == []
