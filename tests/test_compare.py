"""Issue 12, "missing for procurement": the comparison page (2–4 vendors side by side from ?cmp= or
the shortlist), the reviewer-readable shortlist export and the printable view, through the real pages
(AppTest) on the real catalog.  Print to PDF in Chromium: tests/browser/test_print_browser.py."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from govmap.finder import openness
from govmap.finder.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60


def page(name: str, lang: str = "ja", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    return at



def shown(at: AppTest):
    """The comparison table as the reader sees it (st.table cells are Markdown-escaped: escape.py)."""
    frame = at.table[0].value
    unescape = lambda v: re.sub(r"\\(.)", r"\1", str(v)).replace("\u2060", "")  # noqa: E731
    frame = frame.map(unescape)
    frame.columns = [unescape(c) for c in frame.columns]
    return frame


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the Japanese correctly
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def n_adoptions(org_id: str) -> str:
    """The organisation's adoption count in the test catalog (it grows as research lands)."""
    import duckdb
    with duckdb.connect(os.environ["GOVMAP_CATALOG_PATH"], read_only=True) as con:
        return str(con.execute("SELECT n_adoptions FROM v_organisations WHERE org_id = ?", [org_id]).fetchone()[0])


def test_comparison_from_the_link_shows_every_fact_side_by_side(catalog_env, deferred_downloads):
    at = page("compare.py", cmp="trustbank,graffer,not-a-vendor").run()
    assert not at.exception, at.exception
    assert at.multiselect(key="cmp_pick").value == ["trustbank", "graffer"]
    frame = shown(at)
    assert list(frame.columns) == ["項目", "株式会社トラストバンク", "株式会社グラファー"]
    facts = dict(zip(frame["項目"], frame["株式会社トラストバンク"]))
    assert facts["導入実績数"] == n_adoptions("trustbank") and facts["本社"].startswith("東京都")
    for item in openness.ITEMS:  # every exit / lock-in item: unknown as 不明 (never "なし"), known ones with their date
        assert facts[item.ja] == "不明" or "(確認:" in facts[item.ja], (item.ja, facts[item.ja])
    assert any("LoGoチャット: あり" in facts[item.ja] for item in openness.ITEMS)  # researched: LGWAN-ASP, sourced
    assert facts["認証: ISMAP"] == "不明" and "なし" not in frame.to_string()
    assert "https://www.trustbank.co.jp/newsroom/newsrelease/press308/" in facts["出典"]
    assert facts["確認日"] == "2026-11"
    assert len(facts["主な導入団体(新しい順)"].split("; ")) == 5
    assert at.query_params["cmp"] in ("trustbank,graffer", ["trustbank,graffer"])
    assert [b.label for b in at.button][:2] == ["株式会社トラストバンク", "株式会社グラファー"]  # vendor pages

    rows = csv_rows(deferred_downloads["govtech-comparison.csv"]())
    stamp = dict(r for r in rows if len(r) == 2)
    assert stamp["文書"] == "ベンダー比較" and stamp["カタログ版"].startswith(Catalog(catalog_env).meta()["built_at"])
    assert ["項目", "株式会社トラストバンク", "株式会社グラファー"] in rows
    book = openpyxl.load_workbook(io.BytesIO(deferred_downloads["govtech-comparison.xlsx"]()))
    assert book.sheetnames == ["comparison", "stamp"]
    assert book["comparison"]["B1"].value == "株式会社トラストバンク"


def test_comparison_defaults_to_the_shortlist_and_sorts_adopters_by_distance(catalog_env):
    at = page("compare.py", sl="graffer,trustbank", muni="401005").run()  # 北九州市
    assert not at.exception, at.exception
    assert at.multiselect(key="cmp_pick").value == ["graffer", "trustbank"]
    frame = shown(at)
    near = frame[frame["項目"].str.startswith("近い導入団体")].iloc[0]
    assert "北九州市" in near["項目"]
    assert near["株式会社グラファー"].startswith("北九州市 (Graffer スマート申請, 2020年, 0 km)")


