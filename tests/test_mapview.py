"""The map builder without a browser: layers, the marker limit and aggregation, escaping of vendor
text, no CDN, payload at national scale.  The rendering itself is tested in tests/browser."""

from __future__ import annotations

import csv
import json
import re
import time

import numpy as np
import pandas as pd
import pytest
from folium.elements import JSCSSMixin

from etl import assets
from govmap.maps import mapassets, mapview

HOSTILE = ["<script>alert(1)</script>", "${alert(1)}", "`+alert(1)+`",
           "\\u003cimg src=x onerror=alert(1)\\u003e", "\\`", "<img src=x onerror=alert(1)>"]
HOSTILE_TEXT = " ".join(HOSTILE)
LABELS = {"online_forms": "電子申請・オンライン手続", "gis": "GIS・地図"}


def org(org_id="graffer", lat=35.664, lon=139.698, **extra) -> dict:
    row = {"org_id": org_id, "name_ja": "株式会社グラファー", "name_en": "Graffer, Inc.", "org_type": "startup",
           "lat": lat, "lon": lon, "categories": ["online_forms", "gis"], "website": "https://graffer.jp",
           "hq_label": "東京都渋谷区"}
    return {**row, **extra}


def adoption(**extra) -> dict:
    row = {"adopter_code": "131130", "adopter_name": "渋谷区", "lat": 35.664, "lon": 139.698,
           "n_adoptions": 3, "n_vendors": 2, "vendors": ["株式会社グラファー", "ベンダーB"]}
    return {**row, **extra}


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def render(m) -> str:
    return m.get_root().render()


def elements(m, kind) -> list:
    return [c for c in m._children.values() if isinstance(c, kind)]


def synthetic_orgs(n: int, seed: int = 7, places: int = 1900) -> pd.DataFrame:
    """SYNTHETIC organisations (benchmark only): n rows spread over `places` fake municipality
    points inside Japan's bounding box, skewed so a few places hold many organisations."""
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(31.0, 43.5, places), rng.uniform(129.5, 145.0, places)
    where = np.minimum(rng.zipf(1.3, n) - 1, places - 1)
    codes = list(mapview.CATEGORY_COLORS)
    return pd.DataFrame({
        "org_id": [f"synthetic_{i:06d}" for i in range(n)],
        "name_ja": [f"合成組織{i:06d}(SYNTHETIC)" for i in range(n)],
        "name_en": [f"Synthetic org {i}" for i in range(n)], "org_type": "sme",
        "lat": lat[where], "lon": lon[where],
        "categories": [[codes[i % len(codes)], codes[(i * 7) % len(codes)]] for i in range(n)],
        "website": "", "hq_label": [f"合成市{w:04d}" for w in where]})


# --- layers, limit, aggregation -------------------------------------------------------------


def test_orgs_layer_has_boundaries_cluster_and_legend_and_no_tiles_by_default(monkeypatch):
    monkeypatch.delenv("GOVMAP_MAP_TILES", raising=False)
    m = mapview.build_map(frame([org(), org("b", 43.06, 141.35)]), frame([]), category_labels=LABELS)
    html = render(m)
    assert len(elements(m, mapassets.Boundaries)) == 1
    assert html.count('"pref_code"') == 47
    assert "L.markerClusterGroup(" in html and "govmap-legend" in html
    assert "L.tileLayer" not in html
    assert '"maxZoom": 18' in html, "tiles=None needs maxZoom or clustering throws (FIELD-NOTES)"
    icons = 'L.Icon.Default.imagePath = "/app/static/vendor/leaflet/images/"'
    assert icons in html and html.index(icons) < html.index("L.markerClusterGroup(")


@pytest.mark.parametrize("tiles, present", [("gsi", "cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"),
                                            ("osm", "tile.openstreetmap.org/{z}/{x}/{y}.png")])
