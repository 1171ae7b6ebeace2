"""The one escaping module: each context's dangerous characters are neutralised."""

import pandas as pd
import pytest

from govmap import escape

HOSTILE = ["<script>alert(1)</script>", "${alert(1)}", "`+alert(1)+`", "\\`;alert(1)//",
           "<img src=x onerror=alert(1)>", "\"'><svg onload=alert(1)>", "[x](javascript:alert(1))",
           "![i](http://evil/x.png)", "\u202eevil\u200b", "=HYPERLINK(\"http://evil\")"]


@pytest.mark.parametrize("text", HOSTILE)
def test_js_template_html_leaves_no_template_or_markup_metacharacters(text):
    out = escape.js_template_html(text)
    for ch in "<>`$\\\"'":
        assert ch not in out
    assert "\u202e" not in out and "\u200b" not in out


def test_js_template_html_round_trips_as_text_in_a_browser_sense():
    # HTML entities decode back to the literal characters the vendor typed.
    import html
    assert html.unescape(escape.js_template_html("${a}`\\<b>")) == "${a}`\\<b>"


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_escapes_links_images_and_html(text):
    out = escape.markdown_text(text)
    assert "](" not in out and "<" not in out.replace("\\<", "")


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_cell_neutralises_formula_starts(cell):
    assert escape.csv_cell(cell).startswith("'")


def test_csv_cell_keeps_ordinary_text_and_numbers():
    assert escape.csv_cell("株式会社グラファー") == "株式会社グラファー"
    assert escape.csv_cell(5) == 5


@pytest.mark.parametrize("url,ok", [("https://graffer.jp", True), ("http://a.jp/x", True),
                                    ("javascript:alert(1)", False), ("data:text/html,<b>", False),
                                    ("JaVaScRiPt:alert(1)", False), (" https://a.jp", True), ("https:/a", False),
                                    ("https://a.jp\u202e", False), ("", False), (None, False)])
def test_only_http_urls_become_links(url, ok):
    assert escape.is_http_url(url) is ok
    link = escape.html_link(url, "x")
    assert ("<a " in link) is ok


def test_dataframe_for_export_neutralises_headers_and_cells():
    frame = pd.DataFrame({"=name": ["=cmd|' /C calc'!A0", "ok"], "n": [1, 2]})
    out = escape.dataframe_for_export(frame)
    assert list(out.columns)[0] == "'=name"
    assert out.iloc[0, 0].startswith("'=") and out.iloc[1, 0] == "ok"


@pytest.mark.parametrize("url", ["https://city.example.lg.jp@evil.example/", "https://u:p@evil.example/",
                                 "https://evil.example\\@city.example.lg.jp/", "http:///nohost"])
def test_urls_with_a_user_name_part_or_backslash_are_never_links(url):
    assert escape.safe_url(url) is None
    assert "href" not in escape.html_link(url, "x")
