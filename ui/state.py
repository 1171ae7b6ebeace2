"""Page state in the URL query string, so a search can be shared as a link and survives a reload.

Parameters: q (query), cat, region, pref, type, flag (comma-separated), adopted=1,
loc=located|unlocated, layer=orgs|adoptions, org (selected vendor), sl (shortlist ids), lang.
Values are validated on the way in: unknown codes are dropped, never trusted.
"""

from __future__ import annotations

import streamlit as st

from govmap.facets import FLAG_COLUMNS, ORG_TYPES, REGIONS, Filters
from govmap.normalize import boundary

MAX_PARAM = 500
LAYERS = ("orgs", "adoptions")


def _param(name: str) -> str:
    return boundary(st.query_params.get(name, ""))[:MAX_PARAM]


def _list(name: str, allowed: set[str] | tuple[str, ...] | None = None) -> list[str]:
    values = [v for v in _param(name).split(",") if v]
    return [v for v in dict.fromkeys(values) if allowed is None or v in allowed]


def read_filters(category_codes: list[str], prefecture_names: list[str]) -> Filters:
    loc = _param("loc")
    return Filters(
        categories=_list("cat", set(category_codes)), regions=_list("region", REGIONS),
        prefectures=_list("pref", set(prefecture_names)), org_types=_list("type", ORG_TYPES),
        flags=_list("flag", FLAG_COLUMNS), has_adoptions=_param("adopted") == "1",
        location=loc if loc in ("located", "unlocated") else "all")


def read_query() -> str:
    return _param("q")


def read_layer() -> str:
    layer = _param("layer")
    return layer if layer in LAYERS else "orgs"


def read_selected() -> str:
    return _param("org")


def write(query: str, filters: Filters, layer: str, selected: str = "") -> None:
    """Mirror the current state into the URL (only non-default values, to keep links short)."""
    wanted = {
        "q": query, "cat": ",".join(filters.categories), "region": ",".join(filters.regions),
        "pref": ",".join(filters.prefectures), "type": ",".join(filters.org_types),
        "flag": ",".join(filters.flags), "adopted": "1" if filters.has_adoptions else "",
        "loc": "" if filters.location == "all" else filters.location,
        "layer": "" if layer == "orgs" else layer, "org": selected,
    }
    for key, value in wanted.items():
        if value and st.query_params.get(key) != value:
            st.query_params[key] = value
        elif not value and key in st.query_params:
            del st.query_params[key]


# -- shortlist (session state, mirrored in ?sl=) -------------------------------------------------
def shortlist(known_ids: set[str]) -> list[str]:
    if "shortlist" not in st.session_state:
        st.session_state["shortlist"] = _list("sl", known_ids)
    return [i for i in st.session_state["shortlist"] if i in known_ids]


def set_shortlist(ids: list[str]) -> None:
    ids = list(dict.fromkeys(ids))
    st.session_state["shortlist"] = ids
    if ids:
        st.query_params["sl"] = ",".join(ids)
    elif "sl" in st.query_params:
        del st.query_params["sl"]


def add_to_shortlist(org_id: str, known_ids: set[str]) -> None:
    set_shortlist(shortlist(known_ids) + [org_id])
