"""Printing the buyer pages (vendor, shortlist, comparison) for 選定理由 paperwork (issue 12).

Two parts:

* a stylesheet on every such page: static table cells wrap anywhere (a long source URL does not widen
  its column past the page); in print, the sidebar, the header/toolbar, buttons and the running
  indicator are not printed, and the page's scroll containers are let out so every page of a long
  page prints (Streamlit's app view is a fixed-height scroll box);
* a printable view (toggle, kept in the URL as ``print=1``): ``st.dataframe`` is a canvas grid that
  prints only the rows and columns inside its scroll box, so in the printable view every table is a
  static ``st.table`` with all rows and every column, and maps are left out.

st.table renders Markdown in its cells and headers: every cell goes through escape.markdown_text.
tests/browser/test_print_browser.py prints each page to PDF in Chromium and reads the text back.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from govmap import escape  # noqa: F401  (compare registers the print messages)
from govmap.finder import compare
from ui import context, state

PRINT_CSS = """<style>
[data-testid="stTable"] td, [data-testid="stTable"] th, [data-testid="stTable"] td *, [data-testid="stTable"] th * {
  overflow-wrap: anywhere !important; word-break: normal !important; }
.st-key-fit_table table { table-layout: fixed !important; width: 100% !important; }
.st-key-fit_table th:first-child { width: 10em; }
.st-key-fit_table td, .st-key-fit_table th, .st-key-fit_table td * { white-space: normal !important; }
@media print {
  section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stSidebarNav"], [data-testid="stButton"], [data-testid="stDownloadButton"],
  [data-testid="stCheckbox"], [data-testid="stElementToolbar"], iframe { display: none !important; }
  html, body, .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  section.main, [data-testid="stMainBlockContainer"] {
    position: static !important; height: auto !important; max-height: none !important;
    overflow: visible !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  [data-testid="stTable"], [data-testid="stTable"] > div { overflow: visible !important; }
  [data-testid="stTable"] table { display: table !important; width: 100% !important; table-layout: fixed !important; }
  [data-testid="stTable"] td, [data-testid="stTable"] th, [data-testid="stTable"] td * {
    white-space: normal !important; font-size: 9pt; }
  tr, td, th { break-inside: avoid !important; page-break-inside: avoid !important; }
  [data-testid="stTable"] td > div, [data-testid="stTable"] td span { break-inside: avoid !important; }
}
</style>"""
# In the printable view the pickers and text boxes are not printed either (the page prints their values).
PRINT_VIEW_CSS = """<style>
@media print {
  [data-testid="stTextArea"], [data-testid="stSelectbox"], [data-testid="stMultiSelect"],
  [data-testid="stTextInput"], [data-testid="stSlider"] { display: none !important; }
}
</style>"""


def printable(key: str) -> bool:
    """The print stylesheet, and the printable-view toggle (from and to ``?print=1``)."""
    st.html(PRINT_CSS)
    on = state.keep(key, st.query_params.get("print", "") == "1", bool)
    on = st.toggle(context.t("print.toggle"), key=key)
    state.write_param("print", "1" if on else "")
    if on:
        st.html(PRINT_VIEW_CSS)
        st.caption(context.t("print.hint"))
    return bool(on)


def grid(frame: pd.DataFrame, on: bool, fit: bool = False, **dataframe_args) -> None:
    """``st.table`` with every cell and header escaped in the printable view, else ``st.dataframe``.
    ``fit``: the static table's columns share the page width on screen too (none runs off the edge;
    Streamlit's own table grows past it when a cell holds a long URL); in print every table does."""
    if not on:
        st.dataframe(frame, hide_index=True, **dataframe_args)
        return
    hidden = [name for name, conf in (dataframe_args.get("column_config") or {}).items() if conf is None]
    shown = frame.drop(columns=[c for c in hidden if c in frame.columns])
    safe = pd.DataFrame({escape.markdown_text(column): [escape.markdown_text(_text(v)) for v in shown[column]]
                         for column in shown.columns})
    if fit:
        with st.container(key="fit_table"):
            st.table(safe, hide_index=True)
    else:
        st.table(safe, hide_index=True)


def _text(value) -> str:
    from govmap.finder.exports import cell_text
    return str(cell_text(value))
