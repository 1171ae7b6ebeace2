"""Field validators shared by the ETL, the submission form and the SQL console.

Each takes text that already went through ``normalize.boundary`` (NFKC) and uses ASCII-only
patterns: Python's ``\\d`` and ``int()`` accept full-width and other Unicode digits.
Each returns the clean value or raises ``InvalidValue`` with a reason in Japanese and English.

Text: invisible and format characters are removed by ``boundary``; a value that had characters but
none visible is refused (a name of only U+3164 would show blank), and so is a run of more than
``MAX_COMBINING_MARKS`` combining marks (stacked diacritics that spill over the lines around them).
URLs: no user name/password part (``https://city.example.lg.jp@evil.example/`` goes to
evil.example), no backslash, a valid port, and an internationalised host (Unicode or ``xn--``
punycode) only when each label is in one script (Japanese may mix kanji, kana and Latin) and does
not imitate an ASCII name with look-alike letters (Cyrillic ``аpple``).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from confusable_homoglyphs.categories import unique_aliases

from govmap import escape
from govmap.identity import looks_like_ascii
from govmap.normalize import boundary, strip_invisible

MAX_COMBINING_MARKS = 2  # in a row; Thai and Vietnamese need at most two after NFC
_JAPANESE_SCRIPTS = {"LATIN", "HAN", "HIRAGANA", "KATAKANA"}
_WORD = re.compile(r"\w+")

_ASCII_DIGITS = re.compile(r"[0-9]+")
_POSTAL_SEPARATORS = re.compile(r"[-\u2010-\u2015\u2212\u30fc\uff0d\s〒]")


class InvalidValue(ValueError):
    """A value that fails validation; ``ja``/``en`` carry the reason for the user."""

    def __init__(self, ja: str, en: str):
        super().__init__(en)
        self.ja = ja
        self.en = en


def is_ascii_digits(text: str, length: int | None = None) -> bool:
    return bool(_ASCII_DIGITS.fullmatch(text)) and (length is None or len(text) == length)


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a 法人番号 from its 12 base digits (国税庁「法人番号の指定」, 検査用数字)."""
    total = 0
    for i, ch in enumerate(reversed(base12), start=1):
        total += int(ch) * (1 if i % 2 else 2)
    return 9 - (total % 9)


def corporate_number(value: object) -> str:
    """A valid 13-digit 法人番号 (first digit is the check digit)."""
    text = boundary(value).replace("-", "").replace(" ", "")
    if not is_ascii_digits(text, 13):
        raise InvalidValue("法人番号は13桁の数字で入力してください", "corporate number must be 13 digits")
    if int(text[0]) != corporate_number_check_digit(text[1:]):
        raise InvalidValue("法人番号のチェックデジットが一致しません", "corporate number check digit does not match")
    return text


def postal_code(value: object) -> str:
    """7 ASCII digits, after folding 〒, hyphens, ー/－ and full-width digits."""
    text = _POSTAL_SEPARATORS.sub("", boundary(value))
    if not is_ascii_digits(text, 7):
        raise InvalidValue("郵便番号は7桁の数字で入力してください(例: 150-0002)",
                           "postal code must be 7 digits (e.g. 150-0002)")
    return text


def http_url(value: object, max_length: int = 500) -> str:
    """An absolute http(s) URL, kept as typed (no NFKC: full-width characters in a path are a
    different URL, and sources must be kept exactly as found)."""
    text = strip_invisible(escape.plain(value)).strip()
    if len(text) > max_length:
        raise InvalidValue(f"URLは{max_length}文字以内にしてください", f"URL longer than {max_length} characters")
    if text.lower().startswith(("http://", "https://")):
        _check_url_authority(text)  # the specific reason first (escape.is_http_url refuses these too)
    if not escape.is_http_url(text):
        raise InvalidValue("URLは http:// または https:// で始まる必要があります",
                           "URL must start with http:// or https://")
    return text


def _check_url_authority(text: str) -> None:
    if "\\" in text:
        raise InvalidValue("URLに \\ (バックスラッシュ)は使えません", "a URL cannot contain a backslash (\\)")
    parts = urlsplit(text)
    if "@" in parts.netloc:
        raise InvalidValue("URLにユーザー名やパスワード(@の前の部分)は含められません。サイトのアドレスだけを入力してください",
                           "a URL cannot contain a user name or password (the part before @); give the site's address only")
    try:
        parts.port
    except ValueError:
        raise InvalidValue("URLのポート番号が正しくありません", "the URL's port number is not valid") from None
    host = parts.hostname or ""
    if not host:
        raise InvalidValue("URLにホスト名がありません", "the URL has no host name")
    if host.startswith("["):
        return
    for label in host.split("."):
        _check_host_label(label)


