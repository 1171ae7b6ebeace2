"""Widgets of the 掲載申請 form (pages/submit.py).  Every value lives in session state under
``f.<field>`` (field names as in govmap/review/submission_form.py), so input survives every rerun and an
error is shown right under its field.  Sending happens in button callbacks, which run before the
script: the rerun that follows already knows the receipt or the errors."""

from __future__ import annotations

import hashlib
import time

import streamlit as st

from govmap.review import antiautomation as aa
from govmap import escape, i18n, settings
from govmap.review import submission_form as sf
from govmap.review import submissions as subs
from govmap.review.durability_messages import store_problem
from govmap.geocode import Gazetteer
from govmap.review.store import ChallengeRefused, Limit, RateLimited, StoreUnavailable
from ui import context

P = "f."
t = context.t


@st.cache_resource(show_spinner=False)
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@st.cache_resource(show_spinner=False)
def municipalities_by_pref() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for code, row in sorted(gazetteer().municipalities.items()):
        out.setdefault(row["pref_code"], []).append(code)
    return out


def store() -> subs.Submissions:
    return subs.Submissions()


def state(field: str, default=None):
    return st.session_state.get(P + field, default)


def put(field: str, value) -> None:
    st.session_state[P + field] = value


def flat() -> dict:
    return {k[len(P):]: v for k, v in st.session_state.items() if isinstance(k, str) and k.startswith(P)}


def clear_form() -> None:
    for k in [k for k in st.session_state if isinstance(k, str) and k.startswith(P)]:
        del st.session_state[k]


def init() -> None:
    """First run of a form: counters, the time it was first shown, the nonce and token it will use."""
    defaults = {"started": time.time, "n_svc": lambda: 1, "n_ado": lambda: 0, "nonce": subs.new_nonce,
                "token": subs.new_token}
    for field, make in defaults.items():
        if state(field) is None:
            put(field, make())
    if "sub_session" not in st.session_state:
        st.session_state["sub_session"] = subs.new_nonce()
    if "pow_challenge" not in st.session_state:
        issue_challenge()


def client_address() -> str:
    """This session's client address as the trusted proxy reports it (govmap/review/antiautomation.py)."""
    return aa.client_address(st.context.headers, st.context.ip_address)


def issue_challenge() -> None:
    """A fresh proof-of-work challenge for this form, harder while many submissions arrive."""
    store_ = store().store
    bits = aa.difficulty(store_.recent("global", float(settings.get("submit_global_window_seconds"))))
    challenge = store_.issue_challenge(client_address(), bits, float(settings.get("submit_challenge_seconds")))
    st.session_state["pow_challenge"] = {"id": challenge, "bits": bits}
    st.session_state.pop("pow_solution", None)


_POW = st.components.v2.component("govmap_pow", js=aa.pow_script())


def proof_of_work() -> None:
    """The browser solves this session's challenge while the vendor types (static/pow.js); the
    solution waits in the session until the form is sent.  Nothing is shown."""
    challenge = st.session_state["pow_challenge"]
    result = _POW(key="sub_pow", data={"challenge": challenge["id"], "bits": challenge["bits"]},
                  on_solution_change=lambda: None, height=0, isolate_styles=False)
    solution = str(result.get("solution") or "")
    if solution.startswith(challenge["id"] + ":"):
        st.session_state["pow_solution"] = solution


def proof() -> tuple[str, str] | None:
    challenge, solution = st.session_state.get("pow_challenge"), st.session_state.get("pow_solution") or ""
    if not challenge or not solution.startswith(challenge["id"] + ":"):
        return None
    return challenge["id"], solution.split(":", 1)[1]


def error(field: str) -> None:
    problem = state("errors", {}).get(field)
    if problem:
        st.error(problem[context.lang()] if isinstance(problem, dict) else str(problem), icon=":material/error:")


def text(field: str, label: str, *, area: bool = False, help: str | None = None, on_change=None) -> None:
    if area:
        st.text_area(label, key=P + field, help=help, height=100)
    else:
        st.text_input(label, key=P + field, help=help, on_change=on_change)
    error(field)


