"""ベンダー詳細: names, head office, categories, offerings, the exit / lock-in profile, adoptions
with a small map, sources with dates, and other organisations in the same categories."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from govmap import descriptions, escape, mapview, openness
from govmap.normalize import boundary
from ui import buyer, context, printing, state

cat = context.require_catalog()
b = buyer.browser(cat)
t = context.t
lang = context.lang()
labels = b.category_labels(lang)
known = set(b.row_of)

org_id = boundary(st.query_params.get("org", ""))[:100]
if org_id not in known:
    ids = list(b.orgs["org_id"])
    names = dict(zip(b.orgs["org_id"], b.orgs["name_ja"]))
    if org_id:
        st.warning(t("vendor.not_found"))
    org_id = st.selectbox(t("vendor.choose"), ids, format_func=lambda i: names[i], key="vendor_pick")
    st.query_params["org"] = org_id
org = b.org(org_id)

st.title(escape.markdown_text(org["name_ja"]))
on_print = printing.printable("vendor_print")  # print stylesheet; full static tables and no map when on
if isinstance(org["name_en"], str):
    st.caption(escape.markdown_text(org["name_en"]))
if st.button(t("search.add"), key="vendor_add"):
    if state.add_to_shortlist(org_id, known):
        st.success(t("search.added", name=escape.markdown_text(org["name_ja"])))
    else:
        st.warning(t("shortlist.full", n=state.MAX_SHORTLIST))

st.subheader(t("vendor.overview"))
precision = org["geo_precision"] if isinstance(org["geo_precision"], str) else None
facts = {
    t("col.type"): t(f"org_type.{org['org_type']}") if isinstance(org["org_type"], str) else t("common.unknown"),
    t("col.hq"): buyer.hq_label(org),
    t("vendor.precision"): t(f"vendor.precision.{precision}") if precision else t("vendor.unlocated"),
    t("vendor.founded"): str(int(org["founded_year"])) if pd.notna(org["founded_year"]) else t("common.unknown"),
    t("vendor.corporate_number"): org["corporate_number"] if isinstance(org["corporate_number"], str) else t("common.unknown"),
    t("col.categories"): " / ".join(labels.get(c, c) for c in org["categories"]),
    t("vendor.offerings"): " / ".join(org["offerings_ja"] if lang == "ja" or not len(org["offerings_en"]) else org["offerings_en"]),
}
# st.table renders Markdown in its cells: every value through the one Markdown policy (govmap/escape.py).
st.table(pd.DataFrame({"": list(facts), " ": [escape.markdown_text(v) for v in facts.values()]}).set_index(""))
website = escape.safe_url(org["website"])
if website:
    st.markdown(f"{t('col.website')}: {escape.markdown_link(website, website)}")
if isinstance(org["description"], str):
    st.subheader(t("vendor.description"))
    if note := descriptions.note_key(org["description"], lang):  # shown as written, never translated
        st.caption(t(note))
    st.text(escape.plain(org["description"]))

st.subheader(t("vendor.profile"))
st.caption(t("vendor.profile_help"))
services = cat.frame("SELECT * FROM v_services WHERE org_id = ? ORDER BY service_id", [org_id])
for service in services.to_dict("records"):
    title = service["name_ja"] if isinstance(service["name_ja"], str) else t("vendor.service")
    with st.expander(escape.markdown_text(title), expanded=len(services) == 1):
        counts = openness.known_counts(pd.DataFrame([service]))
        unknown = sum(c["unknown"] for c in counts.values())
        st.caption(t("vendor.profile_known", total=len(counts), known=len(counts) - unknown, unknown=unknown))
        table = openness.profile_table(service, lang)
        table.columns = [t("vendor.profile.item"), t("vendor.profile.value"), t("vendor.profile.why")]
        printing.grid(table, on_print)

st.subheader(t("vendor.certifications"))
certs = cat.frame("""SELECT c.certification, c.scope, c.last_verified, s.url FROM certifications c
                     LEFT JOIN sources s USING (source_id) WHERE c.org_id = ? ORDER BY c.certification""", [org_id])
if certs.empty:
    st.caption(t("vendor.no_certifications"))
else:
    printing.grid(pd.DataFrame({
        t("vendor.certifications"): certs["certification"], t("vendor.profile.value"): certs["scope"],
        t("col.source"): [escape.safe_url(u) for u in certs["url"]], t("vendor.verified_col"): certs["last_verified"],
    }), on_print, column_config={t("col.source"): st.column_config.LinkColumn()})

st.subheader(t("vendor.adoptions"))
adoptions = b.adoptions_of([org_id])
if adoptions.empty:
    st.caption(t("vendor.no_adoptions"))
else:
    printing.grid(pd.DataFrame({
        t("col.adopter"): [b.places.adopter(n, c, lang) for n, c in zip(adoptions["adopter_name"], adoptions["adopter_code"])],
        t("col.categories"): adoptions["category"].map(labels), t("col.service"): adoptions["service_name"],
        t("col.year"): [str(int(y)) if pd.notna(y) else t("common.year_unknown") for y in adoptions["year"]],
        t("col.source"): [escape.safe_url(u) for u in adoptions["source_url"]],
    }), on_print, column_config={t("col.source"): st.column_config.LinkColumn()})
if not adoptions.empty and not on_print:
    small = mapview.build_map(b.orgs.iloc[[b.row_of[org_id]]].assign(hq_label=buyer.hq_label(org)).dropna(subset=["lat"]),
                              b.adopter_points([org_id]), layer="adoptions", lang=lang, category_labels=labels)
    st_folium(small, key="vendor_map", height=360, use_container_width=True, returned_objects=[])

st.subheader(t("vendor.sources"))
st.caption(t("vendor.verified", when=org["last_verified"] or t("common.unknown")))
for url in org["source_urls"]:
    safe = escape.safe_url(url)
    st.text(safe if safe else escape.plain(url))

if st.button(t("vendor.propose_update"), key="vendor_propose_update", icon=":material/edit_note:"):
    st.switch_page("pages/submit.py", query_params={"update": org_id, **({"lang": lang} if lang != "ja" else {})})

st.subheader(t("vendor.similar"))
mine = set(org["categories"])
overlap = b.orgs["categories"].map(lambda cats: len(mine & set(cats)))
others = b.orgs[(overlap > 0) & (b.orgs["org_id"] != org_id)].assign(overlap=overlap)
others = others.sort_values(["overlap", "n_adoptions", "name_ja"], ascending=[False, False, True]).head(15)
printing.grid(pd.DataFrame({
    t("col.name"): others["name_ja"], t("col.overlap"): others["overlap"],
    t("col.hq"): [buyer.hq_label(r) for r in others.to_dict("records")], t("col.adoptions"): others["n_adoptions"],
}), on_print)
