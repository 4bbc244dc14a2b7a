"""未来产业发展目标监测看板 — entry point: navigation (st.navigation lists every page explicitly)."""
from __future__ import annotations

import streamlit as st

from metrics.i18n import t

st.set_page_config(page_title="未来产业发展目标监测看板", page_icon="📊", layout="wide")

if "lang" not in st.session_state:
    st.session_state["lang"] = "zh"
with st.sidebar:
    st.radio(t("language", st.session_state["lang"]), ["zh", "en"], key="lang", horizontal=True,
             format_func=lambda v: "中文" if v == "zh" else "English")
lang = st.session_state["lang"]

pages = [
    st.Page("pages/catalog.py", title=t("catalog_title", lang), url_path="catalog", default=True),
]
st.navigation(pages).run()