def labelled(options, fmt):
    """A format_func over labels made now: AppTest calls format functions outside the script run,
    where the session's language cannot be read."""
    labels = {o: fmt(o) for o in options}
    return lambda o: labels.get(o, str(o))


def choice(field: str, label: str, options: list, fmt, *, radio: bool = False, index_none: bool = True) -> None:
    if state(field) not in options:
        st.session_state.pop(P + field, None)
    fmt = labelled(options, fmt)
    if radio:
        st.radio(label, options, key=P + field, format_func=fmt, horizontal=True)
    else:
        st.selectbox(label, options, key=P + field, format_func=fmt, index=None if index_none else 0,
                     placeholder=t("sub.choose"))
    error(field)


def pref_label(code: str) -> str:
    return gazetteer().prefectures[code]["pref_name"] if code in gazetteer().prefectures else str(code)


def muni_label(code: str) -> str:
    if code == sf.PREFECTURE_ITSELF:
        return t("sub.ado.prefecture_itself")
    row = gazetteer().municipality(code) if code else None
    return row["name_ja"] if row else t("sub.unset")


def postal_filled() -> None:
    """on_change of the postal code: fill prefecture and municipality, or offer the choices."""
    put("postal_choices", [])
    try:
        code = sf.validators.postal_code(state("org.postal_code", ""))
    except sf.InvalidValue:
        return
    codes = gazetteer().postal_lookup(code)
    if codes:
        put("org.pref_code", gazetteer().municipality(codes[0])["pref_code"])
    if len(codes) == 1:
        put("org.municipality_code", codes[0])
    elif len(codes) > 1:
        put("postal_choices", codes)
        put("org.municipality_code", None)


def location_fields() -> None:
    gaz = gazetteer()
    text("org.postal_code", t("sub.org.postal_code"), help=t("sub.org.postal_code_help"), on_change=postal_filled)
    choices = state("postal_choices", [])
    if choices:
        st.info(t("sub.org.postal_several"))
        choice("org.municipality_code", t("sub.org.municipality"), choices, muni_label, radio=True)
    left, right = st.columns(2)
    with left:
        choice("org.pref_code", t("sub.org.pref") + " *", sorted(gaz.prefectures), pref_label)
    with right:
        options = municipalities_by_pref().get(state("org.pref_code"), [])
        if not choices:
            choice("org.municipality_code", t("sub.org.municipality"), options, muni_label)
    text("org.address", t("sub.org.address"), help=t("sub.org.address_help"))


def add_row(counter: str, limit: int) -> None:
    put(counter, min(state(counter, 0) + 1, limit))


def remove_row(prefix: str, counter: str, i: int) -> None:
    """Drop row i of svc./ado. and shift the later rows up (their widget values move with them)."""
    n = state(counter, 0)
    values = flat()
    for j in range(i, n):
        for k in [k for k in values if k.startswith(f"{prefix}.{j}.")]:
            st.session_state.pop(P + k, None)
    for j in range(i + 1, n):
        for k, v in values.items():
            if k.startswith(f"{prefix}.{j}."):
                st.session_state[P + k.replace(f"{prefix}.{j}.", f"{prefix}.{j - 1}.", 1)] = v
    put(counter, max(n - 1, 0))


def anti_automation_field() -> None:
    """A honeypot (hidden from people by CSS: our own static style, no vendor text, filled by bots)
    and the proof of work the browser solves."""
    st.html("<style>.st-key-hp_homepage{position:absolute;left:-10000px;height:1px;overflow:hidden}</style>")
    st.text_input(t("sub.honeypot"), key="hp_homepage", autocomplete="off")
    proof_of_work()


def limits(receipt: str | None = None) -> list[Limit]:
    session = hashlib.sha256(st.session_state["sub_session"].encode()).hexdigest()[:32]
    return aa.submission_limits(session, client_address(), receipt)


def as_message(exc: sf.InvalidValue) -> dict:
    return {"ja": exc.ja, "en": exc.en}


