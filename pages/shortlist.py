"""候補リスト: the buyer's shortlist, exported with the search that produced it (選定理由)."""

import streamlit as st

from govmap import escape
from ui import buyer, context, state

cat = context.require_catalog()
b = buyer.browser(cat)
t = context.t
known = set(b.row_of)
ids = state.shortlist(known)

st.title(t("shortlist.title"))
if not ids:
    st.info(t("shortlist.empty"))
    st.stop()

orgs = b.orgs.iloc[[b.row_of[i] for i in ids]].assign(score=0.0, reasons=[[] for _ in ids])
table = buyer.display_frame(orgs, b)
st.dataframe(table, hide_index=True, column_config={"org_id": None, t("col.website"): st.column_config.LinkColumn()})
names = dict(zip(orgs["org_id"], orgs["name_ja"]))
remove = st.selectbox(t("shortlist.remove"), ids, format_func=lambda i: names[i], key="sl_remove_pick")
left, right = st.columns(2)
if left.button(t("shortlist.remove"), key="sl_remove"):
    state.set_shortlist([i for i in ids if i != remove])
    st.rerun()
if right.button(t("shortlist.clear"), key="sl_clear"):
    state.set_shortlist([])
    st.rerun()

query = state.kept("q", "")
if query:
    st.caption(t("shortlist.query", q=escape.markdown_text(query)))
# The note lives with the shortlist (session and ?note=), so it survives reloads, pages and shared links.
state.keep("sl_note", state.note(), state.clean_note)
note = st.text_area(t("shortlist.reason"), key="sl_note", max_chars=state.NOTE_LIMIT,
                    help=t("shortlist.note_help", n=state.NOTE_LIMIT))
state.set_note(note)
filters = {"shortlist": ids, "note": note}
for key in ("f_cat", "f_region", "f_pref", "f_type", "f_flags"):
    if state.kept(key):
        filters[key[2:]] = state.kept(key)
buyer.export_buttons(table, query, filters, b, key="export_shortlist", name="govtech-shortlist")
