"""指标定义 Catalog: every metric with its unit, target, deadline and the clause that sets it."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_support import data
from app_support.errors import error_boundary
from app_support.overlay import overlay_table
from app_support.session import NATIONAL, current_lang, current_scope
from app_support.ui import page_setup, sample_banner
from metrics.catalog import catalog_as_records, load_catalog
from metrics.i18n import t

lang, scope = current_lang(), current_scope()
catalog = load_catalog()
page_setup("catalog_title", scoped=False, samples=False)  # the banner stands by the overlays
st.caption(f"{catalog.policy.number} · {catalog.policy.title_zh if lang == 'zh' else catalog.policy.title_en}")

records = catalog_as_records(catalog, lang)


def metric_table(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({
        t("col_id", lang): [r["id"] for r in rows],
        t("col_metric", lang): [r["name_en"] if lang == "en" else r["name_zh"] for r in rows],
        t("col_unit", lang): [r["unit_en"] if lang == "en" else r["unit"] for r in rows],
        t("col_kind", lang): [t("kind_" + r["kind"], lang) for r in rows],
        t("col_target", lang): [(t("target_batch", lang) if r["target"] is None else f"{r['target']:g}")
                                if r["kind"] != "qualitative" else "" for r in rows],
        t("col_deadline", lang): [r["deadline"] or "" for r in rows],
        t("col_clause", lang): [f"{r['clause']['section']}:「{r['clause']['quote']}」" if r["clause"] else "" for r in rows],
    })


st.subheader(t("catalog_national", lang))
st.dataframe(metric_table([r for r in records if r["national"]]), hide_index=True, width="stretch")
with error_boundary("app_catalog_overlays"):
    st.subheader(t("app_catalog_overlays", lang))
    st.caption(t("app_catalog_overlays_help", lang))
    sample_banner()
    overlays = overlay_table(catalog, data.dataset().targets, lang, None if scope == NATIONAL else [scope])
    st.dataframe(overlays.rename(columns={"metric": t("col_metric", lang), "unit": t("col_unit", lang),
                                          "year": t("app_col_year", lang)}),
                 hide_index=True, width="stretch", key="catalog_overlays")

st.subheader(t("catalog_provincial", lang))
st.dataframe(metric_table([r for r in records if not r["national"]]), hide_index=True, width="stretch")

name = "name_en" if lang == "en" else "name_zh"
st.subheader(t("catalog_directions", lang))
st.dataframe(pd.DataFrame({t("col_id", lang): [d.id for d in catalog.directions],
                           t("col_name", lang): [getattr(d, name) for d in catalog.directions],
                           t("col_fields", lang): ["、".join(d.fields) for d in catalog.directions]}),
             hide_index=True, width="stretch")
st.subheader(t("catalog_flagship", lang))
st.dataframe(pd.DataFrame({t("col_id", lang): [f.id for f in catalog.flagship],
                           t("col_name", lang): [getattr(f, name) for f in catalog.flagship],
                           t("col_direction", lang): [catalog.label("direction", f.direction, lang) for f in catalog.flagship]}),
             hide_index=True, width="stretch")
st.subheader(t("catalog_tasks", lang))
groups = {g.id: f"{g.roman}{getattr(g, name)}" for g in catalog.task_groups}
st.dataframe(pd.DataFrame({t("col_number", lang): [x.number for x in catalog.tasks],
                           t("col_name", lang): [getattr(x, name) for x in catalog.tasks],
                           t("col_group", lang): [groups[x.group] for x in catalog.tasks]}),
             hide_index=True, width="stretch")
st.subheader(t("catalog_regions", lang))
st.dataframe(pd.DataFrame({t("col_province", lang): [r.name for r in catalog.regions],
                           "English": [r.name_en for r in catalog.regions],
                           t("col_aliases", lang): ["、".join(r.aliases) for r in catalog.regions]}),
             hide_index=True, width="stretch")