def message(key: str, **values) -> dict:
    return {lang: i18n.t(key, lang, **values) for lang in i18n.LANGS}


def send(categories: set[str], catalog_records: list[dict]) -> None:
    """on_click of the submit button: validate, refuse automation and floods, store durably."""
    put("errors", {})
    put("notice", None)
    values = flat()
    result = sf.validate(values, state("n_svc", 0), state("n_ado", 0), gazetteer(), categories)
    if not result.ok:
        put("errors", {k: as_message(v) for k, v in result.errors.items()})
        put("notice", message("sub.fix_errors", n=len(result.errors)))
        return
    problem = sf.automation_problem(st.session_state.get("hp_homepage"), state("started"))
    if problem:
        put("notice", message(f"sub.refused.{problem}"))
        return
    solved = proof()
    if solved is None:
        put("notice", message("sub.refused.pow"))
        return
    dups = sf.likely_duplicates(values, catalog_records)
    target = state("target") or None
    revising = state("revise")
    try:
        if revising:
            done = store().revise(revising, state("edit_token"), result.entry, result.contact, nonce=state("nonce"),
                                  target_org_id=target, duplicates=dups, limits=limits(revising), proof=solved)
        else:
            done = store().submit(result.entry, result.contact, token=state("token"), nonce=state("nonce"),
                                  target_org_id=target, duplicates=dups, limits=limits(), proof=solved,
                                  address=client_address())
    except RateLimited as exc:
        put("notice", message("sub.refused.rate", seconds=exc.retry_after))
        return
    except ChallengeRefused:
        issue_challenge()  # used, expired or wrong: the browser solves a new one in the next run
        put("notice", message("sub.refused.pow"))
        return
    except (subs.InvalidToken, subs.NotRevisable):
        put("notice", message("sub.status.not_revisable"))
        return
    except StoreUnavailable as exc:  # disk full or damaged store: nothing was stored, the form is kept
        put("notice", message(store_problem(exc, form=True)))
        return
    token = state("edit_token") if revising else state("token")
    clear_form()
    st.session_state["sub_done"] = {"receipt": done.receipt, "version": done.version, "token": token,
                                    "name": result.entry["org"]["name_ja"]}
    st.session_state.pop("hp_homepage", None)
    st.session_state.pop("pow_challenge", None)  # spent: the next form gets a new one


def show_notice() -> None:
    notice = state("notice")
    if notice:
        st.warning(notice[context.lang()])



def org_fields() -> None:
    st.subheader(t("sub.section.org"))
    text("org.name_ja", t("sub.org.name_ja") + " *", help=t("sub.limit", n=sf.ORG_TEXT["name_ja"]))
    left, right = st.columns(2)
    with left:
        text("org.name_en", t("sub.org.name_en"))
        text("org.corporate_number", t("sub.org.corporate_number"), help=t("sub.org.corporate_number_help"))
        text("org.website", t("sub.org.website"), help=t("sub.url_help"))
    with right:
        text("org.name_kana", t("sub.org.name_kana"))
        choice("org.org_type", t("sub.org.org_type") + " *", list(sf.ORG_TYPES), lambda v: t(f"org_type.{v}"))
        text("org.founded_year", t("sub.org.founded_year"))
    text("org.sources", t("sub.org.sources"), area=True, help=t("sub.org.sources_help"))
    text("org.description", t("sub.org.description"), area=True, help=t("sub.limit", n=sf.ORG_TEXT["description"]))
    st.subheader(t("sub.section.location"))
    location_fields()


def tri_state(field: str, label: str) -> None:
    choice(field, label, list(sf.TRI_STATE), lambda v: t(f"sub.tri.{v}"), radio=True)


