"""The offline map's building blocks: the vendored files in ``static/vendor``, the URLs folium
uses for them, and the folium elements that only ever reference those URLs.

Streamlit serves the ``static/`` folder next to ``app.py`` at ``/app/static/...`` when
``[server] enableStaticServing = true`` (FIELD-NOTES "Map with no internet").  The files are copied
from pinned PyPI packages by ``python -m etl assets`` (etl/assets.py); this module is the single
list both that copier and the map builder (govmap/maps/mapview.py) read, so a URL in a rendered map
always names a file that the copier wrote.

The elements below (OfflineMap, OfflineMarkerCluster, OrgCluster, Circles, Boundaries, Legend,
Setup) carry their data as one compact JSON array each (``script_json``) and build the markers in
the browser: server time and payload stay small (FIELD-NOTES "Map at scale"), and popups are DOM
nodes whose text st_folium can return.  Callers escape vendor text before it gets here
(govmap/escape.py).

Templates: branca's ``MacroElement.render`` wraps each rendered macro in ``Element(text)``, which
compiles that text as a *new* Jinja template when the figure renders (unsandboxed: ``{{ … }}`` in
vendor text would run on the server, ``{% raw %}`` would crash the page).  Our elements inherit
``DataOnly``, whose ``render`` hands the finished macro output to the figure as ``Literal`` text that
is never compiled; their templates are fixed strings whose only inputs are JSON attributes.  As a
second wall, ``script_json`` writes ``{``, ``}`` and ``%`` inside strings as ``\\u`` escapes, so no data
string contains a Jinja delimiter even if some future code compiled it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer
from folium.plugins import MarkerCluster
from folium.template import Template

from govmap import escape, settings

ROOT = settings.ROOT
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
STATIC_URL = "/app/static"
VENDOR_URL = f"{STATIC_URL}/vendor"
BOUNDARIES_PATH = ROOT / "data" / "boundaries" / "prefectures.geojson"
BOUNDARY_ATTRIBUTION = "境界 / Boundaries: japanmap (Apache-2.0)"  # one map serves both languages


@dataclass(frozen=True)
class Bundle:
    """One third-party library copied from an XStatic package into ``static/vendor/<folder>``."""

    folder: str
    title: str
    module: str            # the xstatic module whose BASE_DIR holds the files
    distribution: str      # the pip distribution (pinned in requirements.txt)
    version: str           # upstream version of the files
    licence: str           # SPDX identifier
    licence_file: str      # name of the licence file upstream ships (written next to the files)
    homepage: str
    files: tuple[str, ...]  # paths relative to the package's data dir, kept as-is under the folder


BUNDLES: tuple[Bundle, ...] = (
    Bundle("leaflet", "Leaflet", "xstatic.pkg.leaflet", "XStatic-Leaflet", "1.9.3", "BSD-2-Clause",
           "LICENSE", "https://leafletjs.com/",
           ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
            "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png")),
    Bundle("leaflet.markercluster", "Leaflet.markercluster", "xstatic.pkg.leaflet_markercluster",
           "XStatic-Leaflet-MarkerCluster", "1.4.1", "MIT", "MIT-LICENCE.txt",
           "https://github.com/Leaflet/Leaflet.markercluster",
           ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css")),
    Bundle("jquery", "jQuery", "xstatic.pkg.jquery", "XStatic-jQuery", "3.7.1", "MIT", "LICENSE.txt",
           "https://jquery.com/", ("jquery.min.js",)),
)


def url(folder: str, name: str) -> str:
    """The served URL of one vendored file."""
    return f"{VENDOR_URL}/{folder}/{name}"


def local_path(served_url: str) -> Path:
    """The file on disk behind a ``/app/static/...`` URL."""
    if not served_url.startswith(STATIC_URL + "/"):
        raise ValueError(f"not a static URL: {served_url}")
    return STATIC_DIR / served_url[len(STATIC_URL) + 1:]


# (name, url) pairs in folium's format.  The names match folium's own so that an element asking
# for the same library by name replaces rather than duplicates it.
MAP_JS = [("leaflet", url("leaflet", "leaflet.js")), ("jquery", url("jquery", "jquery.min.js"))]
MAP_CSS = [("leaflet_css", url("leaflet", "leaflet.css"))]
CLUSTER_JS = [("markerclusterjs", url("leaflet.markercluster", "leaflet.markercluster.js"))]
CLUSTER_CSS = [
    ("markerclustercss", url("leaflet.markercluster", "MarkerCluster.css")),
    ("markerclusterdefaultcss", url("leaflet.markercluster", "MarkerCluster.Default.css")),
]
ICON_IMAGE_PATH = url("leaflet", "images/")


def all_urls() -> list[str]:
    """Every asset URL a map may reference."""
    return [u for _, u in MAP_JS + MAP_CSS + CLUSTER_JS + CLUSTER_CSS]


MAP_STYLE = """
.leaflet-container { background: #dbe7f0; font-family: "Noto Sans CJK JP", "Noto Sans JP",
  "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif; }
.leaflet-interactive:focus { outline: none; }
.govmap-popup { font-size: 13px; line-height: 1.5; }
.govmap-id { color: #666; font-size: 11px; }
.govmap-legend { background: rgba(255,255,255,.92); padding: 6px 8px; font-size: 12px; line-height: 1.5;
  border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 260px; overflow-y: auto; }
.govmap-label-icon { background: none; border: none; }
.govmap-label { position: absolute; transform: translate(-50%, -50%); white-space: nowrap; color: #334155;
  font-size: 11px; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; pointer-events: none; }
.govmap-label-pref { font-size: 13px; font-weight: 600; color: #1e293b; }
.govmap-legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; }
"""


class Literal(Element):
    """Finished HTML/JavaScript that is inserted as it is: never compiled as a template."""

    def __init__(self, text: str):
        super().__init__()
        self._text = str(text)

    def render(self, **kwargs) -> str:
        return self._text


class DataOnly:
    """Mixin for the map elements: render each macro once, hand the result on as a ``Literal``.

    The same steps as branca ``MacroElement.render`` (and folium ``Layer.render``, which adds the
    ``addTo(map)`` call, and ``JSCSSMixin.render`` for the asset links), except that the macro output is not wrapped in ``Element(text)`` (a second Jinja
    compilation; module doc)."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
        assert not getattr(self, "includes", None), "folium Class.includes is not supported here"
        if isinstance(self, Layer) and self.show:  # what folium's Layer.render adds: put it on the map
            self.add_child(ElementAddToElement(element_name=self.get_name(),
                                               element_parent_name=self._parent.get_name()),
                           name=self.get_name() + "_add")
        if isinstance(self, JSCSSMixin):
            for name, link in self.default_js:
                figure.header.add_child(JavascriptLink(link), name=name)
            for name, link in self.default_css:
                figure.header.add_child(CssLink(link), name=name)
        for child in self._children.values():
            child.render(**kwargs)
        macros = self._template.module.__dict__
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            if (macro := macros.get(part)) is not None:
                target.add_child(Literal(macro(self, kwargs)), name=self.get_name())


class OfflineMap(folium.Map):
    """folium.Map with Leaflet and jQuery from /app/static (no Bootstrap, Font Awesome or CDN)."""

    default_js = MAP_JS
    default_css = MAP_CSS


class OfflineMarkerCluster(MarkerCluster):
    """folium's MarkerCluster with Leaflet.markercluster from /app/static."""

    default_js = CLUSTER_JS
    default_css = CLUSTER_CSS


class OrgCluster(DataOnly, OfflineMarkerCluster):
    """Organisation circle markers in one client-side cluster, built from one compact JSON array
    (like folium's FastMarkerCluster, but UTF-8 JSON and popups as DOM nodes so st_folium can read
    their text).  Rows: [lat, lon, colour index, tooltip html, popup html]."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function () {
                var rows = {{ this.rows_json }};
                var style = {{ this.style_json }};
                var colours = {{ this.palette_json }};
                var markers = rows.map(function (r) {
                    var marker = L.circleMarker([r[0], r[1]], Object.assign({}, style, {fillColor: colours[r[2]]}));
                    marker.bindTooltip(r[3], {direction: "top"});
                    var box = document.createElement("div");
                    box.innerHTML = r[4];
                    marker.bindPopup(box, {maxWidth: 340});
                    return marker;
                });
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                cluster.addLayers(markers);
                return cluster;
            })();
        {% endmacro %}
    """)

    def __init__(self, rows: list, palette: list[str]):
        super().__init__(name="orgs", control=False, show_coverage_on_hover=False, max_cluster_radius=50,
                         spiderfy_on_max_zoom=True, chunked_loading=True)
        self._name = "OrgCluster"
        self.rows_json, self.palette_json = script_json(rows), script_json(palette)
        self.style_json = script_json({"radius": 7, "color": "#ffffff", "weight": 1.5, "fillOpacity": 0.9,
                                    "className": "govmap-org"})


class Setup(DataOnly, MacroElement):
    """Map-wide CSS, and Leaflet's default icon path (it cannot guess it: FIELD-NOTES)."""

    _template = Template("""
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}
            L.Icon.Default.imagePath = {{ this.image_path|tojson }};
            if (!window.govmapVendorLinks) {
                window.govmapVendorLinks = true;
                // A popup's vendor link is relative to the app's pages ("vendor?org=..."): resolve it
                // against the app page around this iframe (same origin), keep that page's shortlist
                // and note (sl, note), and open it there.  Capture phase: Leaflet stops clicks in popups.
                document.addEventListener("click", function (event) {
                    var link = event.target && event.target.closest ? event.target.closest("a.govmap-vendor-link") : null;
                    if (!link) { return; }
                    try {
                        var here = new URL(window.parent.location.href);
                        var target = new URL(link.getAttribute("href"), here);
                        if (target.origin !== here.origin) { return; }
                        ["sl", "note"].forEach(function (key) {
                            var value = here.searchParams.get(key);
                            if (value && !target.searchParams.has(key)) { target.searchParams.set(key, value); }
                        });
                        event.preventDefault();
                        event.stopPropagation();
                        // Streamlit sandboxes component iframes without allow-top-navigation, so the
                        // iframe may not navigate the app's tab itself: a link in the app's own
                        // document does (same origin: allow-same-origin gives access to it).
                        var doc = window.parent.document;
                        var go = doc.createElement("a");
                        go.href = target.href;
                        go.style.display = "none";
                        doc.body.appendChild(go);
                        go.click();
                        go.remove();
                    } catch (error) { /* no access to the page around the map: the plain link */ }
                }, true);
            }
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "GovmapSetup"
        self.css, self.image_path = MAP_STYLE, ICON_IMAGE_PATH


class Boundaries(DataOnly, Layer):
    """The bundled prefecture outlines (data/boundaries/prefectures.geojson)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJson({{ this.data_json }}, {
                style: {{ this.style_json }},
                attribution: {{ this.attribution_json }},
                onEachFeature: function (feature, layer) {
                    layer.bindTooltip(feature.properties.tip, {sticky: true});
                }
            });
        {% endmacro %}
    """)

    def __init__(self, filled: bool):
        super().__init__(name="prefectures", control=False)
        self._name = "Boundaries"
        self.data_json, self.attribution_json = _boundaries_json(), script_json(BOUNDARY_ATTRIBUTION)
        self.style_json = script_json({"color": "#7d8fa3", "weight": 1, "fillColor": "#ffffff",
                                    "fillOpacity": 1.0 if filled else 0.0})


class Circles(DataOnly, Layer):
    """Circle markers from one compact array: [lat, lon, radius, colour, tooltip html, popup html]."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function () {
                var rows = {{ this.rows_json }};
                var style = {{ this.style_json }};
                var group = L.featureGroup();
                rows.forEach(function (r) {
                    var circle = L.circleMarker([r[0], r[1]],
                        Object.assign({}, style, {radius: r[2], fillColor: r[3]}));
                    circle.bindTooltip(r[4], {direction: "top"});
                    var box = document.createElement("div");
                    box.innerHTML = r[5];
                    circle.bindPopup(box, {maxWidth: 340});
                    group.addLayer(circle);
                });
                return group;
            })();
        {% endmacro %}
    """)

    def __init__(self, rows: list, name: str, style: dict | None = None):
        super().__init__(name=name, control=False)
        self._name = "Circles"
        self.rows_json = script_json(rows)
        self.style_json = script_json(style or {"color": "#ffffff", "weight": 1, "fillOpacity": 0.65,
                                                "className": "govmap-" + name})


class FitBounds(DataOnly, MacroElement):
    """Fit the first view to ``bounds`` ([[south, west], [north, east]]), zoomed in at most to ``max_zoom``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.fitBounds({{ this.bounds_json }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, bounds: list, max_zoom: int, padding: int = 24):
        super().__init__()
        self._name = "FitBounds"
        self.bounds_json = script_json([[float(v) for v in corner] for corner in bounds])
        self.options_json = script_json({"maxZoom": int(max_zoom), "padding": [int(padding), int(padding)]})


class PlaceLabels(DataOnly, Layer):
    """Place names for a map without tiles: prefectures from ``pref_zoom``, municipalities from
    ``muni_zoom``, only those in view (at most ``max_labels``, rows in order of importance).
    Rows: [lat, lon, name]; names are set as text (``textContent``), never parsed as HTML.  The
    labels sit in their own pane above the outlines and circles (which stay clickable: the pane takes no clicks)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function () {
                var prefs = {{ this.prefs_json }};
                var munis = {{ this.munis_json }};
                var opts = {{ this.options_json }};
                var group = L.layerGroup();
                var map = null;
                function label(r, kind) {
                    var el = document.createElement("span");
                    el.className = "govmap-label govmap-label-" + kind;
                    el.textContent = r[2];
                    var icon = L.divIcon({html: el, className: "govmap-label-icon", iconSize: null});
                    return L.marker([r[0], r[1]], {icon: icon, interactive: false, keyboard: false, pane: "govmapLabels"});
                }
                function draw() {
                    group.clearLayers();
                    var zoom = map.getZoom();
                    var kind = zoom >= opts.muni_zoom ? "muni" : (zoom >= opts.pref_zoom ? "pref" : null);
                    if (!kind) { return; }
                    var rows = kind === "muni" ? munis : prefs;
                    var view = map.getBounds().pad(0.05);
                    for (var i = 0, n = 0; i < rows.length && n < opts.max_labels; i++) {
                        if (view.contains([rows[i][0], rows[i][1]])) { group.addLayer(label(rows[i], kind)); n++; }
                    }
                }
                group.on("add", function () {
                    map = group._map;
                    if (!map.getPane("govmapLabels")) {
                        var pane = map.createPane("govmapLabels");
                        pane.style.zIndex = 450;  // above the filled outlines (overlay pane, 400), under tooltips and popups
                        pane.style.pointerEvents = "none";
                    }
                    map.on("zoomend moveend", draw);
                    draw();
                });
                return group;
            })();
        {% endmacro %}
    """)

    def __init__(self, prefs_json: str, munis_json: str, pref_zoom: int, muni_zoom: int, max_labels: int):
        super().__init__(name="place_labels", control=False)
        self._name = "PlaceLabels"
        self.prefs_json, self.munis_json = prefs_json, munis_json
        self.options_json = script_json({"pref_zoom": int(pref_zoom), "muni_zoom": int(muni_zoom),
                                         "max_labels": int(max_labels)})


