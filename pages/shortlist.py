"""候補リスト: the buyer's shortlist, exported for a reviewer (選定理由): one row per vendor with its facts
and sources (govmap/finder/compare.py review_frame), the note and the search that produced it in their own
fields, the catalog build and the date stamped; printable (ui/printing.py)."""

import streamlit as st

from govmap import escape
from govmap.finder import compare
from ui import buyer, context, printing, state

cat = context.require_catalog()
b = buyer.browser(cat)
t = context.t
known = set(b.row_of)
ids = state.shortlist(known)

st.title(t("shortlist.title"))
on_print = printing.printable("sl_print")
if not ids:
    st.info(t("shortlist.empty"))
    st.stop()

orgs = b.orgs.iloc[[b.row_of[i] for i in ids]].assign(score=0.0, reasons=[[] for _ in ids])
table = buyer.display_frame(orgs, b).drop(columns=t("col.why"))  # no search behind this list: always empty
printing.grid(table, on_print, column_config={"org_id": None, t("col.website"): st.column_config.LinkColumn()})
names = dict(zip(orgs["org_id"], orgs["name_ja"]))
remove = st.selectbox(t("shortlist.remove"), ids, format_func=lambda i: names[i], key="sl_remove_pick")
left, right = st.columns(2)
if left.button(t("shortlist.remove"), key="sl_remove"):
    state.set_shortlist([i for i in ids if i != remove])
    st.rerun()
if right.button(t("shortlist.clear"), key="sl_clear"):
    state.set_shortlist([])
    st.rerun()
if len(ids) >= compare.MIN_VENDORS and st.button(t("cmp.title"), key="sl_compare", icon=":material/compare_arrows:"):
    st.switch_page("pages/compare.py", query_params={"cmp": ",".join(ids[:compare.MAX_VENDORS]),
                                                     **({"lang": context.lang()} if context.lang() != "ja" else {})})

query = state.kept("q", "")
if query:
    st.caption(t("shortlist.query", q=escape.markdown_text(query)))
# The note lives with the shortlist (session and ?note=), so it survives reloads, pages and shared links.
state.keep("sl_note", state.note(), state.clean_note)
note = st.text_area(t("shortlist.reason"), key="sl_note", max_chars=state.NOTE_LIMIT,
                    help=t("shortlist.note_help", n=state.NOTE_LIMIT))
state.set_note(note)
if on_print and note:
    st.text(escape.plain(note))  # the text area may cut a long note on paper
filters = {key[2:]: state.kept(key) for key in ("f_cat", "f_region", "f_pref", "f_type", "f_flags", "f_loc")}
filters["adopted"] = state.kept("f_adopted", False)
lang = context.lang()
search = compare.describe_search(query, filters, lang, b.category_labels(lang), b.places)
lines = compare.stamp(b.meta, lang, t("rev.shortlist"), note=note, search=search)
buyer.download_buttons(lambda: compare.review_frame(compare.vendors(b, cat, ids, lang), lang), lines,
                       key="export_shortlist", name="govtech-shortlist", sheet="shortlist")
