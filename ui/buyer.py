"""Streamlit pieces shared by the buyer pages: the cached Browser, the results table, exports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from govmap import escape, i18n
from govmap.finder import exports, source_quality
from govmap.finder.browse import Browser, describe_reasons
from govmap.finder.catalog import Catalog
from ui import context


@st.cache_resource(max_entries=2, show_spinner=False)
def _browser(path: str, identity: tuple, _catalog: Catalog) -> Browser:
    return Browser(_catalog)


def browser(cat: Catalog) -> Browser:
    """One Browser per catalog build (rebuilt when a new catalog is swapped in)."""
    return _browser(str(cat.path), cat.identity, cat)


@st.cache_resource(max_entries=2, show_spinner=False)
def _analytics(path: str, identity: tuple, _catalog: Catalog):
    from govmap.lockin.analytics import Analytics
    return Analytics(_catalog, browser(_catalog))


def analytics(cat: Catalog):
    """One govmap.lockin.analytics.Analytics per catalog build, shared by the analysis pages."""
    return _analytics(str(cat.path), cat.identity, cat)


def pick_and_act(ids: list[str], names: dict[str, str], selected: str | None, b: Browser, key: str,
                 pick_key: str | None = None) -> str:
    """Choose one listed organisation (the one clicked on the map first), then open it or shortlist it.
    ``pick_key`` names the picker's state (a page may give each result set its own); returns the pick."""
    from ui import state
    lang = context.lang()
    pick = st.selectbox(context.t("search.pick"), ids, index=ids.index(selected) if selected in ids else 0,
                        format_func=lambda i: names[i], key=pick_key or f"{key}_pick")
    left, right = st.columns(2)
    if left.button(context.t("search.open"), key=f"{key}_open"):
        st.switch_page("pages/vendor.py", query_params={"org": pick, **({"lang": lang} if lang != "ja" else {})})
    if right.button(context.t("search.add"), key=f"{key}_add"):
        if state.add_to_shortlist(pick, set(b.row_of)):
            st.success(context.t("search.added", name=escape.markdown_text(names[pick])))
        else:
            st.warning(context.t("shortlist.full", n=state.MAX_SHORTLIST))
    return pick


def municipality_picker(codes: list[str], wanted: str | None, key: str) -> str | None:
    """The municipality selectbox of the analysis pages, with a finder above it that accepts kanji,
    kana and romaji in any common spelling (govmap.places); names in the UI language.  The chosen
    code is kept across language switches and pages (ui.state.keep)."""
    from ui import state
    b = browser(context.catalog())
    lang = context.lang()
    current = state.keep(key, wanted if wanted in codes else None, state.one_of([None, *codes]))
    text = st.text_input(context.t("places.find"), key=f"{key}_find", max_chars=50)
    options = b.places.find(text, codes) if text.strip() else codes
    if text.strip() and not options:
        st.caption(context.t("places.find_none", q=escape.markdown_text(text)))
    if len(options) == 1 and current != options[0]:
        st.session_state[key] = current = options[0]  # the only match: chosen for the user
    if current and current not in options:
        options = [current, *options]
    return st.selectbox(context.t("an.municipality"), options, index=None, key=key, placeholder="—",
                        format_func=lambda c: b.places.municipality_label(c, lang))


def all_kinds_checkbox(key: str) -> bool:
    """The market-share pages' "count every kind" checkbox (off: contracts and joint procurements
    only), kept as a code in the URL (``?kinds=all``, ui.state) and across language switches, with a
    caption saying what the figures count."""
    from ui import state
    state.keep(key, state.read_all_kinds(), bool)
    on = bool(st.checkbox(context.t("kinds.all"), key=key, help=context.t("kinds.all_help")))
    state.write_all_kinds(on)
    st.caption(context.t("kinds.every" if on else "kinds.market"))
    return on


