"""Govtech vendor capability map: the Streamlit entry point (navigation, language, footer)."""

from pathlib import Path

import streamlit as st

from govmap.review.store import StoreUnavailable
from ui import context
from ui.pages import page_list

st.set_page_config(page_title="Govtech ベンダーマップ", page_icon=str(Path(__file__).parent / "static" / "favicon.png"), layout="wide")
context.language_switch()
context.resume_publishing()  # publishes a dead app or build left unfinished (govmap/review/publish.py)
navigation = st.navigation(page_list(context.lang()))
try:
    navigation.run()
except StoreUnavailable as exc:  # disk full / damaged store: say so in the page's language, keep the rest
    context.store_unavailable(exc)
context.footer(context.catalog())
