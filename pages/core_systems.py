"""基幹業務・標準化: the 20 core 業務 on one offline map. National view (municipal choropleth of progress,
one 業務 or 特定移行支援; prefecture summaries; 業務 with the fewest conformant vendors), municipality
view (its progress against its prefecture and similar-sized towns, its 特定移行支援 業務, conformant
vendors per 業務 ranked as alternatives) and vendor view (vendors × 業務 and known customers).
Logic in govmap/coresystems/standardisation.py; state in the URL (view, metric, gyomu, muni, vg, org)."""

import datetime

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from govmap import escape, settings
from govmap.coresystems import std_map
from govmap.coresystems.standardisation import METRICS, age_months
from ui import buyer, context, state

cat = context.require_catalog()
b = buyer.browser(cat)
cs = buyer.core_systems(cat)
t = context.t
lang = context.lang()
VIEWS = ("national", "municipality", "vendor")
codes = list(cs.munis.index)
gyomu_codes = cs.gyomu_codes()
gyomu_20 = cs.gyomu_codes(with_common=False)
glabel = lambda c: cs.gyomu_label(c, lang)  # noqa: E731


def pct(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{100 * float(value):.1f}%"


def as_of(dataset: str) -> str:
    """「出典 (publisher), as of …」 with an 'old data' label when it is more than 3 months old."""
    s = cs.sources[dataset]
    text = t("std.as_of", title=s.label(lang), publisher=s.publisher, date=s.as_of)
    months = age_months(s.as_of, datetime.date.today())
    return text + (" " + t("std.old", months=months) if months > 3 else "")


goto = st.session_state.pop("std_goto", None)
if goto:  # a click on the map: open that municipality (set before the widgets exist)
    st.session_state["std_view"], st.session_state["std_muni"] = "municipality", goto

st.title(t("std.title"))
st.write(escape.markdown_text(t("std.intro")))
# A widget whose state a map click already set gets no default too (Streamlit warns about both).
view = st.segmented_control(t("std.view"), VIEWS, format_func=lambda v: t(f"std.view.{v}"), key="std_view",
                            default=None if "std_view" in st.session_state else state.read_choice("view", VIEWS, "national"),
                            ) or "national"
params: dict = {"view": "" if view == "national" else view}


def national() -> None:
    metric = st.radio(t("std.metric"), METRICS, index=METRICS.index(state.read_choice("metric", METRICS, "overall")),
                      format_func=lambda m: t(f"std.metric.{m}"), horizontal=True, key="std_metric")
    options = gyomu_20 if metric == "gyomu" else ["", *gyomu_codes] if metric == "tokutei" else []
    gyomu = None
    if options:
        default = state.read_choice("gyomu", options, options[0])
        gyomu = st.selectbox(t("std.gyomu"), options, index=options.index(default), key="std_gyomu",
                             format_func=lambda c: glabel(c) if c else t("std.all_gyomu")) or None
    params.update(metric="" if metric == "overall" else metric, gyomu=gyomu or "")
    classes, colours, labels = cs.classes(metric, gyomu)
    values = cs.values(metric, gyomu)
    show = (lambda v: t("std.tip.tokutei", n=int(v))) if metric == "tokutei" and not gyomu else \
        (lambda v: t("std.tip.listed") if v else t("std.tip.not_listed")) if metric == "tokutei" else pct
    tips = {c: f"{cs.labels[c]}: {show(v)}" for c, v in values.items() if not pd.isna(v)}
    title = t(f"std.metric.{metric}") + (f": {glabel(gyomu)}" if gyomu else "")
    fmap = std_map.choropleth_map(classes.to_dict(), tips, colours, labels, title=title,
                                  no_data_label=t("std.no_data"), tiles=settings.get("map_tiles"))
    st.caption(escape.markdown_text(t("std.map_caption") + " " + as_of("tokutei" if metric == "tokutei" else "progress")))
    clicked = st_folium(fmap, key="std_map", height=560, use_container_width=True, returned_objects=["last_active_drawing"])
    code = std_map.selected_code(clicked, set(codes))
    if code and code != st.session_state.get("std_clicked"):
        st.session_state["std_clicked"] = code
        st.session_state["std_goto"] = code
        st.query_params.update({"view": "municipality", "muni": code})
        st.rerun()
    st.caption(escape.markdown_text(std_map.CREDIT))

    left, mid, right = st.columns(3)
    left.metric(t("std.fig.avg"), pct(cs.munis["overall_rate"].mean()))
    mid.metric(t("std.fig.complete"), f"{int((cs.munis['overall_rate'] >= 1).sum()):,} / {len(codes):,}")
    right.metric(t("std.fig.tokutei"), f"{cs.tokutei['code'].nunique():,}")
    st.caption(escape.markdown_text(as_of("progress") + " / " + as_of("tokutei")))

    st.subheader(t("std.prefectures"))
    summary = cs.prefecture_summary(metric, gyomu)
    st.dataframe(pd.DataFrame({
        t("std.col.pref"): summary["pref_name"], t("std.col.municipalities"): summary["municipalities"],
        t("std.col.avg"): summary["avg_rate"].map(pct), t("std.col.below_half"): summary["below_half"],
        t("std.col.complete"): summary["complete"], t("std.col.with_tokutei"): summary["with_tokutei"],
        t("std.col.tokutei_gyomu"): summary["tokutei_gyomu"]}), hide_index=True, key="std_prefs")

    st.subheader(t("std.fewest"))
    fewest = cs.fewest_vendors()
    st.dataframe(pd.DataFrame({
        t("std.col.gyomu"): fewest["gyomu"].map(glabel), t("std.col.n_vendors"): fewest["n_vendors"],
        t("std.col.vendors"): [" / ".join(v) for v in fewest["vendors"]], t("std.col.avg"): fewest["avg_rate"].map(pct),
        t("std.col.tokutei_bodies"): fewest["n_tokutei_bodies"]}), hide_index=True, key="std_fewest")
    st.caption(escape.markdown_text(t("std.partial") + " " + as_of("packages")))
    pick = st.selectbox(t("std.open_muni"), codes, index=None, format_func=cs.municipality_label,
                        key="std_pick", placeholder="—")
    if pick:
        st.session_state["std_goto"] = pick
        st.query_params.update({"view": "municipality", "muni": pick})
        st.session_state.pop("std_pick")
        st.rerun()


def municipality() -> None:
    default = None if "std_muni" in st.session_state else state.read_choice("muni", set(codes))
    muni = st.selectbox(t("std.municipality"), codes, index=codes.index(default) if default else None,
                        format_func=cs.municipality_label, key="std_muni", placeholder="—")
    if not muni:
        st.info(t("std.pick_muni"))
        return
    params["muni"] = muni
    m = cs.munis.loc[muni]
    left, mid, right = st.columns(3)
    left.metric(t("std.fig.overall"), pct(m["overall_rate"]))
    mid.metric(t("std.fig.n_tokutei"), int(m["n_tokutei"]))
    right.metric(t("std.fig.population"), "—" if pd.isna(m["population"]) else f"{int(m['population']):,}")
    st.caption(escape.markdown_text(as_of("progress") + " / " + as_of("tokutei")))

    st.subheader(t("std.progress"))
    prog = cs.municipality_progress(muni)
    vendors_of = {g: " / ".join(cs.conformant(g)["name_ja"]) for g in prog["gyomu"]}
    st.dataframe(pd.DataFrame({
        t("std.col.gyomu"): prog["gyomu"].map(glabel), t("std.col.rate"): prog["rate"].map(pct),
        t("std.col.pref_avg"): prog["pref_avg"].map(pct),
        t("std.col.similar_avg"): prog["similar_avg"].map(pct),
        t("std.col.tokutei"): prog["tokutei"].map(lambda v: t("std.tokutei_yes") if v else ""),
        t("std.col.n_vendors"): prog["n_vendors"], t("std.col.vendors"): prog["gyomu"].map(vendors_of)}),
        hide_index=True, key="std_progress")
    st.caption(escape.markdown_text(t("std.similar_note", n=int(prog["n_similar"].iloc[0]))))
    listed = [glabel(g) for g in prog.loc[prog["tokutei"], "gyomu"]]
    st.write(escape.markdown_text(t("std.tokutei_list", items=" / ".join(listed)) if listed else t("std.tokutei_none")))

    st.subheader(t("std.alternatives"))
    first = next(iter(prog.loc[prog["tokutei"], "gyomu"]), gyomu_codes[0])
    gyomu = st.selectbox(t("std.gyomu"), gyomu_codes, key="std_mgyomu", format_func=glabel,
                         index=gyomu_codes.index(state.read_choice("gyomu", gyomu_codes, first)))
    params["gyomu"] = gyomu
    radius = st.slider(t("std.radius"), 25, 500, 100, step=25, key="std_radius")
    alt = cs.alternatives(muni, gyomu, radius_km=radius)
    if alt.empty:
        st.warning(t("std.no_vendor"))
        return
    st.dataframe(pd.DataFrame({
        t("std.col.rank"): alt["rank"], t("std.col.vendor"): alt["name_ja"],
        t("std.col.packages"): [" / ".join(p) for p in alt["packages"]],
        t("std.col.nearby_core"): alt["nearby_core"], t("std.col.nearby_any"): alt["nearby_any"],
        t("std.col.nearby_names"): [" / ".join(n) for n in alt["nearby_adopters"]],
        t("std.col.nearest_km"): alt["nearest_km"].map(lambda v: "—" if pd.isna(v) else f"{v:,.0f}"),
        t("std.col.open_yes"): alt["open_yes"], t("std.col.open_no"): alt["open_no"],
        t("std.col.open_unknown"): alt["open_unknown"],
        t("std.col.link"): [f"/vendor?org={o}" for o in alt["org_id"]]}),
        hide_index=True, key="std_alt",
        column_config={t("std.col.link"): st.column_config.LinkColumn(display_text=t("std.open_vendor"))})
    st.caption(escape.markdown_text(t("std.alt_how", km=radius) + " " + t("std.partial") + " " + as_of("packages")))
    names = dict(zip(alt["org_id"], alt["name_ja"]))
    buyer.pick_and_act(list(alt["org_id"]), names, None, b, key="std_alt")


def vendor() -> None:
    chosen = st.multiselect(t("std.vendor_gyomu"), gyomu_codes, default=state.read_choices("vg", gyomu_codes),
                            format_func=glabel, key="std_vgyomu")
    params["vg"] = chosen
    matrix = cs.vendor_matrix(chosen)
    st.caption(escape.markdown_text(t("std.matrix_note", n=len(matrix)) + " " + t("std.partial") + " " + as_of("packages")))
    table = pd.DataFrame({t("std.col.vendor"): [cs.vendors.at[o, "name_ja"] for o in matrix.index]})
    table[t("std.col.covered")] = (matrix > 0).sum(axis=1).to_list()
    for g in matrix.columns:
        table[glabel(g)] = matrix[g].map(lambda n: "✓" if n == 1 else f"✓{n}" if n else "").to_list()
    st.dataframe(table, hide_index=True, key="std_matrix")
    ids = list(matrix.index)
    if not ids:
        return
    default = state.read_choice("org", set(ids), ids[0])
    org = st.selectbox(t("std.vendor"), ids, index=ids.index(default), key="std_org",
                       format_func=lambda o: cs.vendors.at[o, "name_ja"])
    params["org"] = org
    customers = cs.customers(org)
    st.subheader(t("std.customers", name=escape.markdown_text(cs.vendors.at[org, "name_ja"])))
    if customers.empty:
        st.info(t("std.no_customers"))
    else:
        labels = b.category_labels(lang)
        st.dataframe(pd.DataFrame({
            t("std.col.adopter"): customers["adopter_name"], t("std.col.pref"): customers["adopter_pref_name"],
            t("std.col.category"): customers["category"].map(lambda c: labels.get(c, c)),
            t("std.col.service"): customers["service_name"], t("std.col.year"): customers["year"],
            t("std.col.source"): customers["source_url"]}), hide_index=True, key="std_customers",
            column_config={t("std.col.source"): st.column_config.LinkColumn()})
    buyer.pick_and_act([org], {org: cs.vendors.at[org, "name_ja"]}, org, b, key="std_vendor")


{"national": national, "municipality": municipality, "vendor": vendor}[view]()
state.write_params({"view": "", "metric": "", "gyomu": "", "muni": "", "vg": [], "org": "", **params})
