"""A one-line Streamlit app: bench/browser.py times its cold start to tell Streamlit's own start-up
(server, browser bundle, websocket, first script run) apart from the catalog app's."""

import streamlit as st

st.write("ok")
