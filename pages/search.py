"""地図で探す: one search box, facets with counts, the map and the result list (one set of rows)."""

import streamlit as st
from streamlit_folium import st_folium

from govmap import escape, mapview, settings
from govmap.facets import FLAG_COLUMNS, ORG_TYPES, REGIONS, Filters
from ui import buyer, context, state

cat = context.require_catalog()
b = buyer.browser(cat)
t = context.t
lang = context.lang()
labels = b.category_labels(lang)
pref_names = list(b.prefectures["pref_name"])


def init(key, value):
    if key not in st.session_state:
        st.session_state[key] = value


url_filters = state.read_filters(list(labels), pref_names)
init("q", state.read_query())
init("f_cat", url_filters.categories)
init("f_region", url_filters.regions)
init("f_pref", url_filters.prefectures)
init("f_type", url_filters.org_types)
init("f_flags", url_filters.flags)
init("f_adopted", url_filters.has_adoptions)
init("f_loc", url_filters.location)
init("layer", state.read_layer())

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
                   format_func=lambda r: f"{r} ({counts['regions'].get(r, 0)})")
    st.multiselect(t("facet.prefectures"), pref_names, key="f_pref", placeholder=t("common.choose"),
                   format_func=lambda p: f"{p} ({counts['prefectures'].get(p, 0)})")
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
# Only the columns the map uses, and adoptions only for the adoptions layer (docs/benchmarks.md).
located = result.located()
adopters = b.adopter_points(result.org_ids()) if layer == "adoptions" else None
fmap = mapview.build_map(located, adopters, layer=layer, lang=lang,
                         category_labels=labels, marker_limit=settings.get("map_marker_limit"),
                         tiles=settings.get("map_tiles"))
clicked = st_folium(fmap, key="map", height=520, use_container_width=True,
                    returned_objects=["last_object_clicked_popup"])
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
st.dataframe(buyer.display_frame(result.frame(shown), b), hide_index=True, key="results",
             column_config={"org_id": None, t("col.website"): st.column_config.LinkColumn()})

ids = result.org_ids(shown)
if selected in b.row_of and selected not in ids:
    ids.insert(0, selected)
names = {i: b.index.names_ja[b.row_of[i]] for i in ids}
buyer.pick_and_act(ids, names, selected, b, key="search")

# Every match goes into the downloads, built only when one is clicked (not on every rerun).
buyer.export_buttons(lambda lang=lang: buyer.display_frame(result.orgs, b, lang), query, filters.as_dict(), b,
                     key="export_results", name="govtech-search")
