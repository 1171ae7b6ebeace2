"""The parts of 掲載申請 around the form: likely duplicates, the receipt, status lookup, revisions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from govmap.review import antiautomation as aa
from govmap import escape
from govmap.review import submission_form as sf
from govmap.review import submissions as subs
from govmap.normalize import boundary
from govmap.review.store import RateLimited
from ui import context
from ui.submitform import P, clear_form, client_address, flat, labelled, message, put, state, store

t = context.t


@st.cache_data(max_entries=2, show_spinner=False)
def _records(path: str, identity: tuple) -> list[dict]:
    cat = context.catalog()
    return cat.frame("SELECT org_id, name_ja, name_en, corporate_number, hq_municipality_code, hq_pref_name, other_names "
                     "FROM v_organisations ORDER BY org_id").to_dict("records") if cat else []


def catalog_records() -> list[dict]:
    cat = context.catalog()
    return _records(str(cat.path), cat.identity) if cat else []


def duplicates_panel(records: list[dict]) -> None:
    """Likely duplicates of what is typed so far, with the choice to propose an update instead."""
    found = sf.likely_duplicates(flat(), records)
    by_id = {r["org_id"]: r for r in records}
    wanted = boundary(st.query_params.get("update", ""))[:100]
    options = list(dict.fromkeys([""] + ([wanted] if wanted in by_id else []) + [d["org_id"] for d in found]
                                 + ([state("target")] if state("target") in by_id else [])))
    if wanted in by_id and state("target") is None:
        put("target", wanted)
    if len(options) == 1:
        put("target", "")
        return
    st.subheader(t("sub.section.duplicates"))
    if found:
        st.warning(t("sub.dup.found"))
        st.dataframe(pd.DataFrame({
            t("col.name"): [d["name_ja"] for d in found],
            t("col.hq"): [by_id[d["org_id"]].get("hq_pref_name") or "" for d in found],
            t("sub.dup.reasons"): [", ".join(d["reasons"]) for d in found],
            "org_id": [d["org_id"] for d in found]}), hide_index=True)
    if state("target") not in options:
        put("target", "")
    st.radio(t("sub.dup.choice"), options, key=P + "target", format_func=labelled(
        options, lambda o: t("sub.dup.new") if not o else t("sub.dup.update", name=escape.markdown_text(by_id[o]["name_ja"]),
                                                    id=escape.markdown_text(o))))


def receipt_panel() -> None:
    done = st.session_state["sub_done"]
    st.success(t("sub.done", version=done["version"]))
    st.text(t("sub.done.name") + ": " + escape.plain(done["name"]))
    st.markdown(t("sub.done.receipt"))
    st.code(subs.format_receipt(done["receipt"]), language=None)
    if done.get("token"):
        st.markdown(t("sub.done.token"))
        st.code(done["token"], language=None)
        st.markdown(t("sub.done.link"))
        base = (st.context.url or "").split("?")[0]
        st.code(f"{base}?receipt={done['receipt']}&token={done['token']}", language=None)
    st.warning(t("sub.done.keep"))
    st.button(t("sub.done.another"), key="sub_another", on_click=lambda: st.session_state.pop("sub_done", None))


def status_lookup() -> None:
    """Receipt + token → status, reviewer message, versions; and the way to send a revision."""
    if "receipt" in st.query_params and "lookup_receipt" not in st.session_state:
        st.session_state["lookup_receipt"] = boundary(st.query_params["receipt"])[:40]
        st.session_state["lookup_token"] = boundary(st.query_params.get("token", ""))[:100]
        if "token" in st.query_params:  # do not leave the private token in the address bar
            del st.query_params["token"]
        look_up()
    st.text_input(t("sub.status.receipt"), key="lookup_receipt")
    st.text_input(t("sub.status.token"), key="lookup_token", type="password")
    st.button(t("sub.status.check"), key="lookup_go", on_click=look_up)
    notice = st.session_state.get("lookup_notice")
    if notice:
        st.warning(notice[context.lang()])
    view = st.session_state.get("lookup_view")
    if view:
        show_status(view)


def look_up() -> None:
    st.session_state["lookup_view"] = None
    st.session_state["lookup_notice"] = None
    receipt = subs.normalize_receipt(st.session_state.get("lookup_receipt"))
    token = str(st.session_state.get("lookup_token") or "").strip()
    if not receipt or not token:
        st.session_state["lookup_notice"] = message("sub.status.invalid")
        return
    try:
        view = store().lookup(receipt, token, address=client_address(), policy=aa.token_policy())
    except RateLimited as exc:
        st.session_state["lookup_notice"] = message("sub.refused.rate", seconds=exc.retry_after)
        return
    except subs.InvalidToken:
        st.session_state["lookup_notice"] = message("sub.status.invalid")
        return
    st.session_state["lookup_view"] = view
    st.session_state["lookup_auth"] = (receipt, token)


def show_status(view: dict) -> None:
    st.subheader(t("sub.status.title", receipt=subs.format_receipt(view["receipt"])))
    st.text(t("sub.done.name") + ": " + escape.plain(view["entry"]["org"]["name_ja"]))
    st.info(t(f"sub.state.{view['status']}"))
    if view.get("reviewer_message"):
        st.markdown(t("sub.status.message"))
        st.text(escape.plain(view["reviewer_message"]))
    if view.get("published_org_id"):
        st.text(t("sub.status.published", org_id=view["published_org_id"]))
    st.dataframe(pd.DataFrame({t("sub.status.version"): [h["version"] for h in view["history"]],
                               t("sub.status.sent"): [h["created_at"][:19].replace("T", " ") for h in view["history"]]}),
                 hide_index=True)
    if view["status"] == "rejected":
        st.caption(t("sub.status.not_revisable"))
    else:
        st.button(t("sub.status.revise"), key="lookup_revise", on_click=start_revision)


def start_revision() -> None:
    """Load the current version into the form; sending it adds version n+1 to the same receipt."""
    view = st.session_state.get("lookup_view")
    receipt, token = st.session_state.get("lookup_auth", (None, None))
    if not view or not receipt:
        return
    clear_form()
    values, n_svc, n_ado = sf.to_flat(view["entry"], view.get("contact"))
    for k, v in values.items():
        st.session_state[P + k] = v
    put("target", view.get("target_org_id") or "")
    put("n_svc", max(n_svc, 1))
    put("n_ado", n_ado)
    put("revise", receipt)
    put("edit_token", token)
    put("revise_version", view["current_version"] + 1)
    st.session_state["sub_mode"] = "form"
