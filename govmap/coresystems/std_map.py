"""The municipal choropleth of the 基幹業務・標準化 page: 1,741 municipalities, offline.

Geometry is not in the map's HTML: the map fetches ``/app/static/boundaries/municipalities.json``
(same origin, made once by ``python -m etl boundaries``; the browser caches it), and each rerun sends
only the values, one compact JSON object ``{code: [class, tooltip html]}``.  Like every map element in
govmap/maps/mapassets.py, data reaches the script only through ``script_json`` (never as template text, so
folium/branca's second Jinja pass cannot evaluate it), and tooltips are escaped with
``escape.js_template_html`` before they get here.

A click on a municipality: st_folium (``returned_objects=["last_active_drawing"]``) returns the clicked
feature; ``selected_code`` reads and validates its ``code``.  Municipalities with no polygon left after
simplification are points drawn as small circles (data/boundaries/SOURCES.md).  The layer draws on a
canvas (one element, not 1,741 SVG paths): Leaflet still hit-tests each area for tooltips and clicks.
"""

from __future__ import annotations

import re

import folium
from folium.map import Layer
from folium.template import Template

from govmap import escape
from govmap.maps import mapassets, mapview

BOUNDARIES_URL = f"{mapassets.STATIC_URL}/boundaries/municipalities.json"
BOUNDARIES_FILE = mapassets.STATIC_DIR / "boundaries" / "municipalities.json"
NO_DATA_COLOR = "#d9d9d9"
CREDIT = "出典：国土交通省 国土数値情報（行政区域データ）を加工して作成"
_CODE = re.compile(r"^\d{6}$")


class MunicipalChoropleth(mapassets.DataOnly, Layer):
    """Municipal polygons fetched once from the static file, filled by class from ``values_json``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function () {
                var values = {{ this.values_json }};
                var colours = {{ this.colours_json }};
                var style = {{ this.style_json }};
                function fill(code) {
                    var v = values[code];
                    return v && v[0] !== null ? colours[v[0]] : {{ this.no_data_json }};
                }
                // Its own pane above the overlay pane: the prefecture outlines (SVG) never cover it.
                var map = {{ this._parent.get_name() }};
                if (!map.getPane("govmapMunicipal")) { map.createPane("govmapMunicipal").style.zIndex = 450; }
                var layer = L.geoJson(null, {
                    pane: "govmapMunicipal",
                    renderer: L.canvas({padding: 0.5, pane: "govmapMunicipal"}),
                    attribution: {{ this.attribution_json }},
                    style: function (feature) {
                        return Object.assign({}, style, {fillColor: fill(feature.properties.code)});
                    },
                    pointToLayer: function (feature, latlng) {
                        return L.circleMarker(latlng, Object.assign({}, style, {radius: 5, fillColor: fill(feature.properties.code)}));
                    },
                    onEachFeature: function (feature, item) {
                        var v = values[feature.properties.code];
                        if (v) { item.bindTooltip(v[1], {sticky: true}); }
                    }
                });
                fetch({{ this.url_json }}, {credentials: "same-origin"})
                    .then(function (response) { return response.json(); })
                    .then(function (data) {
                        layer.addData(data);
                        document.documentElement.setAttribute("data-govmap-areas", String(layer.getLayers().length));
                    });
                return layer;
            })();
        {% endmacro %}
    """)

    def __init__(self, values: dict[str, list], colours: list[str], url: str = BOUNDARIES_URL):
        super().__init__(name="municipalities", control=False)
        self._name = "MunicipalChoropleth"
        j = mapassets.script_json
        self.values_json, self.colours_json, self.url_json = j(values), j(list(colours)), j(url)
        self.no_data_json, self.attribution_json = j(NO_DATA_COLOR), j(CREDIT)
        self.style_json = j({"color": "#666666", "weight": 0.4, "fillOpacity": 0.85})


def choropleth_map(classes: dict[str, int | None], tips: dict[str, str], colours, labels, *, title: str,
                   no_data_label: str, tiles: str = "none") -> folium.Map:
    """The offline base map (govmap.maps.mapview) with the municipal layer and a legend.
    ``tips`` are plain text: escaped here for the tooltip's HTML."""
    m = mapview.base_map(None, None, str(tiles or "none").strip().lower())
    values = {code: [None if cls is None else int(cls), escape.js_template_html(tips.get(code, code))]
              for code, cls in classes.items()}
    MunicipalChoropleth(values, list(colours)).add_to(m)
    e = escape.js_template_html
    items = [f'<i style="background:{c};border-radius:0"></i>{e(label)}' for c, label in zip(colours, labels)]
    items.append(f'<i style="background:{NO_DATA_COLOR};border-radius:0"></i>{e(no_data_label)}')
    mapassets.Legend("<br>".join([f"<b>{e(title)}</b>", *items])).add_to(m)
    return m


def selected_code(st_folium_return: dict | None, known: set[str] | None = None) -> str | None:
    """The municipality code of the clicked area (st_folium ``last_active_drawing``), validated."""
    if not isinstance(st_folium_return, dict):
        return None
    feature = st_folium_return.get("last_active_drawing")
    props = feature.get("properties") if isinstance(feature, dict) else None
    code = props.get("code") if isinstance(props, dict) else None
    if not isinstance(code, str) or not _CODE.match(code):
        return None
    return code if known is None or code in known else None
