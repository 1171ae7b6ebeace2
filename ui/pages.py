"""The page registry: one place that lists the app's pages, their URL paths and titles."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from govmap import i18n

ROOT = Path(__file__).resolve().parent.parent
# (section, file in pages/, url path, title key, icon, default)
PAGES = [
    ("nav.section.find", "home.py", "home", "nav.home", ":material/home:", True),
]


def page_list(lang: str) -> dict[str, list]:
    sections: dict[str, list] = {}
    for section, filename, url_path, title_key, icon, default in PAGES:
        path = ROOT / "pages" / filename
        if not path.exists():
            continue
        page = st.Page(str(path), title=i18n.t(title_key, lang), icon=icon, url_path=url_path, default=default)
        sections.setdefault(i18n.t(section, lang), []).append(page)
    return sections
