"""地図で探す: one search box, facets with counts, the map and the result list (one set of rows)."""

import hashlib

import streamlit as st

from govmap import escape, i18n, settings
from govmap.maps import mapview
from govmap.finder.facets import FLAG_COLUMNS, ORG_TYPES, REGIONS, Filters
from ui import buyer, context, searchmap, state

cat = context.require_catalog()
b = buyer.browser(cat)
t = context.t
lang = context.lang()
labels = b.category_labels(lang)
pref_names = list(b.prefectures["pref_name"])


# Links hold codes; labels in either language (older links) are mapped back to them.
aliases = b.places.url_aliases()
aliases["cat"] = {label: code for lg in ("ja", "en") for code, label in b.category_labels(lg).items()}
aliases["type"] = {i18n.t(f"org_type.{o}", lg): o for lg in ("ja", "en") for o in ORG_TYPES}
aliases["flag"] = {i18n.t(f"flag.{f}", lg): f for lg in ("ja", "en") for f in FLAG_COLUMNS}
aliases = {name: {**m, **{k.lower(): v for k, v in m.items()}} for name, m in aliases.items()}
url_filters = state.read_filters(list(labels), pref_names, aliases)
# Widget values are codes, kept by ui.state.keep (labels change with the language and the counts).
state.keep("q", state.read_query(), str)
state.keep("f_cat", url_filters.categories, state.some_of(labels))
state.keep("f_region", url_filters.regions, state.some_of(REGIONS))
state.keep("f_pref", url_filters.prefectures, state.some_of(pref_names))
state.keep("f_type", url_filters.org_types, state.some_of(ORG_TYPES))
state.keep("f_flags", url_filters.flags, state.some_of(FLAG_COLUMNS))
state.keep("f_adopted", url_filters.has_adoptions, bool)
state.keep("f_loc", url_filters.location, state.one_of(state.LOCATIONS))
state.keep("layer", state.read_layer(), state.one_of(state.LAYERS))

st.title(t("search.title"))
query = st.text_input(t("search.box"), key="q", placeholder=t("search.placeholder"), max_chars=200)
filters = Filters(categories=st.session_state["f_cat"], regions=st.session_state["f_region"],
                  prefectures=st.session_state["f_pref"], org_types=st.session_state["f_type"],
                  flags=st.session_state["f_flags"], has_adoptions=st.session_state["f_adopted"],
                  location=st.session_state["f_loc"])
result = b.run(query, filters)
counts = result.counts

with st.sidebar:
    st.header(t("facet.header"))
    st.multiselect(t("facet.categories"), list(labels), key="f_cat", placeholder=t("common.choose"),
                   format_func=lambda c: f"{labels[c]} ({counts['categories'].get(c, 0)})")
    st.multiselect(t("facet.regions"), list(REGIONS), key="f_region", placeholder=t("common.choose"),
                   format_func=lambda r: f"{b.places.region(r, lang)} ({counts['regions'].get(r, 0)})")
    st.multiselect(t("facet.prefectures"), pref_names, key="f_pref", placeholder=t("common.choose"),
                   format_func=lambda p: f"{b.places.prefecture(p, lang)} ({counts['prefectures'].get(p, 0)})")
    st.multiselect(t("facet.org_types"), list(ORG_TYPES), key="f_type", placeholder=t("common.choose"),
                   format_func=lambda o: f"{t('org_type.' + o)} ({counts['org_types'].get(o, 0)})")
    st.multiselect(t("facet.flags"), list(FLAG_COLUMNS), key="f_flags", placeholder=t("common.choose"), help=t("facet.flags_help"),
                   format_func=lambda f: f"{t('flag.' + f)} ({counts['flags'][f]})")
    st.checkbox(f"{t('facet.has_adoptions')} ({counts['has_adoptions']['yes']})", key="f_adopted")
    st.radio(t("facet.location"), ("all", "located", "unlocated"), key="f_loc",
             format_func=lambda v: t(f"facet.location.{v}") + ("" if v == "all" else f" ({counts['location'][v]})"))