def test_comparison_asks_for_two_and_caps_at_four(catalog_env):
    at = page("compare.py", cmp="graffer").run()
    assert not at.exception and not at.table
    assert any("2 社以上" in i.value for i in at.info)
    at = page("compare.py", cmp="graffer,trustbank,tkc,microsoft_japan,google_cloud_japan").run()
    assert not at.exception
    assert len(at.multiselect(key="cmp_pick").value) == 4
    assert any("最大 4 社" in w.value for w in at.warning)
    assert len(shown(at).columns) == 5
    assert not at.dataframe  # the comparison is a static table: no vendor column cut at the edge


def test_comparison_in_english_says_unknown(catalog_env):
    at = page("compare.py", lang="en", cmp="trustbank,tkc").run()
    assert not at.exception, at.exception
    facts = dict(zip(shown(at)["Item"], shown(at)["株式会社トラストバンク"]))
    assert facts["API"] == "unknown" and facts["Adoptions"] == n_adoptions("trustbank")
    assert facts["Certification: ISMS (ISO 27001)"] == "unknown"


def test_shortlist_export_is_a_document_a_reviewer_can_read(catalog_env, deferred_downloads):
    note = "=HYPERLINK(\"http://evil.example\") 実績重視"
    at = page("shortlist.py", sl="trustbank,graffer", note=note)
    at.session_state["keep.q"] = "電子申請"
    at.session_state["keep.f_cat"] = ["online_forms"]
    at.run()
    assert not at.exception, at.exception
    rows = csv_rows(deferred_downloads["govtech-shortlist.csv"]())
    stamp = dict(r for r in rows[:8] if len(r) == 2)
    assert stamp["選定理由メモ"] == "'" + note  # its own field, neutralised, no ids around it
    assert stamp["この候補を出した検索"] == "検索語: 電子申請; カテゴリ: 電子申請・オンライン手続"
    assert stamp["カタログ版"][:4].isdigit() and stamp["出力日"][:4].isdigit()
    header = rows[rows.index([]) + 1]
    table = [dict(zip(header, r)) for r in rows[rows.index([]) + 2:]]
    assert [r["名称"] for r in table] == ["株式会社トラストバンク", "株式会社グラファー"]  # one row per vendor
    trust = table[0]
    assert trust["導入実績数"] == n_adoptions("trustbank") and len(trust["主な導入団体"].split("; ")) == 5
    assert "API: 不明" in trust["ロックイン・出口の情報(不明を含む全項目)"]
    assert "ISMAP: 不明" in trust["認証(出典)"]
    assert "https://www.trustbank.co.jp/newsroom/newsrelease/press308/" in trust["出典"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    book = openpyxl.load_workbook(io.BytesIO(deferred_downloads["govtech-shortlist.xlsx"]()))
    assert book.sheetnames == ["shortlist", "stamp"]
    notes = [r for r in book["stamp"].iter_rows(values_only=True) if r[0] == "選定理由メモ"]
    assert notes == [("選定理由メモ", note)] and book["stamp"]["B3"].data_type == "s"  # text, never a formula


@pytest.mark.parametrize("name,params", [
    ("vendor.py", {"org": "trustbank"}),
    ("shortlist.py", {"sl": "trustbank,graffer"}),
    ("compare.py", {"cmp": "trustbank,graffer"}),
])
def test_printable_view_shows_full_static_tables(catalog_env, name, params):
    at = page(name, **params, print="1").run()
    assert not at.exception, at.exception
    assert not at.dataframe  # no canvas grid that prints only its scroll box
    assert at.table
    assert any(t.value.shape[0] >= 2 for t in at.table)
    if name == "vendor.py":
        adoptions = [t.value for t in at.table if "出典" in t.value.columns and len(t.value) == int(n_adoptions("trustbank"))]
        assert adoptions  # every adoption with its source
        assert not at.get("iframe")
    at.toggle(key=name.split(".")[0].replace("shortlist", "sl").replace("compare", "cmp") + "_print").set_value(False).run()
    assert "print" not in at.query_params
    assert at.dataframe if name != "compare.py" else at.table  # the comparison is always a static table
