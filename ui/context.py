"""Streamlit-side glue shared by every page: the cached read-only catalog, the language, the
URL query-string state and the footer.  Domain logic stays in govmap/ (no streamlit there)."""

from __future__ import annotations

import threading

import streamlit as st

from govmap import escape, i18n, settings
from govmap.catalog import Catalog, CatalogMissing, file_identity


_open: dict[str, Catalog] = {}
_open_lock = threading.Lock()


def catalog() -> Catalog | None:
    """The current catalog, reopened when a new build has been swapped in; None if missing.

    The old connection is closed *before* the new one is opened: DuckDB keeps one database
    instance per file path in a process, and while any connection to it is open, connecting to
    the same path again returns that instance, i.e. the replaced file (so a published build
    would never be seen without a restart)."""
    path = settings.path("catalog_path")
    identity = file_identity(path)
    if identity is None:
        return None
    with _open_lock:
        current = _open.get(str(path))
        if current is not None and current.identity == identity:
            return current
        if current is not None:
            current.close()
            del _open[str(path)]
        try:
            _open[str(path)] = Catalog(path)
        except CatalogMissing:
            return None
        return _open[str(path)]


def leave_pages_folder_mode() -> None:
    """Make sure this run goes through app.py's st.navigation, not Streamlit's pages/ fallback.

    Streamlit decides per process, before the first script run, whether an app with a `pages/`
    folder is a legacy (v1) multipage app; only a call of st.navigation turns that off.  Until then
    a request for a page URL (the first one after a server start, or any AppTest rerun) executes
    pages/<name>.py alone: no app.py, so no language switch, sections or footer, and Streamlit's
    plain file list in the sidebar.  A page that finds the flag still set clears it and reruns, and
    the rerun executes app.py, which shows the requested page.
    """
    from streamlit.runtime.pages_manager import PagesManager
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def lang() -> str:
    """UI language from the URL (?lang=en), kept in session state; Japanese by default."""
    leave_pages_folder_mode()
    if "lang" not in st.session_state:
        st.session_state["lang"] = i18n.normalize_lang(st.query_params.get("lang", "ja"))
    return st.session_state["lang"]


def t(key: str, **values) -> str:
    return i18n.t(key, lang(), **values)


def language_switch() -> None:
    """Sidebar switch between 日本語 and English, mirrored in the URL (?lang=en).

    The widget keeps its own state under its key; its label is bilingual and fixed, so the
    widget's identity does not change when the language does (a changing label or index would
    make Streamlit treat it as a new widget and drop the user's choice).
    """
    if "lang_switch" not in st.session_state:
        st.session_state["lang_switch"] = lang()
    choice = st.sidebar.radio("言語 / Language", ("ja", "en"), key="lang_switch", horizontal=True,
                              format_func=lambda v: "日本語" if v == "ja" else "English")
    st.session_state["lang"] = choice
    if choice == "en":
        st.query_params["lang"] = "en"
    elif "lang" in st.query_params:
        del st.query_params["lang"]


def require_catalog() -> Catalog:
    cat = catalog()
    if cat is None:
        st.error(t("catalog.missing"))
        st.stop()
    if cat.is_synthetic:
        st.warning(t("catalog.synthetic"))
    return cat


def footer(cat: Catalog | None) -> None:
    st.divider()
    st.caption(escape.markdown_text(t("footer.attribution")))
    if cat is not None:
        figures = cat.figures()
        st.caption(escape.markdown_text(t("footer.catalog", built_at=cat.meta().get("built_at", "?"),
                                          organisations=figures["organisations"], adoptions=figures["adoptions"])))
