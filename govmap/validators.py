"""Field validators shared by the ETL, the submission form and the SQL console.

Each takes text that already went through ``normalize.boundary`` (NFKC) and uses ASCII-only
patterns: Python's ``\\d`` and ``int()`` accept full-width and other Unicode digits.
Each returns the clean value or raises ``InvalidValue`` with a reason in Japanese and English.
"""

from __future__ import annotations

import re

from govmap import escape
from govmap.normalize import boundary

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
    text = escape.plain(value).strip()
    if len(text) > max_length:
        raise InvalidValue(f"URLは{max_length}文字以内にしてください", f"URL longer than {max_length} characters")
    if not escape.is_http_url(text):
        raise InvalidValue("URLは http:// または https:// で始まる必要があります",
                           "URL must start with http:// or https://")
    return text


def year(value: object, low: int = 1850, high: int = 2100) -> int:
    text = boundary(value)
    if not is_ascii_digits(text, 4) or not low <= int(text) <= high:
        raise InvalidValue(f"年は{low}〜{high}の4桁の数字で入力してください",
                           f"year must be 4 digits between {low} and {high}")
    return int(text)


def bounded_text(value: object, max_length: int, *, required: bool = False) -> str:
    text = boundary(value)
    if required and not text:
        raise InvalidValue("必須項目です", "required")
    if len(text) > max_length:
        raise InvalidValue(f"{max_length}文字以内にしてください ({len(text)}文字)",
                           f"at most {max_length} characters ({len(text)} given)")
    return text


def in_japan(lat: float, lon: float) -> bool:
    """Rough bounding box of Japan's territory (Okinotorishima 20.4N .. Etorofu 45.6N, 122.9E .. 154E)."""
    return 20.0 <= lat <= 46.0 and 122.0 <= lon <= 154.0
