"""目标差距 Gaps: one target in depth — bullet, trajectory, required rate, breakdowns, counted items, clause."""
from __future__ import annotations

import streamlit as st

from app_support import data, figures, item_tables, tables, target_picker
from app_support.errors import error_boundary
from app_support.links import remember_target, wanted_target
from app_support.sections import draw_sections
from app_support.session import NATIONAL, choice, current_as_of, current_lang, current_scope
from app_support.ui import page_setup, plot, show_figures, table_download, translated
from metrics import chart_rows, presentation
from metrics.catalog import load_catalog
from metrics.clauses import clause_text
from metrics.i18n import t
from metrics.presentation import deadline_sentence
from metrics.markup import md_text


lang, scope, as_of = current_lang(), current_scope(), current_as_of()
scope_type = "national" if scope == NATIONAL else "province"
catalog = load_catalog()
page_setup("app_page_gaps")

with st.spinner(t("app_loading", lang)):
    progress = data.progress(as_of)
rows = chart_rows.scope_rows(progress, scope_type, scope)
if rows.empty:
    st.info(t("app_no_data", lang) if scope == NATIONAL else t("app_no_data_scope", lang, scope=scope))
    st.stop()

targets = target_picker.target_choices(rows)
linked = wanted_target(targets)  # a shared link's target wins once over the last choice
if linked is not None:
    st.session_state["gaps_target"] = linked
picked = choice(st.selectbox, t("app_gaps_target", lang), list(range(len(targets))), "gaps_target",
                lambda i: target_picker.target_choice_label(targets[i], lang),
                index=target_picker.first_numeric_target(targets))
row = targets[picked]
remember_target(row)
metric, deadline = row["metric"], row["deadline"]
unit = chart_rows.unit_label(catalog, metric, row["unit"], lang)

with error_boundary("app_gaps_figures"):
    show_figures([
        (t("app_col_actual", lang), f"{presentation.fmt_number(row['actual']) or 0} {unit}", None),
        (t("app_col_target", lang), presentation.target_text(row, lang, unit), None),
        (t("app_col_percent", lang), presentation.percent_text(row["percent"]), None),
        (t("app_col_pace", lang), presentation.percent_text(row["pace_percent"]), None),
        (t("app_gaps_required_rate", lang), presentation.rate_text(row["required_rate"], unit, lang),
         t("app_gaps_required_rate_help", lang)),
    ])
    st.markdown(f"**{t('app_col_status', lang)}:** {md_text(deadline_sentence(row, lang, unit))}")


def draw_progress() -> None:
    """The bullet and the trajectory of the picked target, and the clause that sets it."""
    # The legend clears the axis labels.
    plot(figures.shown("bullet_chart", as_of, lang, metric, scope_type=scope_type, scope=scope, deadline=deadline,
                       layout={"height": 300, "legend_y": -0.4}), "gaps_bullet", prepared=True)
    plot(figures.shown("trajectory_chart", as_of, lang, metric, scope_type=scope_type, scope=scope,
                       deadline=deadline), "gaps_trajectory", prepared=True)
    with error_boundary("app_gaps_clause"):
        st.subheader(t("app_gaps_clause", lang))
        if row["clause_quote"] and not presentation.is_missing(row["clause_quote"]):
            section, quote, note = clause_text(row["clause_section"], row["clause_quote"], lang)
            st.caption(f"{catalog.policy.number} · {section}")
            st.text(f"「{quote}」" if lang == "zh" else f"“{quote}”")
            if note:  # the English is ours, not the ministry's
                st.caption(f"{note} · 「{row['clause_quote']}」")
        else:
            st.caption(t("app_gaps_no_clause", lang))


def draw_breakdown() -> None:
    """The national figure by direction and by flagship product category."""
    left, right = st.columns(2)
    with left:
        plot(figures.shown("breakdown_chart", as_of, lang, metric, by="direction"), "gaps_by_direction",
             prepared=True)
    with right:
        plot(figures.shown("breakdown_chart", as_of, lang, metric, by="flagship"), "gaps_by_flagship",
             prepared=True)


def draw_items() -> None:
    """The items counted for the target: the first rows, searched on the server, the full list to download."""
    # Named and dated once per revision (data.counted_table), searched on every rerun.
    items = data.counted_table(scope_type, scope, metric, as_of, lang)
    query = st.text_input(t("app_gaps_search", lang), key="gaps_search", placeholder=t("app_gaps_search_hint", lang))
    shown = item_tables.search_items(items, query)
    st.caption(t("app_gaps_items_count", lang, shown=len(shown), total=len(items)))
    table = translated(shown, {"province": "app_col_province", "name": "app_col_name", "code": "app_col_code_id",
                               "date": "app_col_date", "lead_unit": "app_col_lead_unit",
                               "direction": "app_col_direction", "flagship": "app_col_flagship",
                               "evidence": "app_col_evidence", "source": "app_col_source",
                               "sheet": "app_col_sheet", "row": "app_col_row"}, lang)
    if len(table) > tables.FIRST_ROWS:
        st.caption(t("app_table_first_rows", lang, rows=tables.FIRST_ROWS))
    st.dataframe(table.head(tables.FIRST_ROWS), hide_index=True, width="stretch", key="gaps_items_table")
    table_download(table, f"{metric}_items.csv", "gaps_items_csv", lang)


# The charts lead; the breakdowns (national only) and the items table are a tab away, drawn when opened.
draw_sections("gaps_tab", [("app_gaps_tab_progress", draw_progress),
                           *([("app_gaps_breakdown", draw_breakdown)] if scope == NATIONAL else []),
                           ("app_gaps_items", draw_items)])
