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
