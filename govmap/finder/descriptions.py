"""Vendor descriptions in the page's language, without translating anything (issue 12).

The catalog keeps one ``description`` per organisation as its source wrote it: the seed's notes
(data/seed/vendors.csv ``notes``, all in English today) or what a vendor submitted (often Japanese).
Japanese offerings (``offerings_ja``) are shown in the overview table already.  A page shows the
description as it is and, when its language differs from the page's, says so (「説明は英語のみ」 /
"Description available in Japanese only"); nothing is machine-translated or invented.
"""

from __future__ import annotations

import re

from govmap.maps import map_messages  # noqa: F401 (registers the notes' messages)

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LATIN = re.compile(r"[A-Za-z]")
# English notes name Japanese products and people ('Graffer スマート申請', 'CEO 石井大地'); Japanese
# text names Latin products (LoGoフォーム, kintone).  Characters, not words: a Japanese character
# carries about as much as an English word of ~4 letters, so a third of the letters is clearly Japanese.
JAPANESE_SHARE = 0.3


def text_language(text: object) -> str | None:
    """'ja' or 'en' by the script of the letters; None for an empty text or one without letters."""
    if not isinstance(text, str):
        return None
    ja, latin = len(_JAPANESE.findall(text)), len(_LATIN.findall(text))
    if ja + latin == 0:
        return None
    return "ja" if ja / (ja + latin) >= JAPANESE_SHARE else "en"


def note_key(text: object, lang: str) -> str | None:
    """The message key of the note to show above a description written in the other language
    (``vendor.description_en_only`` / ``vendor.description_ja_only``), else None."""
    written = text_language(text)
    if written is None or written == lang:
        return None
    return "vendor.description_en_only" if written == "en" else "vendor.description_ja_only"
