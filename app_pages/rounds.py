"""报送轮次 Reporting rounds: define rounds (admin), the completeness board, missing regions as
xlsx/CSV, approve or return a submission (reviewer)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_support import data
from app_support.session import current_lang
from app_support.ui import page_setup
from metrics import rounds
from metrics.access import AccessDenied, can_manage_users, can_review
from metrics.errors import render
from metrics.i18n import t
from metrics.presentation import counted, fmt_date, fmt_time

lang = current_lang()
user = page_setup("rounds_page_title", scoped=False, samples=False)
store = data.store()


def add_round_form() -> None:
    """The admin's form that defines a round: name, as-of date, due date and the regions it expects."""
    with st.form("rounds_add_form"):
        name = st.text_input(t("rounds_col_name", lang), key="rounds_new_name")
        as_of = st.date_input(t("rounds_col_as_of", lang), value=dt.date(2025, 12, 31), key="rounds_new_as_of")
        due = st.date_input(t("rounds_col_due", lang), value=dt.date(2026, 1, 15), key="rounds_new_due")
        regions = st.multiselect(t("rounds_col_regions", lang), rounds.all_regions(), key="rounds_new_regions",
                                 help=t("rounds_regions_help", lang))
        if not st.form_submit_button(t("rounds_add_button", lang)):
            return
        try:
            rnd = rounds.add_round(store, name, as_of, due, regions or None, user=user)
            st.success(t("rounds_added", lang, name=rnd.name, as_of=rnd.as_of, due=rnd.due, n=counted(len(rnd.regions), "region", lang)))
        except (rounds.RoundError, AccessDenied) as exc:
            st.error(render(exc, lang))


if can_manage_users(user):
    with st.expander(t("rounds_define", lang)):
        add_round_form()

found = rounds.list_rounds(store)
if not found:
    st.info(t("rounds_none", lang))
    st.stop()

names = [r.name for r in found]
chosen = st.selectbox(t("rounds_col_name", lang), names, key="rounds_choice")
rnd = next(r for r in found if r.name == chosen)
st.caption(f"{t('rounds_col_as_of', lang)} {fmt_date(rnd.as_of, lang)} · {t('rounds_col_due', lang)} "
           f"{fmt_date(rnd.due, lang)} · "
           f"{t('rounds_closed_label' if rnd.closed else 'rounds_open', lang)}")

board = rounds.coverage(store, rnd.name, dt.datetime.now(dt.timezone.utc))
counts = rounds.coverage_counts(board)
cols = st.columns(len(counts))
for col, (state, n) in zip(cols, counts.items()):
    col.metric(t(f"rounds_state_{state}", lang), n)

table = pd.DataFrame([{
    t("rounds_col_region", lang): r.region, t("rounds_col_state", lang): r.label(lang),
    t("rounds_col_submission", lang): "" if r.submission_id is None else str(r.submission_id),  # no "None"
    # Beijing time (TRACKER_TIMEZONE) through the one time format; the store keeps UTC.
    t("rounds_col_submitted_at", lang): fmt_time(r.submitted_at, lang),
    t("rounds_col_submitted_by", lang): r.submitted_by or "", t("rounds_col_reviewed_by", lang): r.reviewed_by or "",
    t("calendar2_col_reviewed_at", lang): fmt_time(r.reviewed_at, lang),
    t("rounds_col_comment", lang): r.comment or ""} for r in board])
st.dataframe(table, hide_index=True, use_container_width=True, key="rounds_board")

c1, c2 = st.columns(2)
c1.download_button(t("rounds_missing_xlsx", lang), rounds.missing_xlsx(board, lang), f"{rnd.name}-missing.xlsx",
                   key="rounds_missing_xlsx", icon=":material/download:")
c2.download_button(t("rounds_missing_csv", lang), rounds.missing_csv(board, lang), f"{rnd.name}-missing.csv",
                   mime="text/csv", key="rounds_missing_csv", icon=":material/download:")

reviewable = [r for r in board if r.submission_id is not None]
if can_review(user) and reviewable:
    st.subheader(t("rounds_review_title", lang))
    with st.form("rounds_review_form"):
        pick = st.selectbox(t("rounds_col_submission", lang), [r.submission_id for r in reviewable],
                            format_func=lambda i: f"{i} · {next(r.region for r in reviewable if r.submission_id == i)}",
                            key="rounds_review_id")
        decision = st.radio(t("rounds_review_decision", lang), list(rounds.DECISIONS), horizontal=True,
                            format_func=lambda d: t(f"rounds_state_{d}", lang), key="rounds_review_decision")
        comment = st.text_area(t("rounds_col_comment", lang), key="rounds_review_comment")
        row_text = st.text_area(t("rounds_review_rows", lang), key="rounds_review_rows",
                                help=t("rounds_review_rows_help", lang))
        if st.form_submit_button(t("rounds_review_button", lang)):
            try:
                rows = [rounds.parse_row_comment(line) for line in row_text.splitlines() if line.strip()]
                rounds.review(store, pick, decision, comment, rows, user=user)
                data.invalidate()
                st.success(t("rounds_reviewed", lang, id=pick, decision=t(f"rounds_state_{decision}", lang)))
            except (rounds.RoundError, AccessDenied) as exc:
                st.error(render(exc, lang))
