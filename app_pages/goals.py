"""定性目标与任务 Goals & tasks: self-assessed levels of the 2025/2027 goals and the sixteen key tasks."""
from __future__ import annotations

import streamlit as st

from app_support import data, evidence, figures
from app_support.sections import draw_sections
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


def draw_goals() -> None:
    """The regions' levels for the qualitative goals (national) and the evidence for one goal."""
    st.caption(t("app_goals_help", lang))
    if scope == NATIONAL:
        plot(figures.shown("levels_chart", as_of, lang, kind="goals"), "goals_levels", prepared=True)
    goals = catalog.qualitative_metrics
    goal = choice(st.selectbox, t("app_col_goal", lang), [g.id for g in goals], "goals_goal",
                  lambda g: evidence.goal_label(catalog, g, lang))
    clause = catalog.metric(goal).source_clause
    if clause:
        st.caption(f"{catalog.policy.number} · {clause.section}")
        st.text(f"「{clause.quote}」")
    show_evidence(evidence.evidence_table(dataset.assessments, "goal", goal, catalog, lang), "goals_table")


def draw_tasks() -> None:
    """The regions' levels for the sixteen key tasks (national) and the evidence for one task."""
    if scope == NATIONAL:
        plot(figures.shown("levels_chart", as_of, lang, kind="tasks"), "tasks_levels", prepared=True)
    task = choice(st.selectbox, t("app_col_task", lang), [x.number for x in catalog.tasks], "goals_task",
                  lambda n: f"{n}. {catalog.label('task', str(n), lang)}")
    show_evidence(evidence.evidence_table(dataset.tasks, "task", task, catalog, lang), "tasks_table")


# Each tab is drawn when opened (issue 17: the first chart is not held up by the other tab's).
draw_sections("goals_tab", [("app_goals_tab_goals", draw_goals), ("app_goals_tab_tasks", draw_tasks)])
