"""Vendor descriptions (issue 12): shown as the source wrote them, with a note when the page's
language differs ("説明は英語のみ"); nothing translated.  Real catalog, real page via AppTest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from govmap.finder import descriptions

ROOT = Path(__file__).resolve().parent.parent
SEED_NOTE = ("Startup founded 2017 (CEO 石井大地). Its 'Graffer スマート申請' form builder lets staff publish "
             "online applications with card-based ID checks and card payment; Nikkei (via blog) places it in Shibuya.")


@pytest.mark.parametrize("text, expected", [
    (SEED_NOTE, "en"),
    ("電子申請フォーム「LoGoフォーム」を全国の自治体に提供。kintone 連携あり。", "ja"),
    ("自治体向けの AI-OCR サービス", "ja"),
    ("", None), ("2020 / 123", None), (None, None),
])
def test_text_language(text, expected):
    assert descriptions.text_language(text) == expected


def test_every_seed_note_is_english_so_japanese_pages_say_so():
    notes = pd.read_csv(ROOT / "data" / "seed" / "vendors.csv")["notes"].dropna()
    assert {descriptions.text_language(n) for n in notes} == {"en"}
    assert descriptions.note_key(SEED_NOTE, "ja") == "vendor.description_en_only"
    assert descriptions.note_key(SEED_NOTE, "en") is None
    assert descriptions.note_key("日本語の説明です。", "en") == "vendor.description_ja_only"
    assert descriptions.note_key("日本語の説明です。", "ja") is None


def _vendor_page(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "vendor.py"), default_timeout=60)
    at.query_params["org"] = "graffer"
    at.session_state["lang"] = lang
    return at.run()


def test_vendor_page_says_the_description_is_in_english_only_on_japanese_pages(catalog_env):
    at = _vendor_page("ja")
    assert not at.exception
    assert "説明は英語のみ" in [c.value for c in at.caption]
    assert any(SEED_NOTE in t.value for t in at.text), "the English text itself, untranslated"
    en = _vendor_page("en")
    assert not en.exception
    assert not any("English only" in c.value or "英語のみ" in c.value for c in en.caption)
    assert any(SEED_NOTE in t.value for t in en.text)