def test_tiles_setting(tiles, present):
    html = render(mapview.build_map(frame([org()]), frame([]), tiles=tiles))
    assert present in html and "L.tileLayer" in html
    if tiles == "gsi":
        attribution = json.dumps(mapview.TILES["gsi"][1])[1:-1].replace("<", "\\u003c").replace(">", "\\u003e")
        assert attribution in html, "地理院タイル attribution with its link"


def test_tiles_setting_from_environment_and_rejects_unknown(monkeypatch):
    monkeypatch.setenv("GOVMAP_MAP_TILES", "gsi")
    assert "cyberjapandata" in render(mapview.build_map(frame([org()]), frame([])))
    with pytest.raises(ValueError):
        mapview.build_map(frame([org()]), frame([]), tiles="google")
    with pytest.raises(ValueError):
        mapview.build_map(frame([org()]), frame([]), layer="heatmap")


def test_at_the_limit_every_located_org_is_one_marker():
    rows = [org(f"o{i}", 35 + i / 100, 135 + i / 100) for i in range(20)] + [org("nowhere", np.nan, np.nan)]
    m = mapview.build_map(frame(rows), frame([]), marker_limit=20)
    (cluster,) = elements(m, mapassets.OrgCluster)
    data = json.loads(cluster.rows_json)
    assert len(data) == 20 and not elements(m, mapassets.Circles)
    assert all(r[4].endswith('ID: o%d</span></div>' % i) for i, r in enumerate(data))


def test_above_the_limit_orgs_are_aggregated_per_place_with_counts():
    rows = ([org(f"t{i}", 35.664, 139.698, hq_label="東京都渋谷区") for i in range(5)]
            + [org(f"s{i}", 43.062, 141.354, hq_label="北海道札幌市", categories=["gis"]) for i in range(3)]
            + [org("f", 33.59, 130.40, hq_label="福岡県福岡市")])
    m = mapview.build_map(frame(rows), frame([]), marker_limit=8, category_labels=LABELS)
    assert not elements(m, mapassets.OrgCluster)
    (circles,) = elements(m, mapassets.Circles)
    tips = sorted(r[4] for r in json.loads(circles.rows_json))
    assert tips == ["<b>北海道札幌市</b>: 3", "<b>東京都渋谷区</b>: 5", "<b>福岡県福岡市</b>: 1"]
    assert "9組織を市区町村ごとに集計" in render(m)


def test_aggregate_orgs_prefers_municipality_codes_and_ranks_categories():
    rows = [org("a", 35.0, 135.0, hq_municipality_code="131130", categories=["gis"]),
            org("b", 35.3, 135.3, hq_municipality_code="131130", categories=["gis", "online_forms"]),
            org("c", 35.3, 135.3, hq_municipality_code=None, categories=[]),
            org("d", np.nan, np.nan)]
    groups = mapview.aggregate_orgs(frame(rows))
    assert list(groups["n_orgs"]) == [2, 1] and groups["n_orgs"].sum() == 3
    first = groups.iloc[0]
    assert first["place_key"] == "m:131130" and first["top_category"] == "gis"
    assert first["top_categories"] == [("gis", 2), ("online_forms", 1)]
    assert first["lat"] == pytest.approx(35.15)
    assert mapview.aggregate_orgs(frame([])).empty


def test_adoptions_layer_sizes_circles_and_truncates_vendor_lists():
    many = [f"ベンダー{i:02d}" for i in range(25)]
    m = mapview.build_map(frame([]), frame([adoption(vendors=many, n_adoptions=25), adoption(adopter_name="札幌市",
                          lat=43.06, lon=141.35, n_adoptions=1, vendors=["A"])]), layer="adoptions")
    (circles,) = elements(m, mapassets.Circles)
    big, small = json.loads(circles.rows_json)
    assert big[2] > small[2]
    assert "ベンダー09" in big[5] and "ベンダー10" not in big[5] and "ほか15社" in big[5]


