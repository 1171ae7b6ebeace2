"""ベンダー詳細: names (legal, former and other names), head office, categories, offerings, each
service's exit / lock-in profile with the source of each item, every sourced fact with its source,
date and source type, adoptions (kind, source and source type) with a small map, and other
organisations in the same categories."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from govmap import escape
from govmap.finder import adoption_kinds, descriptions
from govmap.maps import mapview
from govmap.normalize import boundary
from ui import buyer, context, printing, state, vendorfacts

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
if isinstance(org.get("legal_name"), str) and org["legal_name"]:  # shown where a source gives it
    facts[t("vendor.legal_name")] = org["legal_name"]
other_names = [n for n in (org.get("other_names") if org.get("other_names") is not None else []) if isinstance(n, str)]
if other_names:
    facts[t("vendor.other_names")] = " / ".join(other_names)
# st.table renders Markdown in its cells: every value through the one Markdown policy (govmap/escape.py).
st.table(pd.DataFrame({"": list(facts), " ": [escape.markdown_text(v) for v in facts.values()]}).set_index(""))
website = escape.safe_url(org["website"])
if website:
    st.markdown(f"{t('col.website')}: {escape.markdown_link(website, website)}")
if contact := escape.safe_url(org.get("contact_url")):
    st.markdown(f"{t('vendor.contact')}: {escape.markdown_link(contact, contact)}")
if isinstance(org["description"], str):
    st.subheader(t("vendor.description"))
    if note := descriptions.note_key(org["description"], lang):  # shown as written, never translated
        st.caption(t(note))
    st.text(escape.plain(org["description"]))

st.subheader(t("vendor.profile"))
st.caption(t("vendor.profile_help"))
services = cat.frame("SELECT * FROM v_services WHERE org_id = ? ORDER BY service_id", [org_id])
sourced = b.facts_of(org_id)
for service in services.to_dict("records"):
    with st.expander(escape.markdown_text(vendorfacts.service_title(service, lang)), expanded=len(services) == 1):
        table = vendorfacts.profile_frame(service, vendorfacts.service_facts(sourced, service["service_id"]), lang)
        unknown = vendorfacts.unknown_count(table, lang)
        st.caption(t("vendor.profile_known", total=len(table), known=len(table) - unknown, unknown=unknown))
        printing.grid(table, on_print, column_config={t("col.source"): st.column_config.LinkColumn()})
        if isinstance(service.get("price_band"), str) and service["price_band"]:
            st.caption(escape.markdown_text(f"{t('vendor.service_price')}: {service['price_band']}"))
        for key, column in (("vendor.service_price_page", "price_url"), ("vendor.contact", "contact_url")):
            if url := escape.safe_url(service.get(column)):
                st.markdown(f"{t(key)}: {escape.markdown_link(url, url)}")

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

st.subheader(t("fact.title"))
st.caption(t("fact.help"))
if sourced.empty:
    st.caption(t("fact.none"))
else:
    printing.grid(vendorfacts.facts_frame(sourced, services, lang), on_print,
                  column_config={t("col.source"): st.column_config.LinkColumn()})

st.subheader(t("vendor.adoptions"))
adoptions = b.adoptions_of([org_id])
if adoptions.empty:
    st.caption(t("vendor.no_adoptions"))
else:
    printing.grid(pd.DataFrame({
        t("col.adopter"): [b.places.adopter(n, c, lang) for n, c in zip(adoptions["adopter_name"], adoptions["adopter_code"])],
        t("col.categories"): adoptions["category"].map(labels), t("col.service"): adoptions["service_name"],
        t("col.year"): [str(int(y)) if pd.notna(y) else t("common.year_unknown") for y in adoptions["year"]],
        t("col.adoption_kind"): [adoption_kinds.label(k, lang) for k in adoptions["adoption_kind"]],
        t("col.as_of"): [a if isinstance(a, str) and a else t("common.unknown") for a in adoptions["as_of"]],
        t("col.source_quality"): [buyer.quality_label(q, lang) for q in adoptions["source_quality"]],
        # The source last: a URL wrapped in a printed cell stays readable (and searchable) in the PDF.
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
