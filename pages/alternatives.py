"""代替ベンダー検索: other organisations offering the categories of the vendor a buyer uses today,
ranked by govmap.lockin.analytics (weights in analytics.WEIGHTS), on a map and as a shortlistable,
exportable list.  The adoption components count contracts and joint procurements only, unless the
"count every kind" checkbox (?kinds=all) is on."""

import hashlib

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from govmap import escape, settings  # noqa: F401  (std.* messages)
from govmap.coresystems import standardisation
from govmap.finder import adoption_kinds
from govmap.lockin import analytics, analytics_map
from govmap.maps import mapview
from govmap.normalize import boundary
from ui import buyer, context, state

cat = context.require_catalog()
b = buyer.browser(cat)
t = context.t
lang = context.lang()
labels = b.category_labels(lang)
MAP_LIMIT = 100



def url_value(name: str, allowed) -> str | None:
    value = boundary(st.query_params.get(name, ""))[:100]
    return value if value in allowed else None


def index_of(options: list, value) -> int | None:
    return options.index(value) if value in options else None


def km(value: float) -> str:
    return t("common.unknown") if pd.isna(value) else f"{value:,.0f}"


an = buyer.analytics(cat)
st.title(t("alt.title"))
st.write(escape.markdown_text(t("alt.intro")))
codes = list(an.municipalities["code"])
muni = buyer.municipality_picker(codes, url_value("muni", set(codes)), key="alt_muni")
uses = an.current_uses(muni) if muni else b.adoptions.iloc[0:0]
if len(uses):
    items = " / ".join(f"{n}({labels.get(c, c)})" for n, c in zip(uses["org_name_ja"], uses["category"]))
    st.caption(escape.markdown_text(t("alt.current_uses", items=items)))
vendor_ids = list(b.orgs.sort_values("name_ja")["org_id"])
names = dict(zip(b.orgs["org_id"], b.orgs["name_ja"]))
default_vendor = url_value("org", set(vendor_ids)) or (uses["org_id"].iloc[0] if len(uses) else None)
vendor = st.selectbox(t("alt.vendor"), vendor_ids, index=index_of(vendor_ids, default_vendor),
                      format_func=lambda i: names[i], key="alt_vendor", placeholder="—")
if not muni or not vendor:
    st.info(t("alt.intro"))
    st.stop()

options = [""] + an.target_categories(vendor)
# The stored value is the category code (labels change with the language: ui.state.keep).
state.keep("alt_cat", url_value("cat", set(options)) or "", lambda c: c if c in options else "")
category = st.selectbox(t("alt.category"), options, key="alt_cat",
                        format_func=lambda c: labels.get(c, c) if c else t("alt.all_categories"))
radius = st.slider(t("an.radius"), 10, 300, 50, step=10, key="alt_radius")
all_kinds = buyer.all_kinds_checkbox("alt_all_kinds")
counted_kinds = adoption_kinds.KINDS if all_kinds else adoption_kinds.MARKET_KINDS
st.query_params.update({"muni": muni, "org": vendor})
if category:
    st.query_params["cat"] = category
elif "cat" in st.query_params:
    del st.query_params["cat"]
target = an.target_categories(vendor, category or None)
st.caption(escape.markdown_text(t("alt.target", cats=" / ".join(labels.get(c, c) for c in target))))
if "core_systems" in target:  # per 業務, only vendors with a conformant package: the 基幹業務・標準化 page
    lang_param = "&lang=en" if lang == "en" else ""
    core_link = f"[{escape.markdown_text(t('std.alt_link'))}](/core_systems?view=municipality&muni={muni}{lang_param})"
    st.markdown(core_link)
result = an.alternatives(vendor, muni, category or None, radius_km=radius, all_kinds=all_kinds)

with st.expander(t("alt.how")):
    st.write(escape.markdown_text(t("alt.how_text")))
    caps = {"adoptions": {"cap": analytics.SCALES["adoptions"]}, "nearby": {"cap": analytics.SCALES["nearby"]},
            "proximity": {"km": f"{analytics.SCALES['distance_km']:,.0f}"},
            "openness": {"n": len(analytics.OPENNESS_FLAGS)}}
    st.dataframe(pd.DataFrame({
        t("alt.component"): list(analytics.WEIGHTS), t("alt.weight"): list(analytics.WEIGHTS.values()),
        t("alt.meaning"): [t(f"alt.c.{k}", **caps.get(k, {})) for k in analytics.WEIGHTS]}), hide_index=True)

