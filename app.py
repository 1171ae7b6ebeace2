"""Govtech vendor capability map: the Streamlit entry point (navigation, language, footer)."""

from pathlib import Path

import streamlit as st

from ui import context
from ui.pages import page_list

st.set_page_config(page_title="Govtech ベンダーマップ", page_icon=str(Path(__file__).parent / "static" / "favicon.png"), layout="wide")
context.language_switch()
navigation = st.navigation(page_list(context.lang()))
navigation.run()
context.footer(context.catalog())
