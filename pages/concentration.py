"""ベンダー集中度: per category, how many vendors share the recorded adoptions nationally, per region
and per prefecture (view v_concentration), a prefecture choropleth of the HHI, and one area's
vendors per category with the adoptions and sources behind them.  Contracts and joint procurements
only, unless the "count every kind" checkbox (?kinds=all) is on (v_concentration_all_kinds)."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from govmap import escape, settings
from govmap.finder import adoption_kinds
from govmap.lockin import analytics_map
from ui import buyer, context, state

cat = context.require_catalog()
b = buyer.browser(cat)
t = context.t
lang = context.lang()
labels = b.category_labels(lang)



def pct(value) -> float | None:
    return None if pd.isna(value) else round(100 * float(value), 1)


def concentration_frame(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        t("conc.col.area"): [b.places.area(a, lang) for a in rows["area"]], t("an.col.category"): rows["category"].map(labels),
        t("an.col.n_adoptions"): rows["n_adoptions"], t("conc.col.n_vendors"): rows["n_vendors"],
        t("conc.col.hhi"): rows["hhi"].round(0), t("conc.col.leader"): rows["leader_name_ja"],
        t("conc.col.leader_share"): rows["leader_share"].map(pct), t("conc.col.single"): rows["single_vendor"],
    })


def tip(row: dict) -> str:
    return (f"HHI {row['hhi']:,.0f} / {t('an.col.n_adoptions')} {row['n_adoptions']} / "
            f"{t('conc.col.leader')} {row['leader_name_ja']} ({pct(row['leader_share'])}%)")


an = buyer.analytics(cat)
st.title(t("conc.title"))
st.write(escape.markdown_text(t("conc.intro")))
st.caption(t("an.caveat"))
all_kinds = buyer.all_kinds_checkbox("conc_all_kinds")

st.subheader(t("conc.national"))
national = an.concentration_of("national", with_empty=True, all_kinds=all_kinds)
national = national.sort_values("n_adoptions", ascending=False, kind="mergesort")
st.dataframe(concentration_frame(national), hide_index=True, key="conc_national")

codes = list(labels)
# Stored values are codes; labels change with the language (ui.state.keep).
state.keep("conc_cat", "core_systems" if "core_systems" in codes else codes[0], state.one_of(codes))
category = st.selectbox(t("conc.category"), codes, format_func=labels.get, key="conc_cat")
st.subheader(f"{t('conc.by_area')}: {labels[category]}")
values = an.prefecture_values(category, all_kinds=all_kinds)
fmap = analytics_map.choropleth_map({c: r["hhi"] for c, r in values.items()},
                                    tips={c: tip(r) for c, r in values.items()},
                                    no_data_label=t("conc.no_data"), tiles=settings.get("map_tiles"))
st.caption(t("conc.map_caption"))
clicked = st_folium(fmap, key="conc_map", height=520, use_container_width=True,
                    returned_objects=["last_active_drawing"])
state.keep("conc_scope", "prefecture", state.one_of(("prefecture", "region")))
scope = st.radio(t("conc.scope"), ("prefecture", "region"), horizontal=True, key="conc_scope",
                 format_func=lambda s: t(f"conc.scope.{s}"))
rows = an.concentration_of(scope, category, all_kinds=all_kinds)
if rows.empty:
    st.info(t("conc.none"))
else:
    table = concentration_frame(rows)
    st.dataframe(table, hide_index=True, key="conc_table")
    kinds = adoption_kinds.KINDS if all_kinds else adoption_kinds.MARKET_KINDS
    buyer.export_buttons(table, f"{t('conc.title')}: {labels[category]}",
                         {"category": category, "scope": scope, "kinds": "+".join(kinds)},
                         b, key="conc_export", name="govtech-concentration")

prefs = dict(zip(b.prefectures["pref_code"], b.prefectures["pref_name"]))
default = max(values, key=lambda c: (values[c]["n_adoptions"], -int(c)), default=list(prefs)[0])
state.keep("conc_pref", default, state.one_of(prefs))
clicked_code = analytics_map.selected_pref_code(clicked)
if clicked_code in prefs and clicked_code != st.session_state.get("conc_clicked"):
    st.session_state["conc_clicked"] = clicked_code
    st.session_state["conc_pref"] = clicked_code  # a click on the map selects the prefecture below
pref = st.selectbox(t("conc.pick_area"), list(prefs), key="conc_pref",
                    format_func=lambda c: b.places.prefecture(prefs[c], lang))
st.subheader(t("conc.area_vendors", area=b.places.prefecture(prefs[pref], lang)))
vendors = an.area_vendors("prefecture", pref, all_kinds=all_kinds)
if vendors.empty:
    st.info(t("conc.area_none"))
    st.stop()
st.dataframe(pd.DataFrame({
    t("an.col.category"): vendors["category"].map(labels), t("an.col.vendor"): vendors["org_name_ja"],
    t("an.col.n_adoptions"): vendors["n_adoptions"], t("conc.col.share"): vendors["share"].map(pct),
}), hide_index=True, key="conc_vendors")
with st.expander(t("conc.sources")):
    behind = an.adoptions_in_area("prefecture", pref, all_kinds=all_kinds)
    st.dataframe(pd.DataFrame({
        t("an.col.category"): behind["category"].map(labels),
        t("col.adopter"): [b.places.adopter(n, c, lang) for n, c in zip(behind["adopter_name"], behind["adopter_code"])],
        t("an.col.vendor"): behind["org_name_ja"], t("col.service"): behind["service_name"],
        t("col.year"): [str(int(y)) if pd.notna(y) else t("common.year_unknown") for y in behind["year"]],
        t("col.adoption_kind"): [adoption_kinds.label(k, lang) for k in behind["adoption_kind"]],
        t("col.source_quality"): [buyer.quality_label(q) for q in behind["source_quality"]],
        t("col.source"): [escape.safe_url(u) for u in behind["source_url"]],
    }), hide_index=True, key="conc_sources", column_config={t("col.source"): st.column_config.LinkColumn()})
