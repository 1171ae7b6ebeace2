"""Govtech vendor capability map: the Streamlit entry point (navigation, language, footer)."""

import streamlit as st

from ui import context
from ui.pages import page_list

st.set_page_config(page_title="Govtech ベンダーマップ", page_icon=":material/map:", layout="wide")
context.language_switch()
navigation = st.navigation(page_list(context.lang()))
navigation.run()
context.footer(context.catalog())