def _check_host_label(label: str) -> None:
    shown = label
    if label.lower().startswith("xn--"):
        try:
            shown = label.encode("ascii").decode("idna")
        except (UnicodeError, ValueError):
            raise InvalidValue(f"URLのホスト名が正しくありません({label})", f"the URL's host name is not valid ({label})") from None
    if shown.isascii():
        return
    if unicodedata.normalize("NFKC", shown) != shown:
        raise InvalidValue("URLのホスト名は全角・互換文字を使わずに入力してください",
                           "write the URL's host name without full-width or compatibility characters")
    scripts = unique_aliases(shown) - {"COMMON", "INHERITED"}
    if len(scripts) > 1 and not scripts <= _JAPANESE_SCRIPTS:
        raise InvalidValue(f"URLのホスト名に複数の文字体系が混在しています({label})",
                           f"the URL's host name mixes scripts ({label}), as look-alike addresses do")
    if looks_like_ascii(shown):
        raise InvalidValue(f"URLのホスト名が英数字に似せた文字で書かれています({label})",
                           f"the URL's host name imitates a Latin-letter name with look-alike characters ({label})")


def year(value: object, low: int = 1850, high: int = 2100) -> int:
    text = boundary(value)
    if not is_ascii_digits(text, 4) or not low <= int(text) <= high:
        raise InvalidValue(f"年は{low}〜{high}の4桁の数字で入力してください",
                           f"year must be 4 digits between {low} and {high}")
    return int(text)


def bounded_text(value: object, max_length: int, *, required: bool = False) -> str:
    text = boundary(value)
    if not text and _typed_something(value):
        raise InvalidValue("見えない文字・書式制御文字だけの入力は使えません(空白に見える特殊文字が含まれています)",
                           "only invisible or formatting characters were given (special characters that show blank)")
    if required and not text:
        raise InvalidValue("必須項目です", "required")
    run = longest_combining_run(text)
    if run > MAX_COMBINING_MARKS:
        raise InvalidValue(f"結合文字(アクセント記号など)が{run}個続いています。{MAX_COMBINING_MARKS}個までにしてください",
                           f"{run} combining marks (accents) in a row; at most {MAX_COMBINING_MARKS} are allowed")
    if len(text) > max_length:
        raise InvalidValue(f"{max_length}文字以内にしてください ({len(text)}文字)",
                           f"at most {max_length} characters ({len(text)} given)")
    return text


def in_japan(lat: float, lon: float) -> bool:
    """Rough bounding box of Japan's territory (Okinotorishima 20.4N .. Etorofu 45.6N, 122.9E .. 154E)."""
    return 20.0 <= lat <= 46.0 and 122.0 <= lon <= 154.0


def name(value: object, max_length: int, *, required: bool = False) -> str:
    """An organisation or service name: ``bounded_text``, and no word that mixes scripts other than
    Japanese ones with Latin (``NTTデータ`` is fine, ``ΝТТ`` with Greek Nu and Cyrillic Te is not:
    a word in two alphabets is how look-alike names are made)."""
    text = bounded_text(value, max_length, required=required)
    for word in _WORD.findall(text):
        scripts = unique_aliases(word) - {"COMMON", "INHERITED"}
        if len(scripts) > 1 and not scripts <= _JAPANESE_SCRIPTS:
            raise InvalidValue(f"1つの語に複数の文字体系が混在しています({'・'.join(sorted(scripts))}: {word})。"
                               "ラテン文字に似たギリシャ文字・キリル文字などを使っていないか確認してください",
                               f"a word mixes scripts ({', '.join(sorted(scripts))}: {word}); check for Greek or "
                               "Cyrillic letters that look like Latin ones")
    return text


def _typed_something(value: object) -> bool:
    try:
        return bool(value is not None and str(value).strip())
    except Exception:  # a hostile __str__
        return False


def longest_combining_run(text: str) -> int:
    """The longest run of combining marks (categories Mn, Me) in ``text``."""
    longest = run = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me"):
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return longest
