"""Issue 12, the map: popups link to the vendor page, adopter popups list service and year, place
labels from the gazetteer for a map without tiles (and their size), a first view with Okinawa.
The browser side (the link opens the vendor page, labels appear, Okinawa in view) is in
tests/browser/test_map_browser.py and tests/browser/test_map_link_browser.py."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest

from govmap.maps import mapassets, mapview
from govmap.finder.browse import Browser
from govmap.finder.catalog import Catalog
from test_mapview import HOSTILE, HOSTILE_TEXT, adoption, elements, frame, org, render

TEMPLATE = "{{ 7*7 }}{% raw %}"


# -- link to the vendor page ----------------------------------------------------------------------
def _href(popup: str) -> str:
    match = re.search(r'<a class="govmap-vendor-link" href="([^"]*)" target="_parent">', popup)
    assert match, popup
    return html.unescape(match.group(1))


def test_org_popup_links_to_the_vendor_page_in_the_maps_language():
    assert _href(mapview.org_popup_html(org(), {}, "ja")) == "vendor?org=graffer"
    english = mapview.org_popup_html(org(), {}, "en")
    assert _href(english) == "vendor?org=graffer&lang=en" and "Open vendor page" in english
    assert "ベンダー詳細を開く" in mapview.org_popup_html(org(), {}, "ja")
    # The ID line stays last: st_folium's returned popup text still selects the vendor.
    assert english.endswith('<span class="govmap-id">ID: graffer</span></div>')


@pytest.mark.parametrize("bad", [HOSTILE_TEXT, "a b", "../x", "x?y=1", "", "a" * 101, TEMPLATE])
def test_no_link_for_an_id_that_is_not_a_catalog_id(bad):
    popup = mapview.org_popup_html(org(bad), {}, "ja")
    assert "govmap-vendor-link" not in popup and "href=\"vendor" not in popup
    for raw in HOSTILE:
        assert raw not in popup


def test_the_link_reaches_the_rendered_map_and_no_template_text_does():
    m = mapview.build_map(frame([org(), org("x_1", name_ja=TEMPLATE, hq_label=TEMPLATE)]), frame([]), lang="en")
    (cluster,) = elements(m, mapassets.OrgCluster)
    rows = json.loads(cluster.rows_json)
    assert [_href(r[4]) for r in rows] == ["vendor?org=graffer&lang=en", "vendor?org=x_1&lang=en"]
    page = render(m)
    assert "{{ 7*7" not in page and "{% raw" not in page
    assert "&#123;&#123; 7*7 &#125;&#125;" in page, "the text is there, escaped, not evaluated"
    assert "govmap-vendor-link" in page and "window.parent.document" in page


# -- adopter popups: service and year ---------------------------------------------------------------
def test_adopter_popup_lists_service_and_year_per_vendor_and_unknown_years_as_unknown():
    point = adoption(vendors=["株式会社グラファー", "ベンダーB"], n_adoptions=3, adoptions=[
        ["株式会社グラファー", "スマート申請", 2020], ["株式会社グラファー", "手続きナビ", None], ["ベンダーB", None, 2021]])
    ja = mapview.adoption_popup_html(point, "ja")
    assert "・株式会社グラファー スマート申請 (2020)、手続きナビ (年不明)" in ja and "・ベンダーB (2021)" in ja
    en = mapview.adoption_popup_html(point, "en")
    assert "スマート申請 (2020), 手続きナビ (year unknown)" in en
    for text in (ja, en):
        assert "None" not in text and "nan" not in text.lower() and "<NA>" not in text


def test_adopter_popup_escapes_services_and_still_truncates_vendors():
    items = [[f"ベンダー{i:02d}", HOSTILE_TEXT + TEMPLATE, 2019] for i in range(12)]
    popup = mapview.adoption_popup_html(adoption(vendors=[i[0] for i in items], adoptions=items), "ja")
    for raw in [*HOSTILE, "{{", "{%"]:
        assert raw not in popup
    assert "ベンダー09" in popup and "ベンダー10" not in popup and "ほか2社" in popup


def test_catalog_adopter_points_carry_service_and_year_of_every_adoption():
    b = Browser(Catalog())
    adoptions = b.adoptions
    points = b.adopter_points(list(b.orgs["org_id"]))
    assert int(points["n_adoptions"].sum()) == sum(len(a) for a in points["adoptions"])
    for point in points.to_dict("records"):
        assert len(point["adoptions"]) == point["n_adoptions"]
        assert {v for v, _, _ in point["adoptions"]} == set(point["vendors"])
    graffer = adoptions[(adoptions["org_id"] == "graffer") & adoptions["lat"].notna()].iloc[0]
    point = points[points["adopter_code"] == graffer["adopter_code"]].iloc[0]
    year = int(graffer["year"]) if pd.notna(graffer["year"]) else None
    assert [graffer["org_name_ja"], graffer["service_name"], year] in point["adoptions"]


# -- place labels -----------------------------------------------------------------------------------
def test_place_labels_in_the_maps_language_and_compact():
    for lang in ("ja", "en"):
        prefs, munis = (json.loads(j) for j in mapview.place_labels_json(lang))
        assert len(prefs) == 47 and 1700 < len(munis) < 1800, "every municipality but the wards"
        assert all(len(r) == 3 for r in munis)
    ja_prefs, ja_munis = (json.loads(j) for j in mapview.place_labels_json("ja"))
    en_prefs, en_munis = (json.loads(j) for j in mapview.place_labels_json("en"))
    assert "沖縄県" in {r[2] for r in ja_prefs} and "Okinawa" in {r[2] for r in en_prefs}
    assert "福岡市" in {r[2] for r in ja_munis} and "Fukuoka-shi" in {r[2] for r in en_munis}
    assert not any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", r[2]) for r in en_prefs + en_munis), "romaji only"
    assert ja_munis[0][2] == "横浜市", "most populous first (shown first when the view holds too many)"


def test_place_labels_cost_under_60_kb_and_only_without_tiles():
    orgs = frame([org()])
    with_labels = mapview.map_payload_bytes(mapview.build_map(orgs, frame([]), tiles="none"))
    m = mapview.build_map(orgs, frame([]), tiles="none")
    m._children = {k: v for k, v in m._children.items() if not isinstance(v, mapassets.PlaceLabels)}
    added = with_labels - mapview.map_payload_bytes(m)
    assert 40_000 < added < 60_000, f"{added:,} bytes"
    assert not elements(mapview.build_map(orgs, frame([]), tiles="gsi"), mapassets.PlaceLabels)


# -- first view -------------------------------------------------------------------------------------
def test_first_view_fits_the_data_okinawa_included():
    naha = org("naha", lat=26.2124, lon=127.6809)
    m = mapview.build_map(frame([org(), naha, org("sapporo", lat=43.06, lon=141.35)]), frame([]))
    (fit,) = elements(m, mapassets.FitBounds)
    assert json.loads(fit.bounds_json) == [[26.2124, 127.6809], [43.06, 141.35]]
    adopters = mapview.build_map(frame([]), frame([adoption(), adoption(lat=24.34, lon=124.16)]), layer="adoptions")
    assert json.loads(elements(adopters, mapassets.FitBounds)[0].bounds_json)[0] == [24.34, 124.16]
    empty = mapview.build_map(frame([]), frame([]))
    assert json.loads(elements(empty, mapassets.FitBounds)[0].bounds_json)[0][0] < 26.0, "all Japan"
    assert not elements(mapview.build_map(frame([org()]), frame([]), center=(35, 139), zoom=8), mapassets.FitBounds)
