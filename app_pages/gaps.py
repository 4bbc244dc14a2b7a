"""目标差距 Gaps: one target in depth — bullet, trajectory, required rate, breakdowns, counted items, clause."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_support import data
from app_support.errors import error_boundary
from app_support.session import NATIONAL, choice, current_as_of, current_lang, current_scope
from app_support.ui import page_header, plot, sample_banner, translated
from metrics import charts, views
from metrics.catalog import load_catalog
from metrics.i18n import t
from metrics.presentation import deadline_sentence

lang, scope, as_of = current_lang(), current_scope(), current_as_of()
scope_type = "national" if scope == NATIONAL else "province"
catalog = load_catalog()
page_header("app_page_gaps")
sample_banner()

with st.spinner(t("app_loading", lang)):
    progress = data.progress(as_of)
rows = charts.scope_rows(progress, scope_type, scope)
if rows.empty:
    st.info(t("app_no_data", lang) if scope == NATIONAL else t("app_no_data_scope", lang, scope=scope))
    st.stop()

targets = views.target_choices(rows)
picked = choice(st.selectbox, t("app_gaps_target", lang), list(range(len(targets))), "gaps_target",
                lambda i: views.target_choice_label(targets[i], lang), index=views.first_numeric_target(targets))
row = targets[picked]
metric, deadline = row["metric"], row["deadline"]
unit = charts.unit_label(catalog, metric, row["unit"], lang)

with error_boundary("app_gaps_figures"):
    c = st.columns(5)
    c[0].metric(t("app_col_actual", lang), f"{charts.fmt_number(row['actual']) or 0} {unit}")
    c[1].metric(t("app_col_target", lang), views.target_text(row, lang, unit))
    c[2].metric(t("app_col_percent", lang), views.percent_text(row["percent"]))
    c[3].metric(t("app_col_pace", lang), views.percent_text(row["pace_percent"]))
    c[4].metric(t("app_gaps_required_rate", lang), views.rate_text(row["required_rate"], unit, lang),
                help=t("app_gaps_required_rate_help", lang))
    st.markdown(f"**{t('app_col_status', lang)}:** {deadline_sentence(row, lang, unit)}")

with error_boundary("app_gaps_charts"):
    bullet = charts.bullet_chart(progress, metric, scope_type=scope_type, scope=scope, deadline=deadline, lang=lang)
    bullet.update_layout(height=300, legend={"y": -0.4})  # the legend clears the axis labels
    plot(bullet, "gaps_bullet")
    plot(charts.trajectory_chart(progress, metric, scope_type=scope_type, scope=scope, deadline=deadline,
                                 lang=lang), "gaps_trajectory")

with error_boundary("app_gaps_clause"):
    st.subheader(t("app_gaps_clause", lang))
    if row["clause_quote"] and not charts.is_missing(row["clause_quote"]):
        st.caption(f"{catalog.policy.number} · {row['clause_section']}")
        st.text(f"「{row['clause_quote']}」")
    else:
        st.caption(t("app_gaps_no_clause", lang))

if scope == NATIONAL:
    with error_boundary("app_gaps_breakdown"):
        st.subheader(t("app_gaps_breakdown", lang))
        left, right = st.columns(2)
        with left:
            plot(charts.breakdown_chart(progress, metric, by="direction", lang=lang), "gaps_by_direction")
        with right:
            plot(charts.breakdown_chart(progress, metric, by="flagship", lang=lang), "gaps_by_flagship")

with error_boundary("app_gaps_items"):
    st.subheader(t("app_gaps_items", lang))
    items = views.counted_rows(data.counted_items(scope_type, scope, metric, as_of), catalog, lang)
    query = st.text_input(t("app_gaps_search", lang), key="gaps_search", placeholder=t("app_gaps_search_hint", lang))
    shown = views.search_items(items, query)
    st.caption(t("app_gaps_items_count", lang, shown=len(shown), total=len(items)))
    table = shown.assign(date=pd.to_datetime(shown["date"]).dt.strftime("%Y-%m-%d")) if len(shown) else shown
    st.dataframe(translated(table, {"province": "app_col_province", "name": "app_col_name", "code": "app_col_code_id",
                                    "date": "app_col_date", "lead_unit": "app_col_lead_unit",
                                    "direction": "app_col_direction", "flagship": "app_col_flagship",
                                    "evidence": "app_col_evidence", "source": "app_col_source",
                                    "sheet": "app_col_sheet", "row": "app_col_row"}, lang),
                 hide_index=True, width="stretch", key="gaps_items_table")