class Legend(DataOnly, MacroElement):
    """A bottom-right box; ``html`` must already be escaped."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function () {
                var legend = L.control({position: "bottomright"});
                legend.onAdd = function () {
                    var div = L.DomUtil.create("div", "govmap-legend");
                    div.innerHTML = {{ this.html_json }};
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                };
                legend.addTo({{ this._parent.get_name() }});
            })();
        {% endmacro %}
    """)

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html_json = script_json(html)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_TEMPLATE_CHARS = re.compile(r"[{}%]")
_TEMPLATE_ESCAPES = {"{": "\\u007b", "}": "\\u007d", "%": "\\u0025"}


def script_json(value: object) -> str:
    """JSON to paste into a <script>: compact UTF-8 (Japanese stays 3 bytes a character, not a
    6-byte \\u escape).  ``</`` becomes ``<\\/`` and ``<!--`` ``\\u003c!--``, so no string can end the
    script element or open an HTML comment in it (vendor text is entity-escaped before this anyway).
    Inside strings ``{ } %`` become ``\\u007b \\u007d \\u0025``: no Jinja delimiter in any data (module
    doc); JSON's own braces never form one (an object opens with ``{"`` or ``{}``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if "{" in text or "%" in text:
        text = _JSON_STRING.sub(lambda m: _TEMPLATE_CHARS.sub(lambda c: _TEMPLATE_ESCAPES[c.group()], m.group()),
                                text)
    return (text.replace("</", "<\\/").replace("<!--", "\\u003c!--")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def _boundaries_json() -> str:
    return script_json(prefecture_boundaries())


@lru_cache(maxsize=1)
def prefecture_boundaries() -> dict:
    """The bundled outlines, each feature with an escaped tooltip ``tip`` (prefecture name)."""
    data = json.loads(BOUNDARIES_PATH.read_text(encoding="utf-8"))
    features = [{**f, "properties": {**f["properties"], "tip": escape.js_template_html(f["properties"]["name_ja"])}}
                for f in data["features"]]
    return {"type": "FeatureCollection", "features": features}
