"""上传数据 Upload: templates, upload, the row-by-row validation report, preview of changes, store."""
from __future__ import annotations

import hashlib

import streamlit as st

from app_support import data
from app_support.errors import error_boundary
from app_support.review_notice import show_returned_notices
from app_support.login import denied, page_user, upload_permitted
from app_support.session import NATIONAL, choice, current_lang, current_scope, scope_label, scope_options
from app_support.ui import page_header, sample_banner, show_changes, translated
from metrics import views
from metrics.access import AccessDenied
from metrics.i18n import t
from metrics.markup import md_text
from metrics.settings import max_upload_bytes

lang, scope = current_lang(), current_scope()
user = page_user()  # None when accounts are off
page_header("app_page_upload", scoped=False)
sample_banner()
# A returned submission's comments, for the province's editors (issue 13).
notice_province = user.province if user is not None and user.province else (None if scope == NATIONAL else scope)
show_returned_notices(data.store(), notice_province, lang)

# ---- templates --------------------------------------------------------------------------------
with error_boundary("app_upload_templates"):
    st.subheader(t("app_upload_templates", lang))
    provinces = [p for p in scope_options() if p != NATIONAL]
    province = choice(st.selectbox, t("app_upload_province", lang), [NATIONAL, *provinces], "upload_province",
                      lambda p: t("app_upload_any_province", lang) if p == NATIONAL else scope_label(p, lang),
                      index=0 if scope == NATIONAL else 1 + provinces.index(scope))
    chosen = None if province == NATIONAL else province
    c1, c2 = st.columns(2)
    c1.download_button(t("app_upload_blank_template", lang), data.template_bytes(chosen),
                       file_name=views.template_filename(chosen, prefilled=False), key="download_blank",
                       mime=views.XLSX_MIME, icon=":material/download:")
    if chosen and data.dataset(chosen).provinces():
        c2.download_button(t("app_upload_prefilled_template", lang), data.prefilled_template_bytes(chosen),
                           file_name=views.template_filename(chosen, prefilled=True), key="download_prefilled",
                           mime=views.XLSX_MIME, icon=":material/download:")
    elif chosen:
        c2.caption(t("app_upload_no_previous", lang, province=scope_label(chosen, lang)))

# ---- upload and validation report ---------------------------------------------------------------
st.subheader(t("app_upload_files", lang))
limit = max_upload_bytes()
st.caption(t("app_upload_widget_note", lang, mb=limit // 2**20))  # the uploader's own texts are English only
files = st.file_uploader(t("app_upload_files_label", lang, mb=limit // 2**20), type=list(views.UPLOAD_TYPES),
                         accept_multiple_files=True, key="upload_files", help=t("app_upload_files_help", lang))

for n, uploaded in enumerate(files or []):
    content = uploaded.getvalue()
    name = uploaded.name
    with error_boundary("app_upload_files"), st.container(border=True):
        st.text(f"{t('app_upload_file', lang)}: {name}")  # st.text: the name is the user's, never markdown
        refusal = views.upload_refusal(name, len(content), limit)
        if refusal:
            st.error(t(refusal, lang, mb=limit // 2**20))
            data.store().record_refusal(user.username if user else "", name, content, refusal)
            continue
        with st.status(t("app_upload_reading", lang), expanded=False) as status:
            result = data.parse_upload(content, name, chosen)
            status.update(label=t("app_upload_read_done", lang), state="complete")
        if not result.readable:
            data.store().record_refusal(user.username if user else "", name, content,
                                        result.problems[0].code if result.problems else "unreadable_file", chosen)
            for p in result.problems:
                # md_text: the message quotes workbook text, which must not render as a link or image
                st.error(md_text(p.message_en if lang == "en" and p.message_en else p.message))
            continue
        counts = result.row_counts
        provinces_in_file = result.provinces()
        m1, m2, m3, m4 = st.columns(4)
        m1.metric(t("app_upload_province", lang), "、".join(provinces_in_file) or "–")
        m2.metric(t("app_col_as_of", lang), result.as_of.isoformat() if result.as_of else "–")
        m3.metric(t("app_col_valid", lang), counts.valid)
        m4.metric(t("app_col_invalid", lang), counts.invalid)

        st.markdown(f"##### {t('app_upload_sheet_counts', lang)}")
        st.dataframe(translated(views.sheet_count_table(result.sheets),
                                {"sheet": "app_col_sheet", "valid": "app_col_valid", "invalid": "app_col_invalid",
                                 "blank": "app_col_blank", "total": "app_col_total"}, lang),
                     hide_index=True, width="stretch", key=f"sheet_counts_{n}")

        report = views.problem_table(result.problems, lang)
        st.markdown(f"##### {t('app_upload_report', lang, errors=len(result.errors), warnings=len(result.warnings))}")
        if report.empty:
            st.success(t("app_upload_clean", lang))
        else:
            report["severity"] = report["severity"].map(lambda s: t(f"app_severity_{s}", lang))
            st.dataframe(translated(report, {"severity": "app_col_severity", "sheet": "app_col_sheet",
                                             "row": "app_col_row", "column": "app_col_column",
                                             "value": "app_col_value", "problem": "app_col_problem",
                                             "fix": "app_col_fix", "code": "app_col_code"}, lang),
                         hide_index=True, width="stretch", key=f"report_{n}")
            st.download_button(t("app_upload_annotated", lang), data.annotated_workbook(content, name, chosen),
                               file_name=views.annotated_filename(name), mime=views.XLSX_MIME,
                               key=f"annotated_{n}", icon=":material/download:")

        # What storing would change, against the current submissions of the file's provinces.
        st.markdown(f"##### {t('app_upload_preview', lang)}")
        changes = views.diff_rows(data.upload_diff(content, name, chosen))
        if changes.empty:
            st.caption(t("app_changes_none", lang))
        else:
            st.caption(t("app_upload_preview_counts", lang,
                         added=int((changes["change"] == "added").sum()),
                         removed=int((changes["change"] == "removed").sum()),
                         changed=int((changes["change"] == "changed").sum())))
            st.dataframe(show_changes(changes, lang), hide_index=True, width="stretch", key=f"changes_{n}",
                         height=240)

        sha = hashlib.sha256(content).hexdigest()
        earlier = views.same_file(data.store().history(), sha)
        if earlier:
            st.info(t("app_upload_same_file", lang, id=earlier["id"], uploaded_at=str(earlier["uploaded_at"])[:16]))
        # Accounts on: a viewer, or an editor whose file names another province, gets no store button.
        elif upload_permitted(user, provinces_in_file, lang) and st.button(
                t("app_upload_store", lang), key=f"store_{n}_{sha[:12]}", type="primary",
                disabled=not provinces_in_file, icon=":material/save:"):
            try:
                with st.spinner(t("app_upload_storing", lang)):
                    outcome = data.store().save_submission(result, content, name, uploader="", actor=None, user=user)
            except AccessDenied as exc:  # the store checks again, whatever the page showed
                denied(exc)
                continue
            data.invalidate()
            if getattr(outcome, "duplicate_of", None):
                st.info(t("app_upload_same_file", lang, id=outcome.duplicate_of, uploaded_at=""))
            else:
                st.success(t("app_upload_stored", lang, ids=views.outcome_ids(outcome)))