def service_fields(labels: dict[str, str]) -> None:
    st.subheader(t("sub.section.services"))
    max_cats = int(settings.get("max_categories_per_service"))
    n = state("n_svc", 1)
    error("svc")
    for i in range(n):
        p = f"svc.{i}."
        with st.container(border=True):
            st.markdown(f"**{t('sub.svc.title', n=i + 1)}**")
            text(p + "name_ja", t("sub.svc.name_ja") + " *")
            text(p + "name_en", t("sub.svc.name_en"))
            if state(p + "categories") is None:
                put(p + "categories", [])
            st.multiselect(t("sub.svc.categories", n=max_cats) + " *", list(labels), key=P + p + "categories",
                           format_func=labelled(list(labels), lambda c: labels.get(c, c)), max_selections=max_cats,
                           placeholder=t("sub.choose"))
            error(p + "categories")
            text(p + "offerings_ja", t("sub.svc.offerings_ja"), help=t("sub.svc.offerings_help"))
            text(p + "offerings_en", t("sub.svc.offerings_en"), help=t("sub.svc.offerings_help"))
            text(p + "description", t("sub.svc.description"), area=True)
            with st.expander(t("sub.svc.profile"), expanded=False):
                profile_fields(p)
            if n > 1:
                st.button(t("sub.svc.remove"), key=f"rm_svc_{i}", on_click=remove_row, args=("svc", "n_svc", i))
    st.button(t("sub.svc.add"), key="add_svc", on_click=add_row,
              args=("n_svc", int(settings.get("max_services_per_submission"))))


def profile_fields(p: str) -> None:
    st.caption(t("sub.svc.profile_help"))
    for item in sf.PROFILE_TEXT:
        text(p + item, t(f"sub.profile.{item}"))
    for item in sf.PROFILE_URL:
        text(p + item, t(f"sub.profile.{item}"), help=t("sub.url_help"))
    choice(p + "developer_role", t("sub.profile.developer_role"), ["", *sf.DEVELOPER_ROLES],
           lambda v: t(f"sub.role.{v or 'unknown'}"), radio=True)
    for item in sf.PROFILE_BOOL:
        tri_state(p + item, t(f"sub.profile.{item}"))


def adoption_fields(labels: dict[str, str]) -> None:
    st.subheader(t("sub.section.adoptions"))
    st.caption(t("sub.ado.help"))
    error("ado")
    n_svc = state("n_svc", 1)
    for i in range(state("n_ado", 0)):
        p = f"ado.{i}."
        with st.container(border=True):
            st.markdown(f"**{t('sub.ado.title', n=i + 1)}**")
            left, right = st.columns(2)
            with left:
                choice(p + "pref_code", t("sub.ado.pref") + " *", sorted(gazetteer().prefectures), pref_label)
            with right:
                options = [sf.PREFECTURE_ITSELF, *municipalities_by_pref().get(state(p + "pref_code"), [])]
                choice(p + "municipality_code", t("sub.ado.municipality") + " *", options, muni_label)
            names = [escape.plain(state(f"svc.{k}.name_ja") or t("sub.svc.title", n=k + 1)) for k in range(n_svc)]
            choice(p + "service", t("sub.ado.service") + " *", list(range(n_svc)), lambda k: names[k], index_none=False)
            cats = state(f"svc.{state(p + 'service') or 0}.categories") or []
            choice(p + "category", t("sub.ado.category") + " *", list(cats), lambda c: labels.get(c, c))
            text(p + "year", t("sub.ado.year"))
            text(p + "url", t("sub.ado.url") + " *", help=t("sub.ado.url_help"))
            st.button(t("sub.ado.remove"), key=f"rm_ado_{i}", on_click=remove_row, args=("ado", "n_ado", i))
    st.button(t("sub.ado.add"), key="add_ado", on_click=add_row,
              args=("n_ado", int(settings.get("max_adoptions_per_submission"))))


def contact_fields() -> None:
    st.subheader(t("sub.section.contact"))
    st.caption(t("sub.contact.help"))
    left, right = st.columns(2)
    with left:
        text("contact.name", t("sub.contact.name") + " *")
        text("contact.phone", t("sub.contact.phone"))
    with right:
        text("contact.email", t("sub.contact.email") + " *")
    text("contact.note", t("sub.contact.note"), area=True)
    st.checkbox(t("sub.consent"), key=P + "consent")
    error("consent")
