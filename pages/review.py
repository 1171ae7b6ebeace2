"""審査: reviewers work through the submission queue.  Login required (OIDC via st.login, or local
accounts with scrypt hashes); shown as disabled when no reviewer is configured.  Every action is
authorized again when it is taken, is one transaction and lands in the append-only audit log;
approvals are published through the ETL's build/swap in the background (govmap/review/publish.py)."""

import streamlit as st

from govmap.review import submissions as subs
from ui import context
from ui import reviewer as rv
from ui.submitform import labelled

t = context.t
st.title(t("rev.title"))
context.require_store()  # a damaged store or full disk: a clear message, not a crash
store = subs.Submissions()
rv.notice()
actor = rv.gate(store)
queue_tab, audit_tab, publish_tab = st.tabs([t("rev.tab.queue"), t("rev.tab.audit"), t("rev.tab.publish")])

with queue_tab:
    left, right = st.columns(2)
    statuses = left.multiselect(t("rev.filter.status"), subs.STATUSES, default=["pending", "changes_requested"],
                                key="rev_status", format_func=labelled(subs.STATUSES, lambda s: t(f"rev.status.{s}")))
    kinds = right.multiselect(t("rev.filter.kind"), subs.KINDS, key="rev_kinds", placeholder=t("sub.choose"),
                              format_func=labelled(subs.KINDS, lambda k: t(f"rev.kind.{k}")))
    items = store.queue(statuses, kinds)
    st.caption(t("rev.count", n=len(items)))
    if items:
        rv.queue_table(items)
        rv.review_panel(store, items)
with audit_tab:
    rv.audit_view(store)
with publish_tab:
    rv.publish_view(store)
