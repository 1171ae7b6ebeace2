"""Maps for the analytics pages: a prefecture choropleth from the bundled boundaries, and a marker
for the buyer's own municipality on a govmap.maps.mapview map.

Offline in the same way as govmap/maps/mapview.py, whose base map (vendored Leaflet from /app/static,
optional tiles, the bundled outlines), JSON-for-<script> encoder and legend this module reuses
rather than re-implements.  Vendor text (a leading vendor's name in a tooltip) goes through
``escape.js_template_html``.

Clicking a prefecture: st_folium, called with ``returned_objects=["last_active_drawing"]``, returns
the clicked feature as GeoJSON; ``selected_pref_code`` reads its ``pref_code`` back.
"""

from __future__ import annotations

import math
import re

import folium
from folium.map import Layer
from folium.template import Template

from govmap import escape
from govmap.maps import mapassets, mapview

NO_DATA_COLOR = "#d9d9d9"
# HHI classes (upper bound inclusive) and colours, light to dark.  10,000 = a single vendor.
HHI_BINS = (1500.0, 2500.0, 5000.0, 9999.99, 10000.0)
HHI_COLORS = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
HHI_LABELS = ("≤ 1,500", "1,500–2,500", "2,500–5,000", "5,000–9,999", "10,000")
_PREF_CODE = re.compile(r"^(0[1-9]|[1-3][0-9]|4[0-7])$")


class _Choropleth(mapassets.DataOnly, Layer):
    """Prefecture polygons filled per feature (``properties.fill``), tooltip ``properties.tip``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJson({{ this.data_json }}, {
                style: function (feature) {
                    return Object.assign({}, {{ this.style_json }}, {fillColor: feature.properties.fill});
                },
                onEachFeature: function (feature, layer) {
                    layer.bindTooltip(feature.properties.tip, {sticky: true});
                }
            });
        {% endmacro %}
    """)

    def __init__(self, data: dict):
        super().__init__(name="choropleth", control=False)
        self._name = "Choropleth"
        self.data_json = mapview._js_json(data)
        self.style_json = mapview._js_json({"color": "#555555", "weight": 1, "fillOpacity": 0.85})


def color_for(value: float | None, bins=HHI_BINS, colors=HHI_COLORS) -> str:
    """The class colour of a value; None/NaN is 'no data' (grey), never the lightest class."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA_COLOR
    for upper, color in zip(bins, colors):
        if value <= upper:
            return color
    return colors[-1]


def choropleth_features(values_by_pref_code: dict[str, float | None], tips: dict[str, str] | None = None,
                        bins=HHI_BINS, colors=HHI_COLORS) -> dict:
    """The bundled outlines with ``fill`` and an escaped ``tip`` (prefecture name + the caller's text)."""
    tips = tips or {}
    features = []
    for f in mapview.prefecture_boundaries()["features"]:
        code = f["properties"]["pref_code"]
        text = f"{f['properties']['name_ja']}: {tips[code]}" if tips.get(code) else f["properties"]["name_ja"]
        props = {"pref_code": code, "name_ja": f["properties"]["name_ja"],
                 "fill": color_for(values_by_pref_code.get(code), bins, colors), "tip": escape.js_template_html(text)}
        features.append({"type": "Feature", "properties": props, "geometry": f["geometry"]})
    return {"type": "FeatureCollection", "features": features}


def choropleth_map(values_by_pref_code: dict[str, float | None], *, tips: dict[str, str] | None = None,
                   legend_title: str = "HHI", no_data_label: str = "記録なし", bins=HHI_BINS,
                   colors=HHI_COLORS, labels=HHI_LABELS, tiles: str | None = "none") -> folium.Map:
    """A prefecture choropleth on mapview's offline base map; missing values are grey."""
    m = mapview._base_map(None, None, str(tiles or "none").strip().lower())
    _Choropleth(choropleth_features(values_by_pref_code, tips, bins, colors)).add_to(m)
    e = escape.js_template_html
    items = [f'<i style="background:{c};border-radius:0"></i>{e(label)}' for c, label in zip(colors, labels)]
    items.append(f'<i style="background:{NO_DATA_COLOR};border-radius:0"></i>{e(no_data_label)}')
    mapview._Legend("<br>".join([f"<b>{e(legend_title)}</b>", *items])).add_to(m)
    return m


def selected_pref_code(st_folium_return: dict | None) -> str | None:
    """The pref_code of the clicked prefecture (st_folium ``last_active_drawing``), validated."""
    if not isinstance(st_folium_return, dict):
        return None
    feature = st_folium_return.get("last_active_drawing")
    props = feature.get("properties") if isinstance(feature, dict) else None
    code = props.get("pref_code") if isinstance(props, dict) else None
    return code if isinstance(code, str) and _PREF_CODE.match(code) else None


def add_home_marker(m: folium.Map, lat: float | None, lon: float | None, label: str) -> folium.Map:
    """A distinct marker for the buyer's municipality (no icon images, so nothing to fetch)."""
    if lat is None or lon is None or (isinstance(lat, float) and math.isnan(lat)):
        return m
    tip = escape.js_template_html(label)
    mapassets.Circles([[float(lat), float(lon), 9, "#ffffff", tip, tip]], name="home",
                      style={"color": "#111111", "weight": 3, "fillOpacity": 1.0, "className": "govmap-home"}).add_to(m)
    return m
