"""地区对比 Compare: province × metric heat map, a ranking for one metric, items shared between provinces."""
from __future__ import annotations

import streamlit as st

from app_support import data, figures
from app_support.sections import draw_sections
from app_support.session import choice, choices, current_as_of, current_lang
from app_support.tiles import draw_tile_map
from app_support.ui import page_setup, plot, translated
from metrics import chart_rows, presentation
from metrics.side_by_side import default_regions, side_by_side_rows
from metrics.catalog import load_catalog
from metrics.i18n import t
from metrics.report.content import shared_table



def ranking_table(progress, metric: str, lang: str):
    """The ranking as the reader reads it: region names in the language, a missing target or percent
    as "–" (never None), numbers with their unit's wording."""
    ranked = chart_rows.ranking_rows(progress, metric)
    units = [chart_rows.unit_label(catalog, metric, u, lang) if not chart_rows.is_money(k, u) else u
             for k, u in zip(ranked["kind"], ranked["unit"])]

    def figure(v, kind, unit):  # money as fmt_money words it (亿元 / billion yuan), counts whole
        return presentation.fmt_value(v, kind, unit, lang) or "–"

    as_text = {c: [presentation.percent_text(v) for v in ranked[c]] for c in ("percent", "contribution_percent")
               if c in ranked.columns}
    as_text.update({c: [figure(v, k, u) for v, k, u in zip(ranked[c], ranked["kind"], units)]
                    for c in ("actual", "target") if c in ranked.columns})
    table = ranked.assign(rank=range(1, len(ranked) + 1),
                          scope=[catalog.label("province", p, lang) for p in ranked["scope"]],
                          status=[presentation.status_label(s, lang) for s in ranked["status"]], **as_text)
    return translated(table, {"rank": "app_col_rank", "scope": "app_col_province", "actual": "app_col_actual",
                              "target": "app_col_target", "percent": "app_col_percent",
                              "contribution_percent": "app_col_contribution", "status": "app_col_status"}, lang)


def draw_side_by_side(progress, province_rows, lang: str) -> None:
    """Every target of the regions the user picks (two or more), as a table and as a chart."""
    with_data = list(dict.fromkeys(province_rows["scope"]))
    # The picked regions are stored by canonical name, so switching the language keeps them.
    picked = choices(t("side_by_side_pick", lang), with_data, "side_by_side",
                     lambda r: catalog.label("province", r, lang), default_regions(progress))
    if len(picked) < 2:
        st.caption(t("side_by_side_hint", lang))
        return
    st.dataframe(data.side_by_side_table(as_of, picked, lang), hide_index=True, width="stretch",
                 key="side_by_side_table")
    if side_by_side_rows(progress, picked)["percent"].notna().any():
        plot(figures.shown("side_by_side", as_of, lang, tuple(picked), tuple(sorted(names.items()))),
             "side_by_side_chart", prepared=True)
    else:  # no target with a number among these regions: a chart would be empty
        st.caption(t("side_by_side_no_percent", lang))


lang, as_of = current_lang(), current_as_of()
catalog = load_catalog()
page_setup("app_page_compare", scoped=False)

with st.spinner(t("app_loading", lang)):
    progress = data.progress(as_of)
rows = progress.rows
province_rows = rows[(rows["scope_type"] == "province") & (rows["kind"] != "qualitative")]
if province_rows.empty:
    st.info(t("app_no_data", lang))
    st.stop()
# Custom metrics of a province's own plan are named in its workbook, not in the catalog.
names = data.custom_metric_names(lang)


def draw_regions() -> None:
    """The tile map of the regions for one target (click a region to open it)."""
    draw_tile_map(progress, list(dict.fromkeys(province_rows["metric"])), lang, "compare",
                  lambda m: names.get(m) or catalog.label("metric", m, lang))


def draw_heatmap() -> None:
    """Every region against every target, as percent of its target or as contribution."""
    value = choice(st.radio, t("app_compare_value", lang), ["percent", "contribution_percent"], "compare_value",
                   lambda v: t(f"app_compare_value_{v}", lang), horizontal=True)
    plot(figures.shown("heatmap", as_of, lang, value=value), "compare_heatmap", prepared=True)


def draw_ranking() -> None:
    """The regions ranked for one target, as a chart and as a table."""
    metrics = [m for m in dict.fromkeys(province_rows["metric"])]
    with_target = province_rows[province_rows["target"].notna()]["metric"]
    metric = choice(st.selectbox, t("app_col_metric", lang), metrics, "compare_metric",
                    lambda m: names.get(m) or catalog.label("metric", m, lang),
                    index=metrics.index(with_target.iloc[0]) if len(with_target) else 0)
    plot(figures.shown("ranking_chart", as_of, lang, metric), "compare_ranking", prepared=True)
    st.dataframe(ranking_table(progress, metric, lang), hide_index=True, width="stretch",
                 key="compare_ranking_table")


def draw_shared() -> None:
    """The plain sum of the regions against the national distinct count, and the items behind the difference."""
    st.caption(t("app_compare_shared_help", lang))
    sums = progress.plain_sums
    if sums is not None and len(sums):
        st.dataframe(translated(sums.assign(metric=[catalog.label("metric", m, lang) for m in sums["metric"]]),
                                {"metric": "app_col_metric", "sum_of_provinces": "app_col_sum_of_provinces",
                                 "national_distinct": "app_col_national_distinct"}, lang),
                     hide_index=True, width="stretch", key="compare_sums")
    shared = progress.shared_items
    if shared is None or not len(shared):
        st.caption(t("app_compare_no_shared", lang))
        return
    table = shared_table(progress, catalog, "national", "national", lang)
    st.dataframe(translated(table, {"metric": "app_col_metric", "name": "app_col_name", "code": "app_col_code_id",
                                    "n_provinces": "app_col_n_provinces", "provinces": "app_col_provinces"},
                            lang), hide_index=True, width="stretch", key="compare_shared")


# One view at a time, each drawn when its tab is opened: the page's first chart is not held up by the
# other four views' tables and charts (issue 17).
draw_sections("compare_tab", [("app_tab_regions", draw_regions),
                              ("side_by_side", lambda: draw_side_by_side(progress, province_rows, lang)),
                              ("app_compare_heatmap", draw_heatmap), ("app_compare_ranking", draw_ranking),
                              ("app_compare_shared", draw_shared)])
