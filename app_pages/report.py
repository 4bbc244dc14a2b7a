"""报告导出 Report: scope, date, language, format and layout; the officer's findings; build in the background, download."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from app_support import data, report_files, report_jobs
from app_support.errors import error_boundary
from app_support.login import current_user
from app_support.session import current_as_of, current_lang, current_scope, scope_label, scope_options
from app_support.ui import page_setup
from metrics.findings import findings_keys, load_findings, save_findings
from metrics.i18n import LANGS, t
from metrics.report import FORMATS, MEDIA_TYPES
from metrics.report.leader import FINDING_KEYS, report_round, round_key
from metrics.report.style import STYLE_NAMES, report_style

lang = current_lang()
page_setup("app_page_report", scoped=False)
st.caption(t("app_report_help", lang))

c1, c2 = st.columns(2)
options = scope_options()
scope = c1.selectbox(t("app_scope", lang), options, index=options.index(current_scope()), key=f"report_scope_{lang}",
                     format_func=lambda s: scope_label(s, lang))
as_of = c2.date_input(t("app_as_of", lang), value=current_as_of(), key="report_as_of", format="YYYY-MM-DD",
                      min_value=dt.date(2024, 1, 1), max_value=dt.date(2035, 12, 31))
c3, c4, c5 = st.columns(3)
report_lang = c3.radio(t("app_report_lang", lang), list(LANGS), index=list(LANGS).index(lang), horizontal=True,
                       key="report_lang", format_func=lambda v: "中文" if v == "zh" else "English")
fmt = c4.radio(t("app_report_format", lang), list(FORMATS), horizontal=True, key="report_format",
               format_func=lambda f: report_files.REPORT_LABELS.get(f, f))
style = c5.radio(t("rl_style_label", lang), list(STYLE_NAMES), horizontal=True, key="report_style",
                 format_func=lambda s: report_style(s).label[lang])

# The officer's findings, kept under the reporting round the report covers (its name; rows saved before
# rounds existed are keyed by the as-of date and still read): prefilled from what was saved for this scope
# (this round or the last), else generated.
with error_boundary("app_page_report"):
    rnd = report_round(data.store(), as_of)
    round_name = round_key(as_of, rnd)
    saved = load_findings(data.store(), findings_keys(rnd, as_of), scope, report_lang)
    initial = saved.texts if saved else report_jobs.drafts(scope, as_of, report_lang)
    suffix = f"{scope}_{round_name}_{report_lang}"
    with st.expander(t("rl_findings_progress", lang) + " · " + t("rl_findings_problems", lang) + " · " +
                     t("rl_findings_next_steps", lang) + " · " + t("rl_findings_notes", lang), expanded=True):
        st.caption(t("rl_findings_help", lang))
        if saved:
            st.caption(t("rl_findings_from_store", lang))
        findings = {k: st.text_area(t(f"rl_findings_{k}", lang), value=initial.get(k, ""), height=110,
                                    key=f"finding_{k}_{suffix}", max_chars=20_000) for k in FINDING_KEYS}
        if st.button(t("rl_findings_save", lang), key="findings_save", icon=":material/save:"):
            user = current_user()
            save_findings(data.store(), round_name, scope, report_lang, findings, by=user.username if user else "")
            st.success(t("rl_findings_saved", lang, scope=scope_label(scope, lang), round=round_name))

    if st.button(t("app_report_build", lang), type="primary", icon=":material/description:", key="report_build"):
        job = report_jobs.submit(scope, as_of, report_lang, fmt, style, findings)
        st.session_state["report_job"] = (job.key, scope, as_of, report_lang, fmt)


@st.fragment(run_every=1.0)
def report_status() -> None:
    """Polls the background job once a second; only this fragment reruns, the page stays usable."""
    request = st.session_state.get("report_job")
    if not request:
        return
    key, r_scope, r_as_of, r_lang, r_fmt = request
    job = report_jobs.get(key)
    if job is None:
        st.session_state.pop("report_job", None)
        return
    if not job.future.done():
        st.progress(min(0.95, job.seconds() / 20), text=t("rl_building_progress", lang, seconds=job.seconds()))
        return
    error = job.future.exception()
    if error is not None:
        st.error(t("rl_build_failed", lang, error=type(error).__name__))
        return
    name = report_files.report_filename(r_scope, r_as_of, r_lang, r_fmt)
    st.success(t("app_report_ready", lang))
    st.download_button(t("app_report_download", lang, name=name), job.future.result(), file_name=name,
                       mime=MEDIA_TYPES[r_fmt], key="report_download", type="primary", icon=":material/download:")


report_status()
