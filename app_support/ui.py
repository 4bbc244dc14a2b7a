"""Small layout pieces shared by the pages: header, sample banner, target cards, translated tables."""
from __future__ import annotations

import html
from typing import Any

import pandas as pd
import streamlit as st

from metrics.chart_style import mark_unreviewed
from metrics.presentation import fmt_date, fmt_number, status_colour, status_label
from metrics.i18n import t, translations
from metrics.markup import safe_figure
from metrics.presentation import counted
from metrics.xlsx_safe import csv_bytes

from . import data
from .cards import card_headline
from .login import current_user, may_clear_samples, page_user
from .session import current_as_of, current_lang, current_scope, scope_label


def page_header(title_key: str, *, scoped: bool = True) -> None:
    """The page title, and the scope and as-of date the page is computed for."""
    lang = current_lang()
    st.title(t(title_key, lang))
    if scoped:
        st.caption(f"{scope_label(current_scope(), lang)} · "
                   f"{t('app_as_of_caption', lang, date=fmt_date(current_as_of(), lang))}")


def page_setup(title_key: str, *, scoped: bool = True, caption_key: str | None = None, samples: bool = True,
               with_button: bool = False) -> Any:
    """The top of every page, called first: the login check (an unsigned visitor stops here, even on a
    deep link), the title with scope and as-of date, an optional caption, the 示例数据 banner.
    Returns the signed-in user (None when accounts are off)."""
    user = page_user()
    page_header(title_key, scoped=scoped)
    if caption_key:
        st.caption(t(caption_key, current_lang()))
    if samples:
        sample_banner(with_button=with_button)
    return user


def has_samples() -> bool:
    """Whether sample (示例数据) submissions are among the current ones."""
    return any(h.get("sample") and h.get("state") == "current" for h in data.history())


def sample_banner(with_button: bool = False) -> None:
    """The visible 示例数据 banner while sample data is shown, with the one-click clear button."""
    if not has_samples():
        return
    lang = current_lang()
    cols = st.columns([5, 1]) if with_button else [st.container()]
    cols[0].warning(t("app_sample_banner", lang), icon=":material/science:")
    # Accounts on: only administrators may clear the samples (the store checks too).
    if not (with_button and may_clear_samples()):
        return
    # Clearing drops rows from every page, so it asks once more before it happens (issue 13, point 5).
    if st.session_state.get("clear_samples_confirm"):
        st.warning(t("rounds_confirm_clear_samples", lang), icon=":material/warning:")
        yes, no = st.columns(2)
        if yes.button(t("rounds_confirm_yes", lang), key="clear_samples_yes", type="primary"):
            st.session_state.pop("clear_samples_confirm", None)
            n = data.store().clear_samples(user=current_user())
            data.invalidate()
            cleared = counted(n if isinstance(n, int) else 0, "sample_submission", lang)
            st.toast(t("app_sample_cleared", lang, n=cleared))
            st.rerun()
        if no.button(t("rounds_confirm_no", lang), key="clear_samples_no"):
            st.session_state.pop("clear_samples_confirm", None)
            st.rerun()
    elif cols[1].button(t("app_sample_clear", lang), key="clear_samples", type="primary"):
        st.session_state["clear_samples_confirm"] = True
        st.rerun()


def target_card_html(card: dict[str, Any], lang: str) -> str:
    """One target as a small card: name, actual / target, percent, pace and status in its colour.

    Every text is escaped: names and units may come from a province's own workbook.
    """
    e = html.escape
    colour = status_colour(card["status"])
    pct = card["percent"]
    bar = min(pct or 0.0, 100.0)
    pace = card["pace_percent"]
    lines = []
    if pct is not None:
        lines.append(e(t("app_card_percent", lang, percent=f"{fmt_number(pct)}%")))
    if pace is not None and card["target"] is not None:
        lines.append(e(t("app_card_pace", lang, percent=f"{fmt_number(pace)}%")))
    if card.get("passed"):  # as it ended: the deadline wording replaces pace and gap (issue 13)
        lines = [e(card["sentence"])]
    if card.get("no_number"):  # 一批: no percent, no pace, no gap; the badge says there is no number
        lines = [e(card["sentence"])] if card.get("passed") else []
    if card["gap_items"] is not None and card["target"] is not None and not card.get("passed"):
        sign = "+" if card["gap_items"] >= 0 else "−"
        lines.append(e(t("app_card_gap", lang, gap=f"{sign}{fmt_number(abs(card['gap_items']))} {card['unit']}")))
    deadline = (t("app_card_deadline", lang, date=card["deadline"]) if card["deadline"]
                else t("app_card_no_target", lang))
    source = f" · {e(t('app_card_provincial', lang))}" if card["target_source"] == "provincial" else ""
    pace_mark = (f'<div style="position:absolute;left:{min(pace, 100):.1f}%;top:-3px;width:2px;height:12px;'
                 f'background:#0072B2"></div>') if pace is not None and card["target"] is not None else ""
    badge = t("calendar2_no_target_number", lang) if card.get("no_number") else status_label(card["status"], lang)
    return (
        f'<div style="border:1px solid #ddd;border-left:6px solid {colour};border-radius:6px;'
        f'padding:10px 12px;height:100%;font-family:inherit">'
        f'<div style="font-size:0.9rem;color:#444">{e(card["name"])}</div>'
        f'<div style="font-size:0.75rem;color:#777">{e(deadline)}{source}</div>'
        f'<div style="font-size:1.4rem;font-weight:600;margin:4px 0">{e(card_headline(card, lang))}</div>'
        f'<div style="position:relative;background:#eee;height:6px;border-radius:3px;margin:6px 0">'
        f'<div style="width:{bar:.1f}%;background:{colour};height:6px;border-radius:3px"></div>{pace_mark}</div>'
        f'<div style="font-size:0.8rem;color:#333">{" · ".join(lines)}</div>'
        f'<span style="display:inline-block;margin-top:6px;padding:1px 8px;border-radius:10px;'
        f'background:{colour};color:#fff;font-size:0.8rem">{e(badge)}</span>'
        f'</div>'
    )


