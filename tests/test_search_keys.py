"""Search-key functions (govmap/normalize.py, govmap/finder/search.py): total, idempotent where they are
keys, and the words they pick out; the keys the build stores are the ones the app would compute."""

from hypothesis import given, settings, strategies as st

from govmap.finder.catalog import Catalog
from govmap.normalize import acronyms, has_kanji, is_short_token, name_tokens, romaji_fold
from govmap.finder.search import KEYS_SOURCE_SQL, index_keys, place_romaji_keys


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_romaji_fold_is_total_and_idempotent(text):
    once = romaji_fold(text)
    assert romaji_fold(once) == once
    acronyms(text), name_tokens(text), has_kanji(text)  # never raise


def test_romaji_fold_reads_long_vowels_alike():
    assert romaji_fold("bousai") == romaji_fold("bosai") == romaji_fold("Bōsai") == "bosai"
    assert romaji_fold("Denshi Shinsei") == "denshishinsei"
    assert romaji_fold("shimbun") == romaji_fold("shinbun")


def test_acronyms_are_capitals_only_and_names_lose_their_legal_form():
    assert acronyms("It runs IT and 3D maps; it is AI-OCR") == ["it", "3d", "ai"]
    assert name_tokens("AI inside株式会社") == ["ai"]
    assert name_tokens("NEC Networks & System Integration Corp.") == ["nec"]
    assert "kk" not in name_tokens("GMO GlobalSign Holdings K.K.") and "k" not in name_tokens("Foo K.K.")
    assert is_short_token("ai") and not is_short_token("ocr") and not is_short_token("防災")


def test_place_romaji_keys_with_and_without_suffix():
    keys = place_romaji_keys("kitakyuushuushikokurakitaku", "kitakyuushuushi")
    assert {"kitakyushu", "kitakyushushi", "kokurakita"} <= set(keys)
    assert "sabae" in place_romaji_keys("sabaeshi")
    assert place_romaji_keys(None) == []


def test_stored_keys_are_what_the_app_would_compute(built_catalog):
    catalog = Catalog(built_catalog)
    stored = catalog.frame("SELECT org_id, name_keys, text_key FROM org_search_keys ORDER BY org_id")
    computed = index_keys(catalog.frame(KEYS_SOURCE_SQL))
    assert list(stored["org_id"]) == list(computed["org_id"])
    assert [list(k) for k in stored["name_keys"]] == [list(k) for k in computed["name_keys"]]
    assert list(stored["text_key"]) == list(computed["text_key"])