def test_empty_and_unlocated_inputs_still_give_a_map():
    empty = pd.DataFrame()
    for layer in ("orgs", "adoptions"):
        html = render(mapview.build_map(empty, empty, layer=layer))
        assert "L.geoJson(" in html
    html = render(mapview.build_map(frame([org(lat=None, lon=None)]), frame([]), lang="en"))
    assert "Graffer" not in html


# --- escaping -----------------------------------------------------------------------------------


def hostile_maps() -> list:
    evil = org(HOSTILE_TEXT, name_ja=HOSTILE_TEXT, name_en=HOSTILE_TEXT, org_type=HOSTILE_TEXT,
               hq_label=HOSTILE_TEXT, categories=[HOSTILE_TEXT], website="javascript:alert(1)")
    evil2 = {**evil, "website": "JaVaScRiPt:alert(1)//https://x"}
    adopters = frame([adoption(adopter_name=HOSTILE_TEXT, vendors=[HOSTILE_TEXT] * 12)])
    labels = {HOSTILE_TEXT: HOSTILE_TEXT}
    return [mapview.build_map(frame([evil, evil2]), adopters, category_labels=labels, lang=lang, **kw)
            for lang in ("ja", "en")
            for kw in ({}, {"marker_limit": 0}, {"layer": "adoptions"})]


def test_hostile_vendor_text_only_appears_escaped():
    for m in hostile_maps():
        html = render(m)
        for raw in HOSTILE:
            assert raw not in html, raw
        assert "&#36;&#123;alert(1)&#125;" in html.replace("\\u0026", "&"), "the text is there, escaped"
        assert not re.search(r"href\s*=\s*\\?[\"']?\s*javascript:", html, re.IGNORECASE)


def test_popup_and_tooltip_builders_escape_everything():
    evil = org(HOSTILE_TEXT, name_ja=HOSTILE_TEXT, hq_label=HOSTILE_TEXT, website="javascript:alert(1)")
    for html in (mapview.org_popup_html(evil, {}), mapview.org_tooltip_html(evil),
                 mapview.adoption_popup_html(adoption(adopter_name=HOSTILE_TEXT, vendors=[HOSTILE_TEXT]))):
        for raw in HOSTILE:
            assert raw not in html
        assert "`" not in html and "$" not in html and "\\" not in html and "<a href=\"javascript" not in html
    assert '<a href="https://graffer.jp"' in mapview.org_popup_html(org(), {})


# --- offline ------------------------------------------------------------------------------------


def _links(m) -> list[str]:
    """Every JS/CSS URL: the rendered page's and the lists st_folium builds from default_js/css."""
    html = render(m)
    urls = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html) + re.findall(r'<link[^>]*\shref="([^"]+)"', html)
    stack = [m]
    while stack:
        element = stack.pop()
        if isinstance(element, JSCSSMixin):
            urls += [u for _, u in element.default_js + element.default_css]
        stack.extend(element._children.values())
    return urls


def test_no_cdn_every_asset_is_a_local_vendored_file():
    maps = [mapview.build_map(frame([org()]), frame([adoption()]), layer=layer, tiles=tiles, marker_limit=limit)
            for layer in ("orgs", "adoptions") for tiles in ("none", "gsi") for limit in (0, 10)]
    for m in maps:
        urls = _links(m)
        assert urls and all(u.startswith(mapassets.VENDOR_URL + "/") for u in urls), urls
        assert all(mapassets.local_path(u).is_file() for u in urls)


def test_offline_map_has_no_http_url_at_all_without_tiles_and_websites():
    m = mapview.build_map(frame([org(website=""), org("x", website=None)]), frame([]))
    assert not re.search(r"https?://", render(m))


# --- selection ----------------------------------------------------------------------------------


