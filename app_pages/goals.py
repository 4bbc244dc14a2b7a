"""定性目标与任务 Goals & tasks: self-assessed levels of the 2025/2027 goals and the sixteen key tasks."""
from __future__ import annotations

import streamlit as st

from app_support import data, evidence, figures
from app_support.errors import error_boundary
from app_support.session import NATIONAL, choice, current_as_of, current_lang, current_scope
from app_support.ui import page_setup, plot, translated
from metrics.catalog import load_catalog
from metrics.i18n import t

lang, scope, as_of = current_lang(), current_scope(), current_as_of()


def show_evidence(table, key: str) -> None:
    """Each province's self-assessed level and evidence for one goal or task."""
    if table.empty:
        st.caption(t("app_goals_none", lang))
        return
    st.dataframe(translated(table, {"province": "app_col_province", "level": "app_col_level",
                                    "evidence": "app_col_evidence"}, lang),
                 hide_index=True, width="stretch", key=key)
catalog = load_catalog()
page_setup("app_page_goals")

with st.spinner(t("app_loading", lang)):
    progress = data.progress(as_of)
    dataset = data.dataset(None if scope == NATIONAL else scope)

tab_goals, tab_tasks = st.tabs([t("app_goals_tab_goals", lang), t("app_goals_tab_tasks", lang)])

with tab_goals, error_boundary("app_goals_tab_goals"):
    st.caption(t("app_goals_help", lang))
    if scope == NATIONAL:
        plot(figures.shown("levels_chart", as_of, lang, kind="goals"), "goals_levels", prepared=True)
    goals = catalog.qualitative_metrics
    goal = choice(st.selectbox, t("app_col_goal", lang), [g.id for g in goals], "goals_goal",
                  lambda g: evidence.goal_label(catalog, g, lang))
    spec = catalog.metric(goal)
    clause = spec.source_clause
    if clause:
        st.caption(f"{catalog.policy.number} · {clause.section}")
        st.text(f"「{clause.quote}」")
    show_evidence(evidence.evidence_table(dataset.assessments, "goal", goal, catalog, lang), "goals_table")

with tab_tasks, error_boundary("app_goals_tab_tasks"):
    if scope == NATIONAL:
        plot(figures.shown("levels_chart", as_of, lang, kind="tasks"), "tasks_levels", prepared=True)
    task = choice(st.selectbox, t("app_col_task", lang), [x.number for x in catalog.tasks], "goals_task",
                  lambda n: f"{n}. {catalog.label('task', str(n), lang)}")
    show_evidence(evidence.evidence_table(dataset.tasks, "task", task, catalog, lang), "tasks_table")
