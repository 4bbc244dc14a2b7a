"""总览 Overview: one card per target of the chosen scope, all targets at a glance, recent changes."""
from __future__ import annotations

import streamlit as st

from app_support import cards, data, figures, history_tables
from app_support.errors import error_boundary
from app_support.sections import draw_sections
from app_support.session import NATIONAL, current_as_of, current_lang, current_scope, scope_label
from app_support.tiles import draw_tile_map
from app_support.ui import page_setup, plot, show_cards, show_diff_counts
from metrics import chart_rows
from metrics.catalog import load_catalog
from metrics.i18n import t



def draw_region_tiles(progress, lang: str) -> None:
    """The tile map of the regions for a target they report (click a region to open it)."""
    rows = progress.rows
    numeric = rows[(rows["scope_type"] == "province") & (rows["kind"] != "qualitative")]
    catalog = load_catalog()
    # Custom metrics of a province's own plan are named in its workbook, not in the catalog.
    names = data.custom_metric_names(lang)
    draw_tile_map(progress, list(dict.fromkeys(numeric["metric"])), lang, "overview",
                  lambda m: names.get(m) or catalog.label("metric", m, lang))


lang, scope, as_of = current_lang(), current_scope(), current_as_of()
scope_type = "national" if scope == NATIONAL else "province"
page_setup("app_page_overview", caption_key="app_subtitle", with_button=True)

with st.spinner(t("app_loading", lang)):
    progress = data.progress(as_of)
rows = chart_rows.scope_rows(progress, scope_type, scope)


def draw_bullets() -> None:
    """Every target of the scope as one bullet chart."""
    plot(figures.shown("overview_bullets", as_of, lang, scope_type=scope_type, scope=scope), "overview_bullets",
         prepared=True)


def draw_changes() -> None:
    """What changed in the latest submissions against the ones they replaced (up to five)."""
    pairs = history_tables.latest_pairs(data.history(None if scope == NATIONAL else scope))
    if not pairs:
        st.caption(t("app_overview_no_changes", lang))
    for old, new in pairs[:5]:
        diff = data.submission_diff(old["id"], new["id"])
        st.markdown(t("app_changes_summary", lang, province=scope_label(new["province"], lang), new=new["id"],
                      as_of=str(new["as_of"])[:10], old=old["id"]))
        show_diff_counts(diff, lang, key=f"changes_{new['id']}")


if rows.empty:
    st.info(t("app_no_data", lang) if scope == NATIONAL
            else t("app_no_data_scope", lang, scope=scope_label(scope, lang)))
else:
    with error_boundary("app_overview_cards"):
        # The live period leads (issue 13): targets still ahead first, passed ones as they ended.
        live, finals = cards.calendar_sections(rows)
        st.subheader(t("calendar2_overview_live", lang))
        if live.empty:
            st.caption(t("calendar2_overview_live_none", lang))
        show_cards(cards.target_cards(live, lang, load_catalog()), lang)
        for year, passed in finals:
            st.subheader(t("calendar2_overview_final", lang, year=year))
            show_cards(cards.target_cards(passed, lang, load_catalog()), lang)

# Below the cards one view at a time, each drawn when its tab is opened: the first chart is not held
# up by the tile map and the change tables (issue 17).
draw_sections("overview_tab", [*([("app_overview_bullets", draw_bullets)] if not rows.empty else []),
                               ("app_tab_regions", lambda: draw_region_tiles(progress, lang)),
                               ("app_overview_changes", draw_changes)])
