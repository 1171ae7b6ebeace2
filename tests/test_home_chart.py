"""The overview chart (issue 12): axis titles in the page's language, category labels not cut off.
Real page through AppTest; the chart's Vega-Lite spec is what the browser draws."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def chart_spec(lang: str) -> tuple[dict, list[str]]:
    at = AppTest.from_file(str(ROOT / "pages" / "home.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec), at


@pytest.mark.parametrize("lang, category, organisations", [("ja", "カテゴリ", "組織数"), ("en", "Category", "Organisations")])
def test_axis_titles_in_the_page_language_and_labels_never_cut(catalog_env, lang, category, organisations):
    spec, _ = chart_spec(lang)
    y, x = spec["encoding"]["y"], spec["encoding"]["x"]
    assert (y["title"], x["title"]) == (category, organisations)
    assert y["axis"]["labelLimit"] == 0, "Vega-Lite cuts labels at 180 px by default"
    assert y.get("sort", "x") is None, "taxonomy order"
