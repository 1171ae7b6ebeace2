"""The search page's map, built only when its inputs change (docs/benchmarks.md, "Many buyers at once").

Building the folium map and turning it into st_folium's component arguments (the Leaflet script
and HTML, ~0.4–0.7 MB) was the largest part of a search update's own CPU.  Here
the finished arguments are kept per input -- the catalog build, the result set (its rows in order),
the layer, the language and the map settings -- in a process-wide cache shared by all sessions:
a facet click or search that leaves the result set unchanged, a language round trip or a second
buyer with the same view costs no map work.  The message is identical to the one the browser
has, so Streamlit sends a reference to the browser's cached copy instead of the 0.6 MB again.

``show`` replaces ``st_folium(fmap, ...)``: it computes the same arguments st_folium 0.27.4
computes (its own helper functions, checked against st_folium itself by
tests/test_search_map_cache.py) and calls the same component.
"""

from __future__ import annotations

import hashlib
from typing import Callable

import folium
import streamlit as st
import streamlit_folium as stf

CACHE_ENTRIES = 48  # ~0.4–1 MB each
builds = 0  # maps built by this process (tests and benchmarks read it)


def map_args(fmap: folium.Map, returned_objects: list[str]) -> dict:
    """st_folium's component arguments for ``fmap`` (streamlit-folium 0.27.4, render=True, no
    feature groups, no layer control, no drawing plugins), without the widget key and size."""
    fmap.get_root().render()
    fmap.render()
    html = stf._get_html(fmap)
    header = stf._get_header(fmap)
    leaflet = stf._get_map_string(fmap)
    try:
        bounds = fmap.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    defaults = {"last_object_clicked_popup": None, "bounds": {
        "_southWest": {"lat": bounds[0][0], "lng": bounds[0][1]},
        "_northEast": {"lat": bounds[1][0], "lng": bounds[1][1]}}, "zoom": fmap.options.get("zoom")}
    css_links: list[str] = []
    js_links: list[str] = []
    for elem in _walk(fmap):
        css_links.extend(href for _, href in getattr(elem, "default_css", []))
        js_links.extend(src for _, src in getattr(elem, "default_js", []))
    return {"script": leaflet, "header": header, "html": html, "id": stf.get_full_id(fmap),
            "returned_objects": list(returned_objects),
            "default": {k: v for k, v in defaults.items() if k in returned_objects},
            "css_links": list(dict.fromkeys(css_links)), "js_links": list(dict.fromkeys(js_links))}


def _walk(element):
    import branca
    if isinstance(element, branca.colormap.ColorMap):
        raise ValueError("colour maps are not supported by ui.searchmap (st_folium adds CDN links for them)")
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _cached_args(inputs: str, returned: tuple[str, ...], key: str, _build: Callable[[], folium.Map]) -> tuple[dict, str]:
    global builds
    builds += 1
    args = map_args(_build(), list(returned))
    return args, stf.generate_js_hash(args["script"], key, False)  # as st_folium keys its component


def inputs_key(*parts) -> str:
    """A short digest of the map's inputs (numpy arrays by their bytes, the rest by repr)."""
    h = hashlib.sha1()
    for part in parts:
        h.update(part.tobytes() if hasattr(part, "tobytes") else repr(part).encode())
        h.update(b"\x00")
    return h.hexdigest()


def show(inputs: str, build: Callable[[], folium.Map], *, key: str, height: int,
         returned_objects: list[str]) -> dict | None:
    """Like ``st_folium(build(), key=key, height=height, use_container_width=True,
    returned_objects=returned_objects)``, but ``build`` runs only for inputs not seen recently."""
    args, hash_key = _cached_args(inputs, tuple(returned_objects), key, build)

    def on_change():
        st.session_state[key] = st.session_state.get(hash_key, {})

    return stf._component_func(**args, key=hash_key, height=height, width=None, zoom=None, center=None,
                               feature_group=None, return_on_hover=False, layer_control=None,
                               pixelated=False, on_change=on_change, wrap_longitude=False)