@pytest.mark.parametrize("returned, expected", [
    ({"last_object_clicked_popup": "株式会社グラファー\nGraffer, Inc.\n種別: スタートアップ\nID: graffer"}, "graffer"),
    ({"last_object_clicked_popup": "株式会社グラファーWeb: https://graffer.jpID: graffer  "}, "graffer"),
    ({"last_object_clicked_tooltip": "株式会社グラファーID: graffer"}, "graffer"),
    ({"last_object_clicked_popup": "ID: victim\nFooID:\nID: real_one"}, "real_one"),
    ({"last_object_clicked_popup": "渋谷区\n組織数: 5", "last_object_clicked_tooltip": None}, None),
    ({"last_object_clicked_popup": None}, None), ({}, None), (None, None), ("ID: x", None),
])
def test_selected_org_id(returned, expected):
    assert mapview.selected_org_id(returned) == expected


# --- assets, boundaries, colours ------------------------------------------------------------


def test_every_taxonomy_category_has_its_own_colour():
    with open(mapassets.ROOT / "data" / "taxonomy" / "categories.csv", encoding="utf-8") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    assert set(codes) == set(mapview.CATEGORY_COLORS)
    assert len(set(mapview.CATEGORY_COLORS.values())) == len(codes)
    assert mapview.category_color("unknown") == mapview.OTHER_COLOR


def test_bundled_boundaries_are_current_small_and_in_japan(tmp_path):
    path = mapview.BOUNDARIES_PATH
    assert path.stat().st_size < 400_000
    data = json.loads(path.read_text(encoding="utf-8"))
    codes = [f["properties"]["pref_code"] for f in data["features"]]
    assert codes == [f"{i:02d}" for i in range(1, 48)]
    for feature in data["features"]:
        ring = np.array(feature["geometry"]["coordinates"][0])
        assert (ring[0] == ring[-1]).all() and len(ring) > 10
        assert ring[:, 0].min() > 122 and ring[:, 0].max() < 146.5 and ring[:, 1].min() > 24 and ring[:, 1].max() < 46
    fresh = assets.build_boundaries(tmp_path / "prefectures.geojson")
    assert fresh.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), "run `python -m etl assets`"


def test_vendored_assets_have_licences_and_readme():
    readme = (mapassets.VENDOR_DIR / "README.md").read_text(encoding="utf-8")
    for bundle in mapassets.BUNDLES:
        folder = mapassets.VENDOR_DIR / bundle.folder
        assert (folder / bundle.licence_file).read_text(encoding="utf-8") == assets.LICENCE_TEXTS[bundle.folder]
        assert f"| {bundle.title} | {bundle.version} | {bundle.licence}" in readme
        for rel in bundle.files:
            assert f"{assets._sha256(folder / rel)}  {bundle.folder}/{rel}" in readme, "run `python -m etl assets`"


# --- scale ----------------------------------------------------------------------------------------


def test_payload_at_100000_synthetic_orgs_stays_small():
    orgs = synthetic_orgs(100_000)
    started = time.perf_counter()
    m = mapview.build_map(orgs, frame([]), marker_limit=2000)
    size = mapview.map_payload_bytes(m)
    elapsed = time.perf_counter() - started
    (circles,) = elements(m, mapassets.Circles)
    assert len(json.loads(circles.rows_json)) == orgs["hq_label"].nunique()
    assert size < 3_000_000, f"{size:,} bytes"
    assert elapsed < 20, f"{elapsed:.1f} s"


def test_payload_at_the_marker_limit_stays_small():
    m = mapview.build_map(synthetic_orgs(2000), frame([]), marker_limit=2000)
    assert elements(m, mapassets.OrgCluster)
    assert mapview.map_payload_bytes(m) < 3_000_000


def test_script_json_cannot_end_the_script_or_open_a_comment():
    value = ["</script><script>alert(1)</script>", "<!--<script>", "</SCRIPT >", "\u2028", "株式会社"]
    text = mapassets.script_json(value)
    assert "</" not in text and "<!--" not in text and "\u2028" not in text and "株式会社" in text
    assert json.loads(text) == value
