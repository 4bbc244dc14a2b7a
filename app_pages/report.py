"""报告导出 Report: choose scope, as-of date, language and format; build the file and download it."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from app_support import data
from app_support.errors import error_boundary
from app_support.session import current_as_of, current_lang, current_scope, scope_label, scope_options
from app_support.ui import page_header, sample_banner
from metrics import views
from metrics.i18n import LANGS, t
from metrics.report import FORMATS, MEDIA_TYPES

lang = current_lang()
page_header("app_page_report", scoped=False)
sample_banner()
st.caption(t("app_report_help", lang))

with st.form("report_form", border=True):
    c1, c2 = st.columns(2)
    options = scope_options()
    scope = c1.selectbox(t("app_scope", lang), options, index=options.index(current_scope()), key=f"report_scope_{lang}",
                         format_func=lambda s: scope_label(s, lang))
    as_of = c2.date_input(t("app_as_of", lang), value=current_as_of(), key="report_as_of", format="YYYY-MM-DD",
                          min_value=dt.date(2024, 1, 1), max_value=dt.date(2035, 12, 31))
    c3, c4 = st.columns(2)
    report_lang = c3.radio(t("app_report_lang", lang), list(LANGS), index=list(LANGS).index(lang), horizontal=True,
                           key="report_lang", format_func=lambda v: "中文" if v == "zh" else "English")
    fmt = c4.radio(t("app_report_format", lang), list(FORMATS), horizontal=True, key="report_format",
                   format_func=lambda f: views.REPORT_LABELS.get(f, f))
    build = st.form_submit_button(t("app_report_build", lang), type="primary", icon=":material/description:")

if build:
    st.session_state["report_request"] = (scope, as_of, report_lang, fmt)

request = st.session_state.get("report_request")
if request:
    r_scope, r_as_of, r_lang, r_fmt = request
    with error_boundary("app_page_report"):
        with st.status(t("app_report_building", lang), expanded=False) as status:
            content = data.report_file(r_scope, r_as_of, r_lang, r_fmt)
            status.update(label=t("app_report_ready", lang), state="complete")
        name = views.report_filename(r_scope, r_as_of, r_lang, r_fmt)
        st.download_button(t("app_report_download", lang, name=name), content, file_name=name,
                           mime=MEDIA_TYPES[r_fmt], key="report_download", type="primary",
                           icon=":material/download:")
