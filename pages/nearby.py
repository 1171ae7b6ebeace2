"""近隣自治体の導入状況: what neighbouring (within a radius) and similar-sized municipalities use, per
category, with vendors and sources; and the categories no vendor headquartered in the buyer's
prefecture offers, with the nearest that do (govmap.lockin.analytics)."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from govmap import escape, settings
from govmap.lockin import analytics, analytics_map
from govmap.maps import mapview
from govmap.normalize import boundary
from ui import buyer, context

cat = context.require_catalog()
b = buyer.browser(cat)
t = context.t
lang = context.lang()
labels = b.category_labels(lang)



def km(value: float) -> str:
    return t("common.unknown") if pd.isna(value) else f"{value:,.0f}"


def summary(rows: pd.DataFrame, key: str) -> None:
    per = an.per_category(rows)
    st.dataframe(pd.DataFrame({
        t("an.col.category"): per["category"].map(labels), t("an.col.n_adopters"): per["n_adopters"],
        t("an.col.n_adoptions"): per["n_adoptions"], t("an.col.vendors"): [" / ".join(v) for v in per["vendors"]],
    }), hide_index=True, key=key)


def details(rows: pd.DataFrame, key: str, extra: dict | None = None) -> None:
    frame = pd.DataFrame({
        t("an.col.category"): rows["category"].map(labels),
        t("col.adopter"): [b.places.adopter(n, c, lang) for n, c in zip(rows["adopter_name"], rows["adopter_code"])],
        t("an.col.kind"): rows["adopter_kind"].map(lambda k: t(f"an.kind.{k}")),
        **({t("an.col.distance"): rows["distance_km"].map(km)} if "distance_km" in rows else {}),
        **(extra or {}), t("an.col.vendor"): rows["org_name_ja"], t("col.service"): rows["service_name"],
        t("col.year"): [str(int(y)) if pd.notna(y) else t("common.year_unknown") for y in rows["year"]],
        t("col.source"): [escape.safe_url(u) for u in rows["source_url"]],
    })
    st.dataframe(frame, hide_index=True, key=key, column_config={t("col.source"): st.column_config.LinkColumn()})


an = buyer.analytics(cat)
st.title(t("near.title"))
st.write(escape.markdown_text(t("near.intro")))
codes = list(an.municipalities["code"])
wanted = boundary(st.query_params.get("muni", ""))[:10]
muni = buyer.municipality_picker(codes, wanted, key="near_muni")
if not muni:
    st.info(t("near.intro"))
    st.stop()
st.query_params["muni"] = muni
home = an.municipality(muni)
radius = st.slider(t("an.radius"), 5, 200, 30, step=5, key="near_radius")
st.caption(t("an.caveat"))

st.subheader(t("near.own"))
own = an.current_uses(muni)
if own.empty:
    st.caption(t("near.own_none"))
else:
    details(own, "near_own")

st.subheader(t("near.neighbours", r=radius))
near = an.nearby(muni, radius)
fmap = mapview.build_map(b.orgs.iloc[0:0], analytics.adopter_points(near), layer="adoptions", lang=lang,
                         tiles=settings.get("map_tiles"), center=(home["lat"], home["lon"]), zoom=9)
analytics_map.add_home_marker(fmap, home["lat"], home["lon"], t("an.home", name=b.places.municipality_label(muni, lang)))
st_folium(fmap, key="near_map", height=420, use_container_width=True, returned_objects=[])
if near.empty:
    st.info(t("near.neighbours_none"))
else:
    summary(near, "near_summary")
    details(near, "near_details")

factor = st.select_slider(t("near.factor"), (1.25, 1.5, 2.0, 3.0), value=2.0, key="near_factor")
similar = an.similar_sized(muni, factor)
if similar.population is None:
    st.subheader(t("near.similar", low="?", high="?"))
    st.info(t("near.population_unknown"))
else:
    low, high = similar.population / factor, similar.population * factor
    st.subheader(t("near.similar", low=f"{low:,.0f}", high=f"{high:,.0f}"))
    st.caption(t("near.population", pop=f"{similar.population:,.0f}"))
    if similar.adoptions.empty:
        st.caption(t("near.similar_none"))
    else:
        summary(similar.adoptions, "near_similar_summary")
        details(similar.adoptions, "near_similar", {t("an.col.population"): similar.adoptions["population"]})
if similar.n_unknown:
    st.caption(t("near.population_unknowns", n=similar.n_unknown))

st.subheader(t("near.gaps"))
st.caption(escape.markdown_text(t("near.gaps_help", pref=home["pref_name"])))
gaps = an.coverage_gaps(muni)
if gaps.empty:
    st.success(t("near.no_gaps"))
else:
    st.dataframe(pd.DataFrame({
        t("an.col.category"): gaps["category"].map(labels),
        t("near.col.in_region"): gaps["vendors_in_region"],
        t("near.col.nearest"): [" / ".join(f"{name} ({d:,.0f} km)" for _, name, d in n) for n in gaps["nearest"]],
        t("near.col.hq_unknown"): gaps["vendors_hq_unknown"], t("near.col.nationally"): gaps["vendors_nationally"],
    }), hide_index=True, key="near_gaps")
