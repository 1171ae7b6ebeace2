"""Vendor text never reaches a template engine (issue 10, finding 1).

folium/branca compile rendered map code as an unsandboxed Jinja template.  These tests put
``{{ … }}``, ``{% … %}`` and ``{# … #}`` (and a payload that would create a file on the server) into
every field that reaches a map, and prove that nothing is evaluated and nothing crashes: first for
the building blocks (``DataOnly`` elements, ``script_json``, ``escape.js_template_html``), then
for every map builder, then for the real pages of the app through AppTest on a catalog built by
the real ETL with a hostile vendor (tests/hostile.py).  The browser side is in
tests/browser/test_hostile_browser.py.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from branca.element import MacroElement
from folium.template import Template
from streamlit.testing.v1 import AppTest

import hostile
from govmap import escape
from govmap.coresystems import std_map
from govmap.lockin import analytics_map
from govmap.maps import mapassets, mapview

ROOT = Path(__file__).resolve().parent.parent
PAYLOAD = " ".join(hostile.TEMPLATE)


@pytest.fixture(autouse=True)
def no_canary():
    hostile.CANARY.unlink(missing_ok=True)
    yield
    assert not hostile.CANARY.exists(), "vendor text was evaluated as a template on the server"


class _Probe(MacroElement):
    """An element whose macro emits its text attribute as it is (no JSON, no escaping)."""

    _template = Template("{% macro script(this, kwargs) %}var probe = '{{ this.text }}';{% endmacro %}")

    def __init__(self, text: str):
        super().__init__()
        self._name, self.text = "Probe", text


class _DataOnlyProbe(mapassets.DataOnly, _Probe):
    pass


def _figure_html(element) -> str:
    m = mapview.base_map()
    element.add_to(m)
    return m.get_root().render()


def test_branca_compiles_macro_output_again_which_is_the_hazard():
    # The reason for DataOnly: a plain MacroElement's output is compiled a second time.
    assert "var probe = '1337'" in _figure_html(_Probe("{{ 7*191 }}"))


def test_data_only_elements_hand_on_their_output_uncompiled():
    html = _figure_html(_DataOnlyProbe("{{ 7*191 }} {% raw %} {# x " + hostile.CANARY_PAYLOAD))
    assert "var probe = '{{ 7*191 }} {% raw %} {# x " in html and "1337" not in html


def test_every_map_element_renders_without_a_second_compilation():
    classes = [mapassets.OrgCluster, mapassets.Circles, mapassets.Boundaries, mapassets.Legend, mapassets.Setup,
               analytics_map._Choropleth, std_map.MunicipalChoropleth]
    assert all(issubclass(c, mapassets.DataOnly) for c in classes)


@pytest.mark.parametrize("text", hostile.TEMPLATE)
def test_script_json_strings_hold_no_template_delimiter_and_round_trip(text):
    out = mapassets.script_json([text, {"k": text}])
    assert not any(d in out for d in ("{{", "{%", "{#", "%}", "}}", "#}"))
    assert json.loads(out) == [text, {"k": text}]


@pytest.mark.parametrize("text", hostile.TEMPLATE)
def test_js_template_html_has_no_braces_or_percent(text):
    out = escape.js_template_html(text)
    assert not set("{}%") & set(out)
    import html
    assert html.unescape(out) == text


def _org(**kw) -> dict:
    base = {"org_id": "evil", "name_ja": PAYLOAD, "name_en": PAYLOAD, "org_type": PAYLOAD, "lat": 33.88,
            "lon": 130.88, "categories": [PAYLOAD, "gis"], "website": "https://e.example/{{7*191}}",
            "hq_label": PAYLOAD, "hq_municipality_code": "401005"}
    return {**base, **kw}


def _maps() -> list:
    orgs = pd.DataFrame([_org(), _org(org_id="evil2", website=PAYLOAD)])
    adopters = pd.DataFrame([{"adopter_code": "401005", "adopter_name": PAYLOAD, "lat": 33.88, "lon": 130.88,
                              "n_adoptions": 3, "n_vendors": 12, "vendors": [PAYLOAD] * 12}])
    labels = {PAYLOAD: PAYLOAD, "gis": PAYLOAD}
    maps = [mapview.build_map(orgs, adopters, category_labels=labels, lang=lang, **kw)
            for lang in ("ja", "en") for kw in ({}, {"marker_limit": 0}, {"layer": "adoptions"})]
    choropleth = analytics_map.choropleth_map({"40": 10000.0, "13": None}, tips={"40": PAYLOAD},
                                              legend_title=PAYLOAD, no_data_label=PAYLOAD, labels=[PAYLOAD] * 5)
    maps.append(analytics_map.add_home_marker(choropleth, 33.88, 130.88, PAYLOAD))
    return maps


def test_every_map_builder_with_template_text_in_every_field_renders_literally():
    for m in _maps():
        html = m.get_root().render()  # what streamlit-folium does first; raises on "{% raw %}" if compiled
        assert hostile.EVALUATED not in html
        assert "&#123;&#123; 7*191 &#125;&#125;" in html.replace("\\u0026", "&"), "the text is there, escaped"


def test_st_folium_path_renders_every_map_with_its_layers_on_it(tmp_path):
    from folium.map import Layer
    from streamlit_folium import _get_header, _get_html, generate_leaflet_string
    for m in _maps():
        m.get_root().render()
        m.render()
        layers = [c for c in m._children.values() if isinstance(c, Layer)]
        parts = [_get_html(m), _get_header(m), generate_leaflet_string(m)]
        assert not any(hostile.EVALUATED in p for p in parts)
        # each layer is put on the map (folium's Layer.render adds that call; DataOnly must too)
        added = re.findall(r"^\s*\w+_div_\d+\.addTo\(map_div\);", parts[2], re.MULTILINE)
        assert layers and len(added) == len(layers), added


# --- the real app on a catalog with a hostile vendor -------------------------------------------------

@pytest.fixture(scope="module")
def hostile_catalog(tmp_path_factory) -> Path:
    return hostile.build_catalog(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def hostile_env(hostile_catalog, monkeypatch, tmp_path):
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(hostile_catalog))
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(tmp_path / "store" / "submissions.sqlite"))
    return hostile_catalog


PAGE_RUNS = [
    ("search.py", {}),
    ("search.py", {"layer": "adoptions"}),
    ("search.py", {"q": "テンプレ"}),
    ("vendor.py", {"org": hostile.ORG_ID}),
    ("alternatives.py", {}),
    ("nearby.py", {}),
    ("concentration.py", {}),
    ("submit.py", {"update": hostile.ORG_ID}),
    ("shortlist.py", {"sl": hostile.ORG_ID}),
    ("shortlist.py", {"sl": f"{hostile.ORG_ID},graffer", "print": "1"}),
    ("vendor.py", {"org": hostile.ORG_ID, "print": "1"}),
    ("compare.py", {"cmp": f"{hostile.ORG_ID},graffer"}),
    ("compare.py", {"cmp": f"{hostile.ORG_ID},graffer", "print": "1"}),
]


def _shown_text(at: AppTest) -> str:
    """Everything the page sent: element protos as text, component arguments (the map) included."""
    return "\n".join(str(node.proto) for node in _walk(at._tree) if getattr(node, "proto", None) is not None)


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


@pytest.mark.parametrize("name,params", PAGE_RUNS, ids=[f"{n}{p}" for n, p in PAGE_RUNS])
def test_pages_with_a_hostile_vendor_run_and_evaluate_nothing(hostile_env, name, params):
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    text = _shown_text(at)
    assert hostile.EVALUATED not in text
    maps = at.get("component_instance")
    for component in maps:
        assert hostile.EVALUATED not in component.proto.json_args
