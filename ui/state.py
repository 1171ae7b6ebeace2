"""Page state in the URL query string, so a search can be shared as a link and survives a reload.

Parameters: q (query), cat, region, pref, type, flag (comma-separated), adopted=1,
loc=located|unlocated, layer=orgs|adoptions, org (selected vendor), sl (shortlist ids),
note (the shortlist's 選定理由 note), lang; kinds=all on the market-share pages (count every adoption
kind, not only contracts and joint procurements).
Values are validated on the way in: unknown codes are dropped, never trusted.  Every stored value
is a code (category code, region and prefecture as in the catalog, ``located``), never a label in
the UI language, so switching the language never changes a result; an old link holding a label
(``loc=すべて``, ``region=Kanto``) still opens the same search.

Widget values: Streamlit 1.67 keeps a keyed select widget's value as its *formatted label* in the
browser and decodes it with the labels of the previous run.  When the labels change (language, or
the counts in the facet labels) the browser would send back a label that no longer decodes and the
widget would silently fall back to its raw label or default.  ``keep`` holds each widget's code
value in the session under ``keep.<key>`` and hands it back to the widget on every run, so the
browser always holds the label of the current run, and the value also survives a visit to another
page.  The shortlist and its note live in the session and, on every page, in the URL (``carry``).
"""

from __future__ import annotations

import re
from typing import Any, Callable

import streamlit as st

from govmap.finder import buyer_messages  # noqa: F401  (registers the messages used here and by the pages)
from govmap.finder.facets import FLAG_COLUMNS, ORG_TYPES, REGIONS, Filters
from govmap.normalize import boundary

MAX_PARAM = 500
MAX_SHORTLIST = 50      # organisations in one shortlist (keeps the link short)
NOTE_LIMIT = 500        # characters of the 選定理由 note (≈ 4.5 KB in a URL: safe for proxies and browsers)
LAYERS = ("orgs", "adoptions")
ALL_KINDS = "all"       # ?kinds=all (the one value; the default, market kinds only, is no parameter)
LOCATIONS = ("all", "located", "unlocated")
_COUNT = re.compile(r"\s*\(\d[\d,]*\)$")
_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")
# Labels an old link may hold instead of the code (the location radio once stored its label).
_LOCATION_LABELS = {"すべて": "all", "all": "all", "地図に表示できる": "located", "located": "located",
                    "所在地不明": "unlocated", "unlocated": "unlocated"}


def _param(name: str, limit: int = MAX_PARAM) -> str:
    return boundary(st.query_params.get(name, ""))[:limit]


def _list(name: str, allowed: set[str] | tuple[str, ...] | None = None, aliases: dict[str, str] | None = None,
          limit: int = MAX_PARAM) -> list[str]:
    values = [v.strip() for v in _param(name, limit).split(",") if v.strip()]
    if aliases:  # a label, possibly with the facet count the old links carried: "GIS・地図 (6)"
        values = [_COUNT.sub("", v) for v in values]
        values = [aliases.get(v, aliases.get(v.lower(), v)) for v in values]
    return [v for v in dict.fromkeys(values) if allowed is None or v in allowed]


def read_filters(category_codes: list[str], prefecture_names: list[str],
                 aliases: dict[str, dict[str, str]] | None = None) -> Filters:
    """Filters from the URL. ``aliases`` maps other spellings to codes per parameter (e.g. English
    region and prefecture names from the gazetteer), so links made from labels still work."""
    aliases = aliases or {}
    loc = _param("loc")
    loc = _LOCATION_LABELS.get(loc, _LOCATION_LABELS.get(loc.lower(), "all"))
    return Filters(
        categories=_list("cat", set(category_codes), aliases.get("cat")),
        regions=_list("region", REGIONS, aliases.get("region")),
        prefectures=_list("pref", set(prefecture_names), aliases.get("pref")),
        org_types=_list("type", ORG_TYPES, aliases.get("type")), flags=_list("flag", FLAG_COLUMNS, aliases.get("flag")),
        has_adoptions=_param("adopted") == "1", location=loc)


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
        _mirror(key, value)


def write_selected(org_id: str) -> None:
    _mirror("org", org_id)


def write_param(key: str, value: str) -> None:
    """Put one page parameter into the URL (removed when empty), e.g. ``cmp`` or ``print``."""
    _mirror(key, value)


def _mirror(key: str, value: str) -> None:
    if value and st.query_params.get(key) != value:
        st.query_params[key] = value
    elif not value and key in st.query_params:
        del st.query_params[key]


