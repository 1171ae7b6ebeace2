"""Field validators used by the ETL and the submission form: ASCII-only after NFKC."""

import pytest

from govmap import validators
from govmap.validators import InvalidValue


def test_real_corporate_number_passes_in_any_width():
    assert validators.corporate_number("4011005005632") == "4011005005632"
    assert validators.corporate_number("４０１１００５００５６３２") == "4011005005632"


@pytest.mark.parametrize("bad", ["5011005005632", "401100500563", "40110050056321", "401100500563x",
                                 "٤٠١١٠٠٥٠٠٥٦٣٢", ""])
def test_bad_corporate_numbers_are_refused_with_a_reason(bad):
    with pytest.raises(InvalidValue) as info:
        validators.corporate_number(bad)
    assert info.value.ja and info.value.en


@pytest.mark.parametrize("raw", ["150-0002", "〒150-0002", "１５０ー０００２", "150－0002", "1500002", "150 0002"])
def test_postal_codes_fold_separators_and_width(raw):
    assert validators.postal_code(raw) == "1500002"


@pytest.mark.parametrize("bad", ["150-002", "15000021", "abc-defg", "١٥٠٠٠٠٢"])
def test_bad_postal_codes_are_refused(bad):
    with pytest.raises(InvalidValue):
        validators.postal_code(bad)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.jp", "//evil.example",
                                 "http://", "mailto:a@b.jp"])
def test_only_http_urls_pass(url):
    with pytest.raises(InvalidValue):
        validators.http_url(url)


def test_zero_width_characters_are_removed_before_checking():
    assert validators.http_url("https://exa\u200bmple.jp") == "https://example.jp"


def test_http_and_https_urls_pass():
    assert validators.http_url("https://graffer.jp") == "https://graffer.jp"
    assert validators.http_url("http://example.jp/a?b=c") == "http://example.jp/a?b=c"


def test_year_refuses_unicode_digits_and_out_of_range():
    assert validators.year("２０２０") == 2020
    with pytest.raises(InvalidValue):
        validators.year("1700")
    with pytest.raises(InvalidValue):
        validators.year("٢٠٢٠")


def test_bounded_text_names_the_limit():
    with pytest.raises(InvalidValue) as info:
        validators.bounded_text("あ" * 11, 10)
    assert "10" in info.value.ja


# -- impersonation (issue 10, item 5) -----------------------------------------------------------

INVISIBLE = {"soft hyphen": "\u00ad", "tag characters": "\U000e0041\U000e0042\U000e007f", "braille blank": "\u2800",
             "arabic letter mark": "\u061c", "hangul filler": "\u3164", "hangul choseong filler": "\u115f",
             "hangul jungseong filler": "\u1160", "half-width hangul filler": "\uffa0", "zero-width space": "\u200b",
             "zero-width joiner": "\u200d", "word joiner": "\u2060", "bidi override": "\u202e", "bidi isolate": "\u2066",
             "byte order mark": "\ufeff", "mongolian vowel separator": "\u180e", "combining grapheme joiner": "\u034f",
             "variation selector": "\ufe0f", "interlinear annotation": "\ufff9"}


@pytest.mark.parametrize("what", INVISIBLE)
def test_invisible_and_format_characters_are_removed_from_text(what):
    assert validators.bounded_text(f"NTT{INVISIBLE[what]}データ", 100) == "NTTデータ"


@pytest.mark.parametrize("what", INVISIBLE)
def test_a_value_of_only_invisible_characters_is_refused_not_stored_blank(what):
    with pytest.raises(InvalidValue) as info:
        validators.bounded_text(INVISIBLE[what] * 3, 100, required=True)
    assert "見えない文字" in info.value.ja and "invisible" in info.value.en
    with pytest.raises(InvalidValue):  # an optional field too: the user typed something
        validators.bounded_text(" " + INVISIBLE[what] + " ", 100)


def test_variation_selectors_are_kept_only_where_they_select_a_glyph():
    assert validators.bounded_text("葛\U000e0100飾区", 100) == "葛\U000e0100飾区"  # IVS after a kanji: 異体字
    assert validators.bounded_text("A\ufe0fB\U000e0100", 100) == "AB"


def test_stacked_combining_marks_are_refused():
    with pytest.raises(InvalidValue) as info:
        validators.bounded_text("テスト" + "\u0301" * 51, 200)
    assert "51" in info.value.ja and "51" in info.value.en
    with pytest.raises(InvalidValue):
        validators.bounded_text("x\u0301\u0302\u0303", 200)  # x has no precomposed form: three marks stay
    # Real text needs at most two in a row after NFC: Thai vowel + tone mark, Vietnamese ệ.
    assert validators.bounded_text("กิ้", 10) == "กิ้"
    assert validators.bounded_text("Nguye\u0323\u0302n", 20) == "Nguyện"


@pytest.mark.parametrize("url", ["https://city.example.lg.jp@evil.example/", "https://user:pw@example.jp/",
                                 "https://@example.jp/", "http://example.jp\\@evil.example/", "https://example.jp:99999/"])
def test_urls_with_a_user_name_part_or_a_backslash_are_refused(url):
    with pytest.raises(InvalidValue) as info:
        validators.http_url(url)
    assert info.value.ja and info.value.en


@pytest.mark.parametrize("url", ["https://аpple.com/", "https://xn--pple-43d.com/", "https://ΑΝΝΑΙ.jp/",
                                 "https://ｅｘａｍｐｌｅ.jp/", "https://xn--zz.jp/", "https://gοοgle.com/"])
def test_look_alike_internationalised_hosts_are_refused(url):
    with pytest.raises(InvalidValue):
        validators.http_url(url)


@pytest.mark.parametrize("url", ["https://日本語.jp/", "https://xn--wgv71a.jp/", "https://さくら.jp/", "https://グラファー.jp/",
                                 "https://www.city.kakuda.lg.jp/site/a@b", "https://[2001:db8::1]/x"])
def test_japanese_hosts_and_at_signs_in_paths_pass(url):
    assert validators.http_url(url) == url


def test_names_refuse_a_word_in_two_alphabets_but_not_japanese_with_latin():
    for bad in ("株式会社ΝТТデータ", "Grаffer", "ΑΝΝΑΙ株式会社"):
        with pytest.raises(InvalidValue) as info:
            validators.name(bad, 200)
        assert "文字体系" in info.value.ja and "mixes scripts" in info.value.en
    for good in ("株式会社NTTデータ", "NTT DATA", "ООО Ромашка", "さくらインターネット株式会社", "SB C&S株式会社"):
        assert validators.name(good, 200) == good


def test_every_real_seed_name_and_url_still_passes():
    import csv
    from pathlib import Path
    rows = list(csv.DictReader((Path(__file__).parent.parent / "data" / "seed" / "vendors.csv").open(encoding="utf-8")))
    for row in rows:
        validators.name(row["name_ja"], 200, required=True)
        validators.name(row["name_en"], 200)
        if row["website"]:
            validators.http_url(row["website"])
        for url in filter(None, row["sources"].split(";")):
            validators.http_url(url, max_length=2000)
