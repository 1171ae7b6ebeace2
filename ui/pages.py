"""The page registry: one place that lists the app's pages, their URL paths and titles."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from govmap import i18n
from govmap.coresystems import standardisation  # noqa: F401  (registers nav.core_systems)

ROOT = Path(__file__).resolve().parent.parent
# (section, file in pages/, url path, title key, icon, default)
PAGES = [
    ("nav.section.find", "search.py", "search", "nav.search", ":material/map:", True),
    ("nav.section.find", "vendor.py", "vendor", "nav.vendor", ":material/business:", False),
    ("nav.section.find", "shortlist.py", "shortlist", "nav.shortlist", ":material/checklist:", False),
    ("nav.section.find", "compare.py", "compare", "nav.compare", ":material/compare_arrows:", False),
    ("nav.section.find", "home.py", "overview", "nav.home", ":material/info:", False),
    ("nav.section.analyse", "core_systems.py", "core_systems", "nav.core_systems", ":material/account_balance:", False),
    ("nav.section.analyse", "alternatives.py", "alternatives", "nav.alternatives", ":material/swap_horiz:", False),
    ("nav.section.analyse", "concentration.py", "concentration", "nav.concentration", ":material/pie_chart:", False),
    ("nav.section.analyse", "nearby.py", "nearby", "nav.nearby", ":material/near_me:", False),
    ("nav.section.analyse", "sql.py", "sql", "nav.sql", ":material/terminal:", False),
    ("nav.section.contribute", "submit.py", "submit", "nav.submit", ":material/edit_note:", False),
    ("nav.section.contribute", "review.py", "review", "nav.review", ":material/fact_check:", False),
]
# A page whose file does not exist yet is simply not listed.


def page_list(lang: str) -> dict[str, list]:
    """The pages for ``st.navigation``, titled in ``lang``.  Called once per run before the page, so
    it also keeps the buyer's shortlist and note in the URL on every page (ui.state.carry) and sends an
    unknown path to the map page with a notice in the page's language (route_unknown_path)."""
    from govmap import escape  # noqa: F401  (compare registers the page's title)
    from govmap.finder import compare
    from ui import state
    state.carry()
    unknown = route_unknown_path()
    if unknown:
        st.info(escape.markdown_text(i18n.t("nav.unknown_path", lang, path=unknown[:100])))
    sections: dict[str, list] = {}
    for section, filename, url_path, title_key, icon, default in PAGES:
        path = ROOT / "pages" / filename
        if not path.exists():
            continue
        page = st.Page(str(path), title=i18n.t(title_key, lang), icon=icon, url_path=url_path, default=default)
        sections.setdefault(i18n.t(section, lang), []).append(page)
    return sections


def route_unknown_path() -> str | None:
    """Send a request for an unknown page path (``/search``, an old or guessed link) to the default
    page, before ``st.navigation`` would open Streamlit's English "Page not found" dialog.

    Returns the unknown path when it was not simply the default page's own ``url_path`` (the caller
    then says so in the page's language), else None.  Uses Streamlit's page manager (1.67), like
    ``ui.context.leave_pages_folder_mode``; tests/browser/test_buyer_state_browser.py checks it.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    if manager is None or manager.intended_page_script_hash or not manager.intended_page_name:
        return None
    name = str(manager.intended_page_name).strip("/")
    known = {url_path for _, filename, url_path, *_ in PAGES if (ROOT / "pages" / filename).exists()}
    if name in known and not any(url_path == name and default for _, _, url_path, _, _, default in PAGES):
        return None
    manager.set_script_intent("", "")
    return None if any(url_path == name and default for _, _, url_path, _, _, default in PAGES) else name
