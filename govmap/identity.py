"""Who a name looks like: confusable folding for duplicate and impersonation checks.

``株式会社NTTデ一夕`` (kanji 一 and 夕) looks like ``株式会社NTTデータ`` but shares few code points
with it; NFKC and kana folding (govmap/normalize.py) do not bring them together.  ``identity_key``
does: it maps every character to one representative of its look-alike class (the *skeleton* of
Unicode Technical Standard #39), so names that read the same give the same key and a reviewer is told
"looks like ..." instead of seeing two organisations.

Classes come from the Unicode confusables table (confusables.txt, Unicode 15, as shipped in the
``confusable_homoglyphs`` package, MIT; single characters only) plus Japanese look-alikes that the
table lacks or splits (long-vowel mark vs dashes and kanji 一, kanji vs katakana such as 才/オ).
The key is for comparison only: it is never shown and never stored in the catalog's search keys.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import jaconv
from confusable_homoglyphs.confusables import confusables_data

from govmap.normalize import boundary, name_key

# Look-alikes in Japanese text that the table lacks, or keeps in separate classes.  Each string is
# one class; the first character is its representative.
JAPANESE_LOOKALIKES = (
    "ー一―‐‑‒–—─━－㇐ᅳ−⁃﹣",  # long-vowel mark, kanji one, dashes, minus (ASCII '-' stays punctuation)
    "ロ口囗□",
    "タ夕⼣",
    "カ力⼒",
    "エ工⼯",
    "ニ二⼆",
    "ハ八⼋",
    "ト卜⼘",
    "オ才",
    "ヒ匕⼔",
    "ク勹⼓",
    "メ乂",
    "ヌ又⼜",
    "ミ彡⼺",
    "ノ丿",
    "ヘへ",
    "チ千",
    "ム厶",
    "富冨",
)
# Small kana imitate the full-size ones (グラフアー for グラファー); spacing (Japanese-keyboard)
# sound marks imitate the combined ones (ク゛ for グ).  NFKC keeps both apart.
_KANA_SIZE = str.maketrans("ァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖ", "アイウエオツヤユヨワカケあいうえおつやゆよわかけ")
_SPACING_MARKS = re.compile(r"\s*([\u3099\u309a])")  # what NFKC makes of ゛゜ (a space and the mark)
_MARKED = re.compile(r"(.)([\u3099\u309a])")  # a sound mark left uncombined (八゜ for パ)


def _is_katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fc"


def _preference(ch: str) -> tuple:
    """Which member represents a class: katakana, then ASCII lowercase, digits, letters, then any
    letter or digit (a kanji, not the Kangxi radical symbol that looks like it: symbols are dropped
    from keys), then the lowest code point (so kana classes keep kana and Latin classes ASCII)."""
    return (not _is_katakana(ch), not ("a" <= ch <= "z"), not ch.isdigit() or not ch.isascii(),
            not (ch.isascii() and ch.isalpha()), unicodedata.category(ch)[0] not in "LN", ord(ch))


@functools.cache
def _classes() -> list[list[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    for char, glyphs in confusables_data.items():
        for glyph in glyphs:
            other = glyph["c"]
            if len(char) == 1 and len(other) == 1:
                union(char, other)
    for group in JAPANESE_LOOKALIKES:
        for ch in group[1:]:
            union(group[0], ch)
    classes: dict[str, list[str]] = {}
    for ch in list(parent):
        classes.setdefault(find(ch), []).append(ch)
    # ASCII punctuation keeps its meaning (a '/' is not the katakana ノ, a '-' not the long vowel
    # mark): it stays out of every class and is dropped later like all punctuation.
    return [[m for m in members if not (m.isascii() and not m.isalnum())] for members in classes.values()]


@functools.cache
def _to_ascii() -> dict[int, str]:
    """Before the name key is built: non-ASCII letters that look like an ASCII letter or digit ->
    that character, keeping case (Cyrillic 'Т' -> 'T', Greek 'ο' -> 'o'), so legal forms and case
    folding work as for ASCII; and symbols or dashes that look like a letter -> that letter
    (― and − -> ー), which the key would otherwise drop as punctuation."""
    table: dict[int, str] = {}
    for members in _classes():
        ascii_ = [m for m in members if m.isascii()]
        if ascii_:
            for m in members:
                if not m.isascii():
                    upper = m != m.casefold()
                    table[ord(m)] = min(ascii_, key=lambda a: (a.isupper() != upper, not a.isalpha(), a))
            continue
        rep = min(members, key=_preference)
        if unicodedata.category(rep)[0] in "LN":
            table.update({ord(m): rep for m in members if unicodedata.category(m)[0] not in "LN"})
    return table


@functools.cache
def _table() -> dict[int, str]:
    """Every character of a look-alike class -> the class representative (for case-folded keys,
    where o and zero, and i, l and one (I l 1 before folding), are one class each)."""
    table: dict[int, str] = {}
    merged = {"o": ("o", "0"), "l": ("l", "1", "i")}  # case-folded: O o 0 and I l 1 i look alike
    for members in _classes():
        if len(members) < 2 or any(ch in members for chars in merged.values() for ch in chars):
            continue
        rep = min(members, key=_preference)
        table.update({ord(m): rep for m in members if m != rep})
    for rep, chars in merged.items():
        table.update({ord(m): rep for members in _classes() if any(ch in members for ch in chars)
                      for m in members if m != rep})
    return table


def skeleton(value: object) -> str:
    """The text with each character replaced by its look-alike class representative."""
    return unicodedata.normalize("NFC", boundary(value).translate(_table()))


@functools.lru_cache(maxsize=1 << 16)
def _identity_key(text: str) -> str:
    # Letters that imitate ASCII become ASCII first (keeping case), so legal forms (Inc., 株式会社)
    # are removed and case is folded as usual; then the key's kana are written as katakana so that
    # ひらがな and カタカナ look-alikes meet, and every character goes to its class representative.
    key = name_key(text.translate(_to_ascii()))
    return skeleton(jaconv.hira2kata(key))


def identity_key(value: object) -> str:
    """Comparison key of an organisation name that look-alike spellings share: the skeleton of its
    NFKC, kana- and case-folded form (small kana as full-size ones, spacing sound marks combined),
    legal form and punctuation removed."""
    text = boundary(value)
    if _SPACING_MARKS.search(text):
        text = _SPACING_MARKS.sub(r"\1", text)
        text = boundary(_MARKED.sub(lambda m: m.group(1).translate(_table()) + m.group(2), text))
    return _identity_key(text.translate(_KANA_SIZE))


def looks_like_ascii(text: str) -> bool:
    """True when non-ASCII ``text`` reads as ASCII letters and digits once look-alikes are folded
    (Cyrillic ``аpple``, Greek ``ΑΝΝΑΙ``): a whole-script imitation of a Latin name."""
    if text.isascii():
        return False
    folded = unicodedata.normalize("NFKC", text.translate(_to_ascii()))
    return folded.isascii()
