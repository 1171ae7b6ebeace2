"""The page registry: one place that lists the app's pages, their URL paths and titles."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from govmap import i18n

ROOT = Path(__file__).resolve().parent.parent
# (section, file in pages/, url path, title key, icon, default)
PAGES = [
    ("nav.section.find", "search.py", "search", "nav.search", ":material/map:", True),
    ("nav.section.find", "vendor.py", "vendor", "nav.vendor", ":material/business:", False),
    ("nav.section.find", "shortlist.py", "shortlist", "nav.shortlist", ":material/checklist:", False),
    ("nav.section.find", "home.py", "overview", "nav.home", ":material/info:", False),
    ("nav.section.analyse", "alternatives.py", "alternatives", "nav.alternatives", ":material/swap_horiz:", False),
    ("nav.section.analyse", "concentration.py", "concentration", "nav.concentration", ":material/pie_chart:", False),
    ("nav.section.analyse", "nearby.py", "nearby", "nav.nearby", ":material/near_me:", False),
    ("nav.section.analyse", "sql.py", "sql", "nav.sql", ":material/terminal:", False),
    ("nav.section.contribute", "submit.py", "submit", "nav.submit", ":material/edit_note:", False),
    ("nav.section.contribute", "review.py", "review", "nav.review", ":material/fact_check:", False),
]
# A page whose file does not exist yet is simply not listed.


def page_list(lang: str) -> dict[str, list]:
    sections: dict[str, list] = {}
    for section, filename, url_path, title_key, icon, default in PAGES:
        path = ROOT / "pages" / filename
        if not path.exists():
            continue
        page = st.Page(str(path), title=i18n.t(title_key, lang), icon=icon, url_path=url_path, default=default)
        sections.setdefault(i18n.t(section, lang), []).append(page)
    return sections
