"""掲載申請: vendors put themselves on the map.  A public form (no login) for an organisation, its
services and the adoptions it can cite; a receipt number and a private edit token; status lookup
and revisions.  The logic is in govmap/review/submission_form.py and govmap/review/submissions.py."""

import streamlit as st

from ui import context
from ui import submitform as form
from ui import submitstatus as status

context.require_store()  # a damaged store or full disk: a clear message, not a crash
cat = context.require_catalog()
t = context.t
categories = cat.frame("SELECT code, label_ja, label_en FROM categories ORDER BY sort_order")
labels = dict(zip(categories["code"], categories[f"label_{context.lang()}"]))
records = status.catalog_records()

st.title(t("sub.title"))
st.caption(t("sub.intro"))
if "sub_mode" not in st.session_state:
    st.session_state["sub_mode"] = "status" if "receipt" in st.query_params else "form"
mode = st.segmented_control(t("sub.mode"), ("form", "status"), key="sub_mode",
                            format_func=form.labelled(("form", "status"), lambda m: t(f"sub.mode.{m}"))) or "form"

if mode == "status":
    status.status_lookup()
    st.stop()
if "sub_done" in st.session_state:
    status.receipt_panel()
    st.stop()

form.init()
if form.state("revise"):
    st.info(t("sub.revising", receipt=form.subs.format_receipt(form.state("revise")), version=form.state("revise_version")))
    st.button(t("sub.revise.cancel"), key="revise_cancel", on_click=form.clear_form)
form.show_notice()
form.org_fields()
status.duplicates_panel(records)
form.service_fields(labels)
form.adoption_fields(labels)
form.contact_fields()
form.anti_automation_field()
form.show_notice()
st.button(t("sub.send.revision" if form.state("revise") else "sub.send"), key="sub_send", type="primary",
          on_click=form.send, args=(set(labels), records))