# -- widget values as codes ------------------------------------------------------------------------
def keep(key: str, initial: Any, check: Callable[[Any], Any]) -> Any:
    """The code value of the widget ``key``, kept across label changes and pages (see the module doc).

    ``initial`` is used the first time (usually from the URL); ``check`` turns what the widget
    reported in the last run into a valid code value, or raises ValueError to keep the previous one.
    Call before the widget is created; create the widget with the same ``key`` and no default."""
    store = f"keep.{key}"
    if store not in st.session_state:
        st.session_state[store] = initial
    if key in st.session_state:  # reported by the widget in the last run, decoded with that run's labels
        try:
            st.session_state[store] = check(st.session_state[key])
        except (ValueError, TypeError):
            pass
    st.session_state[key] = st.session_state[store]  # the browser gets this run's label for it
    return st.session_state[store]


def one_of(options) -> Callable[[Any], Any]:
    allowed = list(options)

    def check(value):
        if value not in allowed:
            raise ValueError(value)
        return value
    return check


def some_of(options) -> Callable[[Any], list]:
    allowed = set(options)

    def check(values):
        if not isinstance(values, (list, tuple)) or any(v not in allowed for v in values):
            raise ValueError(values)
        return list(dict.fromkeys(values))
    return check


def kept(key: str, default: Any = None) -> Any:
    """A kept widget value from any page (e.g. the search query on the shortlist page)."""
    return st.session_state.get(f"keep.{key}", st.session_state.get(key, default))


# -- shortlist and its note (session state, mirrored in ?sl= and ?note= on every page) ----------------
def _clean_ids(values) -> list[str]:
    return [v for v in dict.fromkeys(values) if _ID.match(v)][:MAX_SHORTLIST]


def clean_note(value: object) -> str:
    return boundary(value)[:NOTE_LIMIT]


def carry() -> None:
    """On every page: take the shortlist and note from the URL the first time (a shared link), and
    put them back into the URL on every run, so sidebar navigation, reload and a copied link keep them."""
    if "shortlist" not in st.session_state:
        st.session_state["shortlist"] = _clean_ids(_list("sl", limit=MAX_SHORTLIST * 101))
    if "shortlist_note" not in st.session_state:
        st.session_state["shortlist_note"] = clean_note(st.query_params.get("note", ""))
    _mirror("sl", ",".join(st.session_state["shortlist"]))
    _mirror("note", st.session_state["shortlist_note"])


def shortlist(known_ids: set[str]) -> list[str]:
    if "shortlist" not in st.session_state:
        carry()
    return [i for i in st.session_state["shortlist"] if i in known_ids]


def set_shortlist(ids: list[str]) -> None:
    st.session_state["shortlist"] = _clean_ids(ids)
    _mirror("sl", ",".join(st.session_state["shortlist"]))


def add_to_shortlist(org_id: str, known_ids: set[str]) -> bool:
    """Add one organisation; False (nothing changed) when the list is full."""
    current = shortlist(known_ids)
    if org_id not in current and len(current) >= MAX_SHORTLIST:
        return False
    set_shortlist(current + [org_id])
    return True


def note() -> str:
    if "shortlist_note" not in st.session_state:
        carry()
    return st.session_state["shortlist_note"]


def set_note(text: str) -> None:
    st.session_state["shortlist_note"] = clean_note(text)
    _mirror("note", st.session_state["shortlist_note"])

# -- pages with their own parameters (codes only, never translated labels) -------------------------
def read_choice(name: str, allowed, default: str | None = None) -> str | None:
    """One code from ?name=, or ``default`` when it is missing or not one of ``allowed``."""
    value = _param(name)
    return value if value in allowed else default


def read_choices(name: str, allowed) -> list[str]:
    """Comma-separated codes from ?name=, unknown ones dropped."""
    return _list(name, set(allowed))


def read_all_kinds() -> bool:
    """``?kinds=all``: the market-share pages count every adoption kind (absent: contracts and joint
    procurements only, govmap.finder.adoption_kinds.MARKET_KINDS).  Any other value is dropped."""
    return read_choice("kinds", (ALL_KINDS,)) == ALL_KINDS


def write_all_kinds(on: bool) -> None:
    _mirror("kinds", ALL_KINDS if on else "")


def write_params(values: dict[str, str | list[str] | None]) -> None:
    """Mirror a page's state into the URL: empty values are removed, lists are comma-joined."""
    for key, value in values.items():
        text = ",".join(value) if isinstance(value, (list, tuple)) else (value or "")
        if text and st.query_params.get(key) != text:
            st.query_params[key] = text
        elif not text and key in st.query_params:
            del st.query_params[key]