def quality_label(quality, lang: str | None = None) -> str:
    """A source quality in the UI language; weak ones (aggregators, copies) say so; unknown when none."""
    lang = lang or context.lang()
    if not isinstance(quality, str) or not quality:
        return i18n.t("common.unknown", lang)
    label = source_quality.label(quality, lang)
    return i18n.t("fact.weak", lang, label=label) if quality in source_quality.WEAK else label


def hq_label(row, lang: str | None = None, b: Browser | None = None) -> str:
    """Head office in the UI language (gazetteer romaji in English), or "unknown"."""
    lang = lang or context.lang()
    b = b or browser(context.catalog())
    label = b.places.hq_label(row.get("hq_pref_name"), row.get("hq_municipality_name"),
                              row.get("hq_municipality_code"), lang)
    return label or i18n.t("common.unknown", lang)


def display_frame(orgs: pd.DataFrame, b: Browser, lang: str | None = None) -> pd.DataFrame:
    """The result list as the user sees and exports it (plain values; escaping happens on export).
    ``lang`` given: no Streamlit call at all (deferred downloads run outside the page script)."""
    lang = lang or context.lang()
    labels = b.category_labels(lang)
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    return pd.DataFrame({
        "org_id": orgs["org_id"],
        t("col.name"): orgs["name_ja"],
        t("col.name_en"): orgs["name_en"],
        t("col.type"): [t(f"org_type.{v}") if isinstance(v, str) else "" for v in orgs["org_type"]],
        t("col.hq"): [hq_label(r, lang, b) for r in
                      orgs[["hq_pref_name", "hq_municipality_name", "hq_municipality_code"]].to_dict("records")],
        t("col.categories"): [" / ".join(labels.get(c, c) for c in cats) for cats in orgs["categories"]],
        t("col.adoptions"): orgs["n_adoptions"],
        t("col.why"): [describe_reasons(r, lang, labels) for r in orgs["reasons"]],
        t("col.website"): [escape.safe_url(u) for u in orgs["website"]],
        t("col.sources"): ["; ".join(u) for u in orgs["source_urls"]],
    })


def export_buttons(frame, query: str, filters: dict, b: Browser, key: str, name: str) -> None:
    """CSV (UTF-8 BOM, formulas neutralised) and XLSX, each stamped with query, filters, time, build.
    ``frame`` may be a function returning the frame: the files are then made when clicked."""
    download_buttons(frame, exports.stamp(query, filters, b.meta, context.lang()), key, name)


def download_buttons(frame, lines: list[tuple[str, str]], key: str, name: str, sheet: str = "results") -> None:
    """CSV (UTF-8 BOM, cells neutralised) and XLSX (text cells typed as text) of ``frame`` with the
    stamp ``lines`` above it (a sheet of its own in XLSX).  ``frame`` may be a function (made on click)."""
    if callable(frame):
        csv_data = lambda: exports.csv_bytes(frame(), lines)  # noqa: E731
        xlsx_data = lambda: exports.xlsx_bytes(frame(), lines, sheet)  # noqa: E731
    else:
        csv_data, xlsx_data = exports.csv_bytes(frame, lines), exports.xlsx_bytes(frame, lines, sheet)
    left, right = st.columns(2)
    left.download_button(context.t("search.export_csv"), csv_data,
                         file_name=f"{name}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore")
    right.download_button(context.t("search.export_xlsx"), xlsx_data,
                          file_name=f"{name}.xlsx", key=f"{key}_xlsx", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@st.cache_resource(max_entries=2, show_spinner=False)
def _core_systems(path: str, identity: tuple, _catalog: Catalog):
    from govmap.coresystems.standardisation import CoreSystems
    return CoreSystems(_catalog)


def core_systems(cat: Catalog):
    """One govmap.coresystems.standardisation.CoreSystems per catalog build (基幹業務・標準化 page)."""
    return _core_systems(str(cat.path), cat.identity, cat)
