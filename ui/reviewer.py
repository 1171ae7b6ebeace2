"""審査 page glue (pages/review.py): who may act (checked on every run and again before every
action), the login, the queue with its filters, the side-by-side diff and the actions.  Decisions
and their audit entries are made in govmap/review/submissions.py; logins in govmap/review/auth.py."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from govmap import escape
from govmap.review import auth, diff, publish
from govmap.review import submissions as subs
from govmap.review.durability_messages import store_problem
from govmap.review.store import StoreUnavailable
from ui import context
from ui.submitform import client_address, labelled

t = context.t
ACTIONS = ("approve", "merge", "request_changes", "reject")


def config() -> auth.ReviewConfig:
    return auth.review_config(st.secrets)


def user_claims() -> dict:
    try:
        return dict(st.user.to_dict())
    except Exception:  # no auth configured: st.user has nothing to say
        return {}


def reviewer(cfg: auth.ReviewConfig) -> subs.Actor | None:
    return auth.authorized(cfg, st.session_state.get("reviewer"), user_claims())


def gate(store: subs.Submissions) -> subs.Actor:
    """The signed-in reviewer, or a login (or the disabled notice) and st.stop()."""
    cfg = config()
    if cfg.mode == "disabled":
        st.warning(t("rev.disabled"))
        st.caption(t("rev.disabled_help"))
        st.stop()
    actor = reviewer(cfg)
    if actor:
        with st.sidebar:
            st.caption(t("rev.signed_in", who=escape.markdown_text(actor.label)))
            st.button(t("rev.logout"), key="rev_logout", on_click=logout, args=(cfg, store, actor))
        return actor
    if cfg.mode == "oidc":
        if user_claims().get("is_logged_in"):
            st.error(t("rev.oidc_not_allowed"))
            st.button(t("rev.logout"), key="rev_oidc_logout", on_click=st.logout)
        else:
            st.button(t("rev.oidc_login"), key="rev_oidc_login", type="primary", on_click=st.login,
                      args=(cfg.oidc_provider,) if cfg.oidc_provider else ())
        st.stop()
    local_login_form(cfg, store)
    st.stop()


def local_login_form(cfg: auth.ReviewConfig, store: subs.Submissions) -> None:
    with st.form("rev_login"):
        st.text_input(t("rev.login.name"), key="rev_name")
        st.text_input(t("rev.login.password"), key="rev_password", type="password")
        st.form_submit_button(t("rev.login.submit"), type="primary", on_click=log_in, args=(cfg, store))
    problem = st.session_state.get("rev_login_problem")
    if problem:
        st.error(t(*problem[:1], **problem[1]))


def log_in(cfg: auth.ReviewConfig, store: subs.Submissions) -> None:
    """on_click of the login form: runs before the script, so this very run shows the queue
    (no st.rerun, which inside a page of st.navigation would rerun the page file alone).
    govmap/review/auth.py counts, locks out and audits per account and client address."""
    name, password = st.session_state.get("rev_name", ""), st.session_state.get("rev_password", "")
    st.session_state["rev_password"] = ""
    st.session_state["rev_login_problem"] = None
    try:
        actor = auth.local_login(store.store, cfg, name, password, address=client_address())
    except auth.LoginRefused as exc:
        if exc.reason == "locked":
            st.session_state["rev_login_problem"] = ("rev.login.locked_here", {"minutes": max(1, (exc.retry_after + 59) // 60)})
        elif exc.reason == "slowed":
            st.session_state["rev_login_problem"] = ("rev.login.slowed", {"seconds": exc.retry_after})
        else:
            st.session_state["rev_login_problem"] = ("rev.login.invalid", {})
        return
    st.session_state["reviewer"] = auth.session_for(actor, cfg)


def logout(cfg: auth.ReviewConfig, store: subs.Submissions, actor: subs.Actor) -> None:
    store.record(actor, "logout", None)
    st.session_state.pop("reviewer", None)
    if cfg.mode == "oidc":
        st.logout()


def act(store: subs.Submissions, receipt: str, version: int) -> None:
    """on_click: one reviewer action on the version the reviewer was shown, authorized again right
    now, in one transaction; then publish.  Action, reason and target are read from the widgets'
    state here (button arguments would hold the values of the previous run)."""
    st.session_state["rev_notice"] = None
    action = st.session_state.get("rev_action", "approve")
    reason = st.session_state.get("rev_reason", "") or ""
    target = st.session_state.get("rev_target") if action == "merge" else None
    actor = reviewer(config())
    if actor is None:
        st.session_state["rev_notice"] = ("error", "rev.expired")
        return
    try:
        if action == "approve":
            store.approve(receipt, actor, version, reason)
        elif action == "merge":
            store.merge(receipt, actor, version, target or "", reason)
        elif action == "reject":
            store.reject(receipt, actor, version, reason)
        else:
            store.request_changes(receipt, actor, version, reason)
    except subs.ReviewConflict:
        st.session_state["rev_notice"] = ("warning", "rev.conflict")
        return
    except ValueError:
        st.session_state["rev_notice"] = ("error", f"rev.need.{action}")
        return
    except StoreUnavailable as exc:  # disk full / damaged store: the decision was not saved
        st.session_state["rev_notice"] = ("error", store_problem(exc))
        return
    if action in ("approve", "merge"):
        try:
            publish.request(actor.id, store.store.url or store.store.path)
        except (StoreUnavailable, OSError):  # saved; the next resume (govmap/review/publish.py) publishes it
            st.session_state["rev_notice"] = ("warning", "rev.publish.deferred")
            return
    st.session_state["rev_notice"] = ("success", f"rev.done.{action}")
    st.session_state["rev_reason"] = ""


def catalog_orgs() -> dict[str, str]:
    cat = context.catalog()
    if cat is None:
        return {}
    frame = cat.frame("SELECT org_id, name_ja FROM organisations ORDER BY name_key")
    return dict(zip(frame["org_id"], frame["name_ja"]))


def review_panel(store: subs.Submissions, items: list[dict]) -> None:
    """The chosen submission: diff against what is known, the private contact, the actions."""
    names = {i["receipt"]: f"{subs.format_receipt(i['receipt'])} {escape.plain(i['name_ja'])}" for i in items}
    receipt = st.selectbox(t("rev.pick"), list(names), format_func=names.get, key="rev_pick")
    detail = store.detail(receipt)
    entry = detail["entry"]
    st.subheader(t("rev.detail", receipt=subs.format_receipt(receipt), version=detail["current_version"]))
    st.text(escape.plain(entry["org"]["name_ja"]))
    st.info(t(f"rev.status.{detail['status']}"))
    if detail["duplicates"]:
        st.warning(t("rev.duplicates"))
        st.text(", ".join(f"{escape.plain(d['name_ja'])} ({d['org_id']})" for d in detail["duplicates"]))
    if detail.get("similar_submissions"):
        st.warning(t("rev.similar_submissions"))
        st.text(", ".join(f"{subs.format_receipt(d['receipt'])} {escape.plain(d['name_ja'])} ({', '.join(d['reasons'])})"
                          for d in detail["similar_submissions"]))
    options = comparisons(detail)
    choices = [None, *options]
    if st.session_state.get("rev_compare") not in choices:  # another submission was picked
        st.session_state.pop("rev_compare", None)
    choice = st.selectbox(t("rev.compare"), choices, key="rev_compare", index=1 if options else 0,
                          format_func=labelled(choices, lambda c: t("rev.compare.none") if c is None else options[c]))
    changed_only = st.toggle(t("rev.diff.changed_only"), key="rev_changed_only")
    diff_table(baseline(choice, detail), entry, changed_only)
    with st.expander(t("rev.contact")):
        contact(detail)
    st.subheader(t("rev.actions"))
    if detail["status"] not in ("pending", "changes_requested"):
        st.caption(t("rev.decided"))
        return
    actions = [a for a in ACTIONS if detail["status"] in subs.REVIEWABLE[a]]
    action = st.radio(t("rev.action"), actions, key="rev_action", horizontal=True,
                      format_func=labelled(actions, lambda a: t(f"rev.action.{a}")))
    if action == "merge":
        orgs = catalog_orgs()
        preferred = [o.removeprefix("org:") for o in options if o.startswith("org:")]
        ids = list(dict.fromkeys([*[p for p in preferred if p in orgs], *orgs]))
        st.selectbox(t("rev.merge_into"), ids, key="rev_target",
                     format_func=labelled(ids, lambda o: f"{escape.plain(orgs[o])} ({o})"))
    st.text_area(t(f"rev.reason.{action}"), key="rev_reason")
    st.button(t("rev.confirm"), key="rev_confirm", type="primary", on_click=act,
              args=(store, receipt, detail["current_version"]))


def notice() -> None:
    item = st.session_state.get("rev_notice")
    if item:
        getattr(st, item[0])(t(item[1]))


def queue_table(items: list[dict]) -> None:
    st.dataframe(pd.DataFrame({
        t("rev.col.receipt"): [subs.format_receipt(i["receipt"]) for i in items],
        t("col.name"): [i["name_ja"] for i in items],
        t("rev.col.status"): [t(f"rev.status.{i['status']}") for i in items],
        t("rev.col.kind"): [", ".join(t(f"rev.kind.{k}") for k in i["kinds"]) for i in items],
        t("rev.col.version"): [i["version"] for i in items],
        t("rev.col.updated"): [i["updated_at"][:19].replace("T", " ") for i in items]}), hide_index=True)


def comparisons(detail: dict) -> dict[str, str]:
    """What the submission can be compared with: organisations it names or resembles, earlier versions."""
    out = {}
    for org_id in dict.fromkeys([detail.get("target_org_id"), detail.get("published_org_id"),
                                 *[d["org_id"] for d in detail.get("duplicates", [])]]):
        if org_id:
            out[f"org:{org_id}"] = t("rev.compare.org", id=org_id)
    for v in reversed(detail["versions"][:-1]):
        out[f"version:{v['version']}"] = t("rev.compare.version", n=v["version"])
    return out


def baseline(choice: str | None, detail: dict) -> dict | None:
    if not choice:
        return None
    kind, _, value = choice.partition(":")
    if kind == "org":
        cat = context.catalog()
        return diff.catalog_entry(cat, value) if cat else None
    return next((v["payload"] for v in detail["versions"] if str(v["version"]) == value), None)


def diff_table(current: dict | None, proposed: dict, changed_only: bool) -> None:
    lang = context.lang()
    rows = diff.rows(current, proposed, lang, changed_only=changed_only)
    st.dataframe(pd.DataFrame({t("rev.diff.field"): [r["label"] for r in rows],
                               t("rev.diff.current"): [r["current"] for r in rows],
                               t("rev.diff.proposed"): [r["proposed"] for r in rows],
                               t("rev.diff.changed"): ["●" if r["changed"] else "" for r in rows]}),
                 hide_index=True, width="stretch")


def contact(detail: dict) -> None:
    st.caption(t("rev.contact_help"))
    for key, value in (detail.get("contact") or {}).items():
        if value:
            st.text(f"{t('sub.contact.' + key)}: {escape.plain(value)}")


def audit_view(store: subs.Submissions) -> None:
    entries = store.audit(limit=500)
    st.caption(t("rev.audit.chain_ok" if store.verify_audit_chain() else "rev.audit.chain_broken"))
    if not entries:
        st.caption(t("rev.audit.empty"))
        return
    st.dataframe(pd.DataFrame({
        "#": [e["seq"] for e in entries], t("rev.audit.at"): [e["at"][:19].replace("T", " ") for e in entries],
        t("rev.audit.who"): [f"{e['actor_label']} ({e['actor']})" for e in entries],
        t("rev.audit.action"): [e["action"] for e in entries],
        t("rev.col.receipt"): [subs.format_receipt(e["receipt"]) if e["receipt"] else "" for e in entries],
        t("rev.col.version"): [e["version"] for e in entries], t("rev.audit.why"): [e["reason"] or "" for e in entries],
    }), hide_index=True)
    seq = st.selectbox(t("rev.audit.pick"), [e["seq"] for e in entries], key="rev_audit_pick")
    entry = next(e for e in entries if e["seq"] == seq)
    left, right = st.columns(2)
    for column, side in ((left, "before"), (right, "after")):
        column.caption(t(f"rev.audit.{side}"))
        column.code(json.dumps(json.loads(entry[side]), ensure_ascii=False, indent=1) if entry[side] else "—",
                    language="json")


def publish_view(store: subs.Submissions) -> None:
    """Every publish request with its state and, for a failure, why; whether the catalog in place
    includes every approval; a newest catalog file that could not be read."""
    cat = context.catalog()
    problem = context.catalog_pool().problem
    if problem:
        st.warning(t("catalog.kept_previous", reason=escape.markdown_text(problem[:300])))
    published = int((cat.meta().get("approval_watermark") if cat else 0) or 0)
    if cat is not None:
        st.caption(t("rev.publish.catalog", built_at=cat.meta().get("built_at", "?"), watermark=published))
    wanted = store.store.approval_watermark()
    if wanted > published:
        st.info(t("rev.publish.behind", watermark=wanted))
    runs = store.store.publishes()
    if not runs:
        st.caption(t("rev.publish.none"))
        return
    if runs[0]["ok"] == 0:
        st.error(t("rev.publish.failed_note"))

    def state(r: dict) -> str:
        if r["finished_at"] is None:
            return t("rev.publish.running") if r["started_at"] else t("rev.publish.waiting")
        return "✓" if r["ok"] else "✗"

    st.dataframe(pd.DataFrame({
        t("rev.publish.requested"): [r["requested_at"] for r in runs],
        t("rev.publish.started"): [r["started_at"] or "" for r in runs],
        t("rev.publish.finished"): [r["finished_at"] or "" for r in runs],
        t("rev.publish.ok"): [state(r) for r in runs],
        t("rev.publish.by"): [r["requested_by"] for r in runs], t("rev.publish.message"): [r["message"] or "" for r in runs],
    }), hide_index=True)
