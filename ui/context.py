"""Streamlit-side glue shared by every page: the cached read-only catalog, the language, the
URL query-string state and the footer.  Domain logic stays in govmap/ (no streamlit there)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import streamlit as st

from govmap import escape, i18n, settings  # noqa: F401 (registers messages)
from govmap.review import durability_messages, publish
from govmap.finder.catalog import Catalog, CatalogPool, CatalogUnreadable


_pools: dict[str, CatalogPool] = {}
_pools_lock = threading.Lock()


def catalog_pool() -> CatalogPool:
    """This process's pool of the configured catalog file (govmap/finder/catalog.py CatalogPool)."""
    path = str(settings.path("catalog_path"))
    with _pools_lock:
        if path not in _pools:
            _pools[path] = CatalogPool(Path(path))
        return _pools[path]


def catalog() -> Catalog | None:
    """A handle of the current catalog; None if there is none (missing, or unreadable with no
    good build open).

    A newly swapped-in build is opened beside the one in use; a run keeps the handle it got, and
    the replaced build is closed once no run holds a handle of it (sessions switch at their next
    run, nobody's query is cut off).  A corrupt new file is not switched to: the last good build
    keeps being served (``CatalogPool.problem`` says why)."""
    try:
        return catalog_pool().handle()
    except CatalogUnreadable:
        return None


def resume_publishing() -> None:
    """On the first run after the app starts, then at most every ``publish_check_seconds``: finish
    the publishes a dead app or build left (govmap/review/publish.py resume), in the background so no
    page waits for it.  A failure here is logged; the next check tries again."""
    store_path, catalog_path = None, settings.path("catalog_path")  # None: the configured store
    if not publish.due(store_path, catalog_path):
        return

    def work() -> None:
        try:
            publish.resume(store_path, catalog_path, force=True)
        except Exception:  # e.g. the store's disk is full or the store is damaged
            logging.getLogger("govmap.review.publish").exception("resuming publishes failed")

    threading.Thread(target=work, name="govmap-publish-resume", daemon=True).start()


def require_store() -> None:
    """Stop the page with a clear message when the submission store cannot be used (a damaged
    file); the buyer pages never need it and keep working.  A full disk is said but does not stop
    the page: the form and what the vendor typed stay on screen for a later retry."""
    from govmap.review.store import DiskFull, Store, StoreUnavailable
    try:
        Store().ping()
    except DiskFull as exc:
        store_unavailable(exc)
    except StoreUnavailable as exc:
        store_unavailable(exc)
        st.stop()


def store_unavailable(exc: Exception) -> None:
    """What a page shows when the submission store cannot be used (disk full, damaged file)."""
    from govmap.review.durability_messages import store_problem
    logging.getLogger("govmap.review.store").error("submission store unavailable: %s", exc)
    st.error(t(store_problem(exc)))


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
    try:
        cat = catalog_pool().handle()
    except CatalogUnreadable:
        st.error(t("catalog.unreadable"))
        st.stop()
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
