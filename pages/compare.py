"""比較: 2–4 vendors side by side (govmap/finder/compare.py), from ``?cmp=a,b,c`` or the shortlist, with the
nearest adopters to a chosen municipality, links to each vendor page, CSV/XLSX export and a
printable view (ui/printing.py)."""

import streamlit as st

from govmap import escape
from govmap.finder import compare
from govmap.normalize import boundary
from ui import buyer, context, printing, state

cat = context.require_catalog()
b = buyer.browser(cat)
t = context.t
lang = context.lang()
known = set(b.row_of)
names = dict(zip(b.orgs["org_id"], b.orgs["name_ja"]))

st.title(t("cmp.title"))
on_print = printing.printable("cmp_print")
st.caption(t("cmp.intro"))

asked = [v.strip() for v in boundary(st.query_params.get("cmp", ""))[:2000].split(",") if v.strip() in known]
initial = compare.parse_ids(",".join(asked), known) or state.shortlist(known)[:compare.MAX_VENDORS]
if len(dict.fromkeys(asked)) > compare.MAX_VENDORS:
    st.warning(t("cmp.too_many", n=compare.MAX_VENDORS))
options = sorted(known, key=lambda i: (names[i], i))


def _check(values):
    if not isinstance(values, (list, tuple)) or any(v not in known for v in values):
        raise ValueError(values)
    return list(dict.fromkeys(values))[:compare.MAX_VENDORS]


state.keep("cmp_pick", initial, _check)
chosen = st.multiselect(t("cmp.pick"), options, key="cmp_pick", format_func=lambda i: names[i],
                        max_selections=compare.MAX_VENDORS)
state.write_param("cmp", ",".join(chosen))

an = buyer.analytics(cat)
codes = list(an.municipalities["code"])
wanted = boundary(st.query_params.get("muni", ""))[:20]
muni = buyer.municipality_picker(codes, wanted if wanted in codes else None, key="cmp_muni")
st.caption(t("cmp.muni_help"))
state.write_param("muni", muni or "")

if len(chosen) < compare.MIN_VENDORS:
    st.info(t("cmp.too_few"))
    st.stop()

home = an.municipality(muni) if muni else None
place = b.places.municipality_label(muni, lang) if muni else None
vendors = compare.vendors(b, cat, chosen, lang, home)
frame = compare.comparison_frame(vendors, lang, place)

links = st.columns(len(vendors))
for n, (column, vendor) in enumerate(zip(links, vendors)):
    # The vendor page keeps the shortlist and note (ui.state.carry); cmp= stays in this page's history.
    if column.button(escape.markdown_text(vendor.name_ja), key=f"cmp_open_{n}", icon=":material/business:",
                     help=t("cmp.open_vendor")):
        st.switch_page("pages/vendor.py", query_params={"org": vendor.org_id, **({"lang": lang} if lang != "ja" else {})})
# Always the static table: a comparison is read in full (st.dataframe would cut long cells and the
# third and fourth vendor at the edge of its scroll box); the printable view only hides the pickers.
printing.grid(frame, True, fit=True)
st.caption(t("cmp.profile_source"))
lines = compare.stamp(b.meta, lang, t("rev.comparison"))
buyer.download_buttons(lambda: frame, lines, key="export_compare", name="govtech-comparison", sheet="comparison")