def show_cards(cards: list[dict[str, Any]], lang: str, per_row: int = 4) -> None:
    """Target cards in rows of ``per_row``."""
    for start in range(0, len(cards), per_row):
        cols = st.columns(per_row)
        for col, card in zip(cols, cards[start:start + per_row]):
            with col:
                st.html(target_card_html(card, lang))


def table_download(df: pd.DataFrame, file_name: str, key: str, lang: str) -> None:
    """A CSV download of a shown table, formula-like cells neutralised (the built-in export is off).
    The file is written when the button is clicked, not on every rerun (at 10x the gaps page's 10,000
    items took 0.2 s of every rerun to write, issue 17)."""
    st.download_button(t("app_table_download_csv", lang), lambda: csv_bytes(df), file_name=file_name,
                       mime="text/csv", key=key, icon=":material/download:")


def translated(df: pd.DataFrame, columns: dict[str, str], lang: str) -> pd.DataFrame:
    """The frame's ``columns`` (in that order) renamed to their labels: {column: translation key};
    columns without any value are left out."""
    present = [c for c in columns if c in df.columns]
    if len(df):  # a column with no value at all only shows "None" in every cell
        present = [c for c in present if df[c].notna().any()]
    return df[present].rename(columns={c: t(columns[c], lang) for c in present})


def plot(fig: Any, key: str, *, prepared: bool = False) -> None:
    """A plotly figure at full width, with the offline-safe display options. ``prepared``: the figure is
    already as shown (``figures.shown``: safe text and the unreviewed mark, cached), so it is not copied."""
    # safe_figure: workbook text in labels ("<a href=…>") is shown as text, never a live link; it is a
    # copy, so 含未审核数据 goes on it without touching a cached figure (issue 13).
    shown = fig if prepared else mark_unreviewed(safe_figure(fig), unreviewed_shown(), current_lang())
    st.plotly_chart(shown, key=key, width="stretch", config={"displaylogo": False})


def unreviewed_shown() -> bool:
    """Whether the figures on screen include unreviewed submissions (False when the store cannot say)."""
    try:
        return data.includes_unreviewed()
    except Exception:  # noqa: BLE001 - an unreachable store: the page itself reports it
        return False


def _field_names(table: str, fields: str, lang: str) -> str:
    """The changed fields of a diff row ("status, value") as the workbook's column headers in ``lang``."""
    from metrics.sheets import sheet_defs

    kind = "goals" if table == "assessments" else table
    d = next((x for x in sheet_defs() if x.key == kind), None)
    headers = {c.key: c.header_en if lang == "en" else c.header_zh for c in d.columns} if d else {}
    # a field no sheet column holds (date_precision) has its own name in the translation table
    words = [headers.get(f) or (t(f"app_field_{f}", lang) if f"app_field_{f}" in translations() else f)
             for f in fields.split(", ")] if fields else []
    return (", " if lang == "en" else "、").join(words)


def show_changes(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A diff table (``change_tables.diff_rows``) in ``lang``: the change, table, region, metric and changed fields
    by name (Added / 广东省 → Guangdong on the English page), never internal keys."""
    from metrics.catalog import load_catalog
    from metrics.presentation import change_label, region_name

    catalog = load_catalog()
    shown = changes.assign(change=changes["change"].map(lambda c: change_label(c, lang)),
                           table=changes["table"].map(lambda x: t(f"app_table_{x}", lang)),
                           province=changes["province"].map(lambda p: region_name(catalog, p, lang) if p else ""),
                           metric=changes["metric"].map(lambda m: catalog.label("metric", m, lang) if m else ""),
                           fields=[_field_names(tb, f, lang) for tb, f in zip(changes["table"], changes["fields"])])
    return translated(shown, {"change": "app_col_change", "table": "app_col_table", "province": "app_col_province",
                              "metric": "app_col_metric", "name": "app_col_name", "fields": "app_col_fields"}, lang)


def show_diff_counts(diff: dict[str, Any], lang: str, key: str) -> None:
    """Rows added, removed and changed per table between two submissions (or "no changes")."""
    from .change_tables import diff_counts

    counts = diff_counts(diff)
    if counts.empty:
        st.caption(t("app_changes_none", lang))
        return
    st.dataframe(translated(counts.assign(table=[t(f"app_table_{x}", lang) for x in counts["table"]]),
                            {"table": "app_col_table", "added": "app_change_added",
                             "removed": "app_change_removed", "changed": "app_change_changed"}, lang),
                 hide_index=True, width="stretch", key=key)


def show_figures(figures: list[tuple[str, str, str | None]]) -> None:
    """Figures side by side as (label, value, help): the value wraps onto a second line instead of being
    cut ("69 techn…" in ``st.metric``); the help, when given, is the hover text of the label."""
    cols = st.columns(len(figures))
    for col, (label, value, help_text) in zip(cols, figures):
        title = f' title="{html.escape(help_text)}"' if help_text else ""
        col.html(f'<div style="font-size:0.875rem;color:#555"{title}>{html.escape(label)}'
                 f'{" ⓘ" if help_text else ""}</div>'
                 f'<div style="font-size:1.6rem;line-height:1.25;white-space:normal;overflow-wrap:anywhere">'
                 f'{html.escape(value)}</div>')