if result.empty:
    st.warning(t("alt.none"))
    st.stop()
st.caption(escape.markdown_text(t("alt.results", n=f"{len(result):,}")))
st.caption(t("an.caveat"))

home = an.municipality(muni)
top = result.head(MAP_LIMIT)
state.keep("alt_layer", "orgs", state.one_of(("orgs", "adoptions")))
layer = st.segmented_control(t("layer.label"), ("orgs", "adoptions"), key="alt_layer",
                             format_func=lambda v: t(f"layer.{v}")) or "orgs"
located = top[top["located"]].assign(hq_label=[buyer.hq_label(r) for r in top[top["located"]].to_dict("records")])
rows = analytics.counted(b.adoptions, all_kinds)  # the adoptions the ranking counted
rows = rows[rows["org_id"].isin(set(top["org_id"])) & rows["category"].isin(target)]
fmap = mapview.build_map(located, analytics.adopter_points(rows), layer=layer, lang=lang, category_labels=labels,
                         marker_limit=settings.get("map_marker_limit"), tiles=settings.get("map_tiles"))
analytics_map.add_home_marker(fmap, home["lat"], home["lon"], t("an.home", name=b.places.municipality_label(muni, lang)))
st.caption(escape.markdown_text(t("alt.map", n=len(top))))
clicked = st_folium(fmap, key="alt_map", height=480, use_container_width=True,
                    returned_objects=["last_object_clicked_popup"])
if (~top["located"]).any():
    st.caption(t("an.unlocated", n=int((~top["located"]).sum())))

short = {k: t(f"alt.short.{k}") for k in analytics.WEIGHTS}
table = pd.DataFrame({
    "org_id": result["org_id"], t("alt.col.rank"): result["rank"], t("alt.col.score"): result["score"],
    t("alt.col.breakdown"): [analytics.breakdown(r, short) for r in result.to_dict("records")],
    t("col.name"): result["name_ja"],
    t("col.type"): [t(f"org_type.{v}") if isinstance(v, str) else "" for v in result["org_type"]],
    t("col.hq"): [buyer.hq_label(r) for r in result.to_dict("records")],
    t("alt.col.shared"): [" / ".join(labels.get(c, c) for c in cs) for cs in result["shared_categories"]],
    t("an.col.distance"): result["distance_km"].map(km),
    t("col.adoptions"): result["n_adoptions"], t("alt.col.in_categories"): result["n_adoptions_in_categories"],
    t("alt.col.nearby"): result["nearby_adoptions"], t("alt.col.open_yes"): result["open_yes"],
    t("alt.col.open_no"): result["open_no"], t("alt.col.open_unknown"): result["open_unknown"],
    t("col.sources"): ["; ".join(u) for u in result["source_urls"]],
})
shown = int(settings.get("search_result_limit"))
if len(table) > shown:
    st.caption(t("search.showing", shown=shown, n=f"{len(table):,}"))
st.dataframe(table.head(shown), hide_index=True, key="alt_results", column_config={"org_id": None})

ids = list(result["org_id"].head(shown))
selected = mapview.selected_org_id(clicked) if clicked else None
# The picker belongs to this ranking (as on the search page): new inputs give a picker over the new
# list starting at its top candidate, never the vendor picked from an earlier ranking.
ranking_id = hashlib.sha1(repr((muni, vendor, category, radius, all_kinds)).encode()).hexdigest()[:12]
pick_key = f"alt_pick_{ranking_id}"
for stale in [k for k in st.session_state if str(k).startswith("alt_pick_") and k != pick_key]:
    del st.session_state[stale]
buyer.pick_and_act(ids, names, selected, b, key="alt", pick_key=pick_key)
buyer.export_buttons(table, f"{t('alt.title')}: {names[vendor]}",
                     {"municipality": an.municipality_label(muni), "vendor": vendor, "category": category,
                      "radius_km": radius, "kinds": "+".join(counted_kinds)},
                     b, key="alt_export", name="govtech-alternatives")

st.subheader(t("alt.openness"))
summary = an.openness_summary(result["org_id"], lang)
summary.columns = [t("vendor.profile.item"), t("alt.openness.yes"), t("alt.openness.no"), t("alt.openness.unknown")]
st.dataframe(summary, hide_index=True, key="alt_openness")
