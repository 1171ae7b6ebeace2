"""Normalisation used wherever names and text are compared or searched.

``boundary`` is applied once to any text entering the system (form field, CSV cell, query):
NFKC (folds full-width digits/letters, half-width katakana, ㈱ → (株)), control, format and
blank-looking characters removed (see ``_invisible_class``; variation selectors kept only after a
kanji or a symbol), whitespace collapsed.  The ``*_key`` functions build comparison keys from it:
case folding, katakana → hiragana, legal-form removal (before or after the name), punctuation
removal, and a romaji key.  Every function is total (never raises) and idempotent
(property-tested in tests/test_normalize.py).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import jaconv

# Legal forms, written as they look after NFKC + casefold + kana folding (so ㈱ → (株),
# カブシキガイシャ → かぶしきがいしゃ).  Longest first so 特定非営利活動法人 wins over 法人 forms.
_LEGAL_FORMS_JA = (
    "特定非営利活動法人", "地方独立行政法人", "国立研究開発法人", "独立行政法人", "一般社団法人",
    "一般財団法人", "公益社団法人", "公益財団法人", "社会福祉法人", "学校法人", "npo法人",
    "株式会社", "株式會社", "有限会社", "合同会社", "合資会社", "合名会社",
    "かぶしきがいしゃ", "かぶしきかいしゃ", "ゆうげんがいしゃ", "ごうどうがいしゃ",
    "(株)", "(有)", "(同)", "(資)", "(名)", "(一社)", "(一財)", "(公社)", "(公財)", "(特非)",
)
_LEGAL_FORMS_EN = (
    r"co\.?\s*,?\s*ltd\.?", r"company\s+limited", r"inc\.?", r"incorporated", r"corporation",
    r"corp\.?", r"k\.\s?k\.", r"kk", r"g\.\s?k\.", r"llc", r"l\.l\.c\.", r"limited", r"ltd\.?",
    r"co\.", r"npo",
)
_EN_FORM = "(?:" + "|".join(_LEGAL_FORMS_EN) + ")"
_EN_SUFFIX = re.compile(r"(?:[\s,]+" + _EN_FORM + r")+\s*$")
_EN_PREFIX = re.compile(r"^\s*" + _EN_FORM + r"\s+")
_SPACES = re.compile(r"\s+")
# Anything that is not a letter, digit, kana or kanji is dropped from keys.
_NOT_WORD = re.compile(r"[^\w]|_", re.UNICODE)


def _invisible_class() -> str:
    """A regex class of characters that show nothing (or reorder what follows) and mean nothing in a
    name or a description: every control (Cc) but tab and newline, every format character (Cf:
    U+00AD soft hyphen, zero-width and bidi controls, U+061C, tag characters U+E0000-E007F ...),
    lone surrogates (Cs), and the blank letters that are not Cf: Hangul fillers (U+115F, U+1160,
    U+3164, U+FFA0), Braille blank U+2800, combining grapheme joiner U+034F, Khmer U+17B4/U+17B5,
    Mongolian variation selectors, U+FFFC.  Computed from the running Python's Unicode database
    (planes 0, 1 and 14 hold every Cc/Cf/Cs code point), so new format characters are covered."""
    points = [c for r in (range(0x20000), range(0xE0000, 0xE1000)) for c in r
              if unicodedata.category(chr(c)) in ("Cc", "Cf", "Cs") and c not in (0x09, 0x0A)]
    points += [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x2800, 0x3164,
               0xFFA0, 0xFFFC]
    ranges, start, prev = [], None, None
    for c in sorted(set(points)):
        if start is not None and c == prev + 1:
            prev = c
            continue
        if start is not None:
            ranges.append((start, prev))
        start = prev = c
    ranges.append((start, prev))
    return "".join(f"\\U{a:08x}-\\U{b:08x}" if a != b else f"\\U{a:08x}" for a, b in ranges)


_CONTROL = re.compile("[" + _invisible_class() + "]")
# Variation selectors mean something only right after a kanji (異体字 IVS/SVS) or a symbol (emoji
# or text presentation); anywhere else (after Latin, at the start, after another selector) they
# are invisible noise and are dropped.
_VARIATION = re.compile(r"[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_VS_BASE = re.compile(r"[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff"
                      r"\uf900-\ufaff\U00020000-\U0003ffff]")
# Small/variant kana that official names spell either way (龍ケ崎 / 龍ヶ崎).
_KANA_VARIANTS = str.maketrans({"ヶ": "ケ", "ヵ": "カ", "ゖ": "け", "ゕ": "か"})


def _memo(func):
    """Remember results for string arguments: a build asks for the same name's key several times
    (validation, duplicates, transform, search keys), and each key costs a few fixpoint passes."""
    cached = functools.lru_cache(maxsize=1 << 18)(func)

    @functools.wraps(func)
    def wrapper(value):
        return cached(value) if type(value) is str else func(value)
    wrapper.cache_clear = cached.cache_clear
    return wrapper


def _fixpoint(func, text: str, limit: int = 4) -> str:
    """Apply ``func`` until the result stops changing, so keys are idempotent by construction."""
    for _ in range(limit):
        new = func(text)
        if new == text:
            return new
        text = new
    return text


def boundary(value: object) -> str:
    """NFKC once, control/zero-width characters removed, whitespace collapsed, trimmed."""
    if value is None:
        return ""
    try:
        text = str(value)
    except Exception:  # a hostile __str__ must not break input handling
        return ""
    return _fixpoint(_boundary_once, text)


def _boundary_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    if _VARIATION.search(text):
        text = _drop_meaningless_selectors(text)
    return _SPACES.sub(" ", text).strip()


def _drop_meaningless_selectors(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if _VARIATION.fullmatch(ch):
            prev = out[-1] if out else ""
            if not prev or not (_VS_BASE.fullmatch(prev) or unicodedata.category(prev) == "So"):
                continue
        out.append(ch)
    return "".join(out)


def strip_invisible(text: str) -> str:
    """``text`` without the invisible and format characters ``boundary`` removes, nothing else
    changed (for values kept as typed, such as URLs)."""
    return _CONTROL.sub("", text)


def fold(value: object) -> str:
    """Case, width and kana folding: the base of every key (keeps spaces between words)."""
    return _fixpoint(_fold_once, boundary(value))


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.translate(_KANA_VARIANTS)).casefold()
    text = jaconv.kata2hira(text)
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def strip_legal_form(value: object) -> str:
    """Folded name without legal-form words, before or after the name."""
    return _fixpoint(_strip_legal_once, fold(value))


def _strip_legal_once(text: str) -> str:
    for form in _LEGAL_FORMS_JA:
        text = text.replace(form, " ")
    text = _EN_SUFFIX.sub("", text)
    text = _EN_PREFIX.sub("", text)
    return _SPACES.sub(" ", text).strip(" ,")


@_memo
def legal_form(value: object) -> str | None:
    """The Japanese legal form named in an organisation name, if any (for display and facets)."""
    text = fold(value)
    for form, label in (("株式会社", "株式会社"), ("(株)", "株式会社"), ("有限会社", "有限会社"),
                        ("(有)", "有限会社"), ("合同会社", "合同会社"), ("一般社団法人", "一般社団法人"),
                        ("一般財団法人", "一般財団法人"), ("公益社団法人", "公益社団法人"),
                        ("公益財団法人", "公益財団法人"), ("特定非営利活動法人", "特定非営利活動法人"),
                        ("npo法人", "特定非営利活動法人")):
        if form in text:
            return label
    if _EN_SUFFIX.search(text) or _EN_PREFIX.search(text):
        return "company"
    return None


@_memo
def name_key(value: object) -> str:
    """Comparison key of an organisation name: folded, legal form removed, punctuation removed."""
    # Removing punctuation can join fragments into a new legal form (株式 会社), hence the fixpoint.
    return _fixpoint(lambda text: _NOT_WORD.sub("", strip_legal_form(text)), boundary(value))


@_memo
def text_key(value: object) -> str:
    """Key for substring search in free text (offerings, descriptions): folded, no punctuation."""
    return _NOT_WORD.sub("", fold(value))


@_memo
def romaji_key(value: object) -> str:
    """Romaji of the kana in a (folded) text, ASCII letters/digits only; kanji are dropped."""
    text = strip_legal_form(value)
    try:
        text = jaconv.kana2alphabet(text)
    except Exception:  # jaconv has no contract for every code point
        pass
    return re.sub(r"[^a-z0-9]", "", text.replace("ー", "").replace("-", ""))


def place_key(value: object) -> str:
    """Key of a place name: folded, no spaces or punctuation (龍ヶ崎市 == 龍ケ崎市)."""
    return _NOT_WORD.sub("", fold(value))


# -- search keys for short acronyms and romaji (govmap/finder/search.py) ----------------------------------
_LATIN_RUN = re.compile(r"[A-Za-z0-9]+")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\U00020000-\U0003ffff]")
SHORT_TOKEN = 2  # Latin tokens this short match only whole (never inside a word or a romanised name)


def acronyms(value: object) -> list[str]:
    """Short Latin tokens (≤ SHORT_TOKEN characters) written as acronyms, in capitals or digits
    ("AI", "IT", "3D", "BI"), lowercased, in order, deduplicated.  A word in lower or mixed case
    ("it", "It", "a") is prose, not an acronym, and is left out."""
    return list(dict.fromkeys(t.lower() for t in _LATIN_RUN.findall(boundary(value))
                              if len(t) <= SHORT_TOKEN and t.upper() == t))


NAME_TOKEN = 3  # in names (not prose) Latin words up to this long match whole only: NEC, jig, TKC


def name_tokens(value: object) -> list[str]:
    """Short Latin words of an organisation name (≤ NAME_TOKEN characters, any case: a name is not
    prose), lowercased, without its legal form (K.K., Co.), in order, deduplicated."""
    return list(dict.fromkeys(t for t in _LATIN_RUN.findall(strip_legal_form(value)) if len(t) <= NAME_TOKEN))


def is_short_token(key: str, longest: int = SHORT_TOKEN) -> bool:
    """A key that may only match a whole token: ASCII letters/digits, at most ``longest`` long."""
    return 0 < len(key) <= longest and key.isascii() and key.isalnum()


def has_kanji(value: object) -> bool:
    """Whether the text holds kanji (its romaji key would silently drop them)."""
    return bool(_KANJI.search(boundary(value)))


def romaji_fold(key: str) -> str:
    """Romaji written with or without long vowels compared equal: ``bousai`` = ``bosai``,
    ``kenkou`` = ``kenko``, ``koutsuu`` = ``kotsu`` (Hepburn with macrons dropped, wāpuro ou/uu/oo)."""
    text = "".join(c for c in unicodedata.normalize("NFKD", fold(key)) if not unicodedata.combining(c))
    text = re.sub(r"m(?=[bpm])", "n", re.sub(r"[^a-z0-9]", "", text))  # shimbun = shinbun
    return _fixpoint(lambda t: t.replace("ou", "o").replace("uu", "u").replace("oo", "o").replace("aa", "a")
                     .replace("ii", "i").replace("ee", "e"), text)