state.write(query, filters, st.session_state["layer"], state.read_selected())
st.caption(escape.markdown_text(t("search.results", n=f"{len(result):,}", total=f"{result.total:,}")))
if result.mode in ("all_words", "any_word"):
    st.info(t(f"search.mode.{result.mode}"))

layer = st.segmented_control(t("layer.label"), ("orgs", "adoptions"), key="layer",
                             format_func=lambda v: t(f"layer.{v}")) or "orgs"


def build_map():
    """Only the columns the map uses, and adoptions only for the adoptions layer (docs/benchmarks.md)."""
    located = result.located(lang=lang)
    adopters = b.adopter_points(result.org_ids()) if layer == "adoptions" else None
    if adopters is not None and lang == "en":  # adopting municipalities in romaji (govmap.places)
        adopters["adopter_name"] = [b.places.adopter(n, c, lang) for n, c in zip(adopters["adopter_name"], adopters["adopter_code"])]
    return mapview.build_map(located, adopters, layer=layer, lang=lang,
                             category_labels=labels, marker_limit=marker_limit, tiles=tiles)


# Built only when its inputs change: same catalog build, rows, layer, language, settings (ui/searchmap.py).
marker_limit, tiles = settings.get("map_marker_limit"), settings.get("map_tiles")
map_inputs = searchmap.inputs_key(str(cat.path), cat.identity, result.rows, layer, lang, marker_limit, tiles)
clicked = searchmap.show(map_inputs, build_map, key="map", height=520, returned_objects=["last_object_clicked_popup"])
selected = mapview.selected_org_id(clicked) if clicked else None

unlocated = result.unlocated_names()
if len(unlocated):
    with st.expander(t("search.unlocated", n=len(unlocated))):
        st.text("\n".join(escape.plain(n) for n in unlocated))

if not len(result):
    st.warning(t("search.none"))
    st.stop()

shown = int(settings.get("search_result_limit"))
if len(result) > shown:
    st.caption(t("search.showing", shown=shown, n=f"{len(result):,}"))
ids = result.org_ids(shown)
# The table and the picker belong to this query and these filters: a new search gives a fresh
# table (no row selected) and a picker over its results, never the previous query's vendor.
results_id = hashlib.sha1(repr((query, filters.as_dict())).encode()).hexdigest()[:12]
event = st.dataframe(buyer.display_frame(result.frame(shown), b), hide_index=True, key=f"results_{results_id}",
                     on_select="rerun", selection_mode="single-row",
                     column_config={"org_id": None, t("col.website"): st.column_config.LinkColumn()})
pick_key = f"search_pick_{results_id}"
for stale in [k for k in st.session_state if str(k).startswith("search_pick_") and k != pick_key]:
    del st.session_state[stale]  # pickers of earlier result sets
if pick_key not in st.session_state and state.read_selected() in ids:
    st.session_state[pick_key] = state.read_selected()  # a shared link's ?org=
# Only a new click counts (the map and the table report their last click on every rerun).
row = event.selection.rows[0] if event.selection.rows else None
for source, value in (("table", ids[row] if row is not None and row < len(ids) else None), ("map", selected)):
    seen = f"search_seen_{source}"
    if value != st.session_state.get(seen):
        st.session_state[seen] = value
        if value in b.row_of and value in set(result.org_ids()):
            st.session_state[pick_key] = value
current = st.session_state.get(pick_key)
if current in b.row_of and current not in ids and current in set(result.org_ids()):
    ids.insert(0, current)  # clicked on the map beyond the listed rows
names = {i: b.index.names_ja[b.row_of[i]] for i in ids}
pick = buyer.pick_and_act(ids, names, None, b, key="search", pick_key=pick_key)
state.write_selected(pick)

# Every match goes into the downloads, built only when one is clicked (not on every rerun).
buyer.export_buttons(lambda lang=lang: buyer.display_frame(result.orgs, b, lang), query, filters.as_dict(), b,
                     key="export_results", name="govtech-search")
