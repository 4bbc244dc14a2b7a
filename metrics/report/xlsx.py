"""The report as an Excel workbook (openpyxl, write-only for speed on 60,000+ items).

Sheets: summary (targets table with status colours as conditional formatting and a native bar
chart bound to the cells), monthly trend (native line chart), regions (heat-map colour scale and a
ranking chart; national reports), one sheet per metric with its counted items, goals and tasks,
shared items, open problems and data sources. Every sheet prints on A4 landscape with its header
row repeated. Every string goes through ``safe_cell_text``: uploaded text never becomes a formula.
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..charts import heatmap_matrix, is_missing, ranking_rows, status_color, status_label
from ..presentation import status_ids
from ..xlsx_safe import safe_cell_text
from .content import ReportContent, meta_lines

HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
STATUS_IDS = list(status_ids())  # display order from status.yaml


def _value(v: Any) -> Any:
    if is_missing(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime().date()
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        return v.item()
    if isinstance(v, str):
        return safe_cell_text(v) if v else None
    return v


def _styled(ws: Any, value: Any, font: Font | None = None, fill: PatternFill | None = None,
            fmt: str | None = None, wrap: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=_value(value))
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if fmt:
        cell.number_format = fmt
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _header(ws: Any, texts: list[str]) -> list[WriteOnlyCell]:
    return [_styled(ws, h, BOLD, HEADER_FILL, wrap=True) for h in texts]


def _print_setup(ws: Any, header_row: int | None, widths: list[float]) -> None:
    """A4 landscape, fit to width, header row repeated; called before the first row (write-only)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "&P / &N"
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.freeze_panes = f"A{header_row + 1}"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def sheet_title(text: str, used: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\']", "_", text).strip() or "sheet"
    base = base[:31]
    name, n = base, 2
    while name.lower() in used:
        suffix = f"({n})"
        name = base[:31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def _summary_sheet(wb: Workbook, c: ReportContent, used: set[str]) -> None:
    ws = wb.create_sheet(sheet_title(c.text("report_sheet_summary"), used))
    # title, meta lines, blank, heading, paragraphs, blank, then the table header
    header_row = 1 + len(meta_lines(c)) + 2 + len(c.summary) + 2
    _print_setup(ws, header_row, [26, 10, 10, 12, 10, 10, 10, 10, 12, 12, 12, 40])
    ws.append([_styled(ws, c.title, TITLE)])
    for k, v in meta_lines(c):
        ws.append([_styled(ws, k, BOLD), v])
    ws.append([])
    ws.append([_styled(ws, c.text("report_section_summary"), BOLD)])
    for para in c.summary:
        ws.append([_styled(ws, para)])
    ws.append([])
    heads = ["report_col_metric", "report_col_unit", "report_col_target", "report_col_deadline", "report_col_actual",
             "report_col_percent", "report_col_pace", "report_col_projected", "report_col_projected_percent",
             "report_col_required_rate", "report_col_status", "report_col_clause"]
    ws.append(_header(ws, [c.text(h) + (" (%)" if h in ("report_col_percent", "report_col_pace",
                                                        "report_col_projected_percent") else "") for h in heads]))
    for _, r in c.targets.iterrows():
        ws.append([r["name"], r["unit"], r["target"] if not is_missing(r["target"]) else r["target_text"],
                   _styled(ws, r["deadline"], fmt="yyyy-mm-dd"), r["actual"],
                   _styled(ws, r["percent"], fmt="0.0"), _styled(ws, r["pace_percent"], fmt="0.0"),
                   _styled(ws, r["projected"], fmt="0.0"), _styled(ws, r["projected_percent"], fmt="0.0"),
                   _styled(ws, r["required_rate"], fmt="0.00"), r["status_label"], r["clause"]])
    first, last = header_row + 1, header_row + max(len(c.targets), 1)
    # Status colours as conditional formatting: they follow the label if someone edits the cell.
    status_range = f"K{first}:K{last}"
    for s in STATUS_IDS:
        colour = status_color(s).lstrip("#").upper()
        label = status_label(s, c.lang).replace('"', '""')
        ws.conditional_formatting.add(status_range, FormulaRule(
            formula=[f'$K{first}="{label}"'], fill=PatternFill("solid", bgColor=colour, fgColor=colour),
            font=Font(color="FFFFFF", bold=True)))
    if len(c.targets):
        chart = BarChart()
        chart.type = "bar"
        chart.title = c.text("report_chart_percent_vs_pace")
        chart.y_axis.title = "%"
        chart.x_axis.title = c.text("report_col_metric")
        chart.add_data(Reference(ws, min_col=6, max_col=7, min_row=header_row, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        chart.height, chart.width = 9 + 0.4 * len(c.targets), 22
        ws.add_chart(chart, f"A{last + 3}")


def _trend_sheet(wb: Workbook, c: ReportContent, used: set[str]) -> None:
    s = c.progress.series
    s = s[(s["scope_type"] == c.scope_type) & (s["scope"] == c.scope)]
    metrics = [m for m in dict.fromkeys(c.targets["metric"])] if len(c.targets) else []
    if s.empty or not metrics:
        return
    ws = wb.create_sheet(sheet_title(c.text("report_sheet_trend"), used))
    _print_setup(ws, 1, [12, *[14] * len(metrics)])
    wide = s[s["metric"].isin(metrics)].pivot_table(index="month", columns="metric", values="cumulative",
                                                    aggfunc="last").reindex(columns=metrics)
    names = dict(zip(c.targets["metric"], c.targets["name"]))
    ws.append(_header(ws, [c.text("report_col_month"), *[names[m] for m in metrics]]))
    for month, vals in wide.iterrows():
        ws.append([_styled(ws, pd.Timestamp(month).date(), fmt="yyyy-mm"), *[_value(v) for v in vals]])
    n = len(wide)
    chart = LineChart()
    chart.title = c.text("report_col_cumulative")
    chart.y_axis.title = c.text("report_col_cumulative")
    chart.x_axis.title = c.text("report_col_month")
    chart.x_axis.number_format = "yyyy-mm"
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(metrics), min_row=1, max_row=1 + n), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + n))
    chart.height, chart.width = 10, 24
    ws.add_chart(chart, f"{get_column_letter(len(metrics) + 3)}2")


def _regions_sheet(wb: Workbook, c: ReportContent, used: set[str]) -> None:
    if c.scope_type != "national":
        return
    m = heatmap_matrix(c.progress, "contribution_percent", c.lang, c.catalog)
    if m.empty:
        return
    ws = wb.create_sheet(sheet_title(c.text("report_sheet_regions"), used))
    _print_setup(ws, 2, [16, *[12] * len(m.columns)])
    cat = c.catalog
    ws.append([_styled(ws, c.text("report_chart_heatmap") + " (%)", BOLD)])
    ws.append(_header(ws, [c.text("report_col_province"), *[cat.label("metric", x, c.lang) for x in m.columns]]))
    for prov, vals in m.iterrows():
        ws.append([cat.label("province", prov, c.lang), *[_styled(ws, v, fmt="0.0") for v in vals]])
    last = 2 + len(m)
    ws.conditional_formatting.add(f"B3:{get_column_letter(1 + len(m.columns))}{last}",
                                  ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                                                 end_type="max", end_color="0072B2"))
    lead = next((ch.kwargs["metric"] for ch in c.charts if ch.kind == "ranking_chart"), None)
    if lead:
        rank = ranking_rows(c.progress, lead)
        ws.append([])
        top = last + 2
        ws.append([_styled(ws, next(ch.title for ch in c.charts if ch.kind == "ranking_chart") + " · " +
                           cat.label("metric", lead, c.lang), BOLD)])
        ws.append(_header(ws, [c.text("report_col_province"), c.text("report_col_actual"),
                               c.text("report_col_contribution"), c.text("report_col_status")]))
        for _, r in rank.iterrows():
            ws.append([cat.label("province", r["scope"], c.lang), _value(r["actual"]),
                       _styled(ws, r["contribution_percent"], fmt="0.0"), status_label(r["status"], c.lang)])
        first, end = top + 2, top + 1 + len(rank)
        chart = BarChart()
        chart.type = "bar"
        chart.title = cat.label("metric", lead, c.lang)
        chart.x_axis.title = c.text("report_col_province")
        chart.y_axis.title = c.text("report_col_actual")
        chart.x_axis.scaling.orientation = "maxMin"
        chart.add_data(Reference(ws, min_col=2, min_row=first - 1, max_row=end), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=end))
        chart.height, chart.width = 4 + 0.45 * len(rank), 18
        ws.add_chart(chart, f"F{top}")


ITEM_HEADS = ["name", "code", "province", "direction", "flagship", "date", "evidence", "source", "row"]


def _metric_sheets(wb: Workbook, c: ReportContent, used: set[str]) -> dict[str, str]:
    """One sheet per metric with its counted items; returns placeholder -> rows XML to fill in after saving."""
    fills: dict[str, str] = {}
    for n, (metric, items) in enumerate(c.items.items()):
        ws = wb.create_sheet(sheet_title(c.item_titles[metric], used))
        cols = [h for h in ITEM_HEADS if h in items.columns]
        _print_setup(ws, 5, [36, 22, 12, 12, 14, 12, 30, 18, 8][:len(cols)])
        t = c.targets[c.targets["metric"] == metric].iloc[0]
        ws.append([_styled(ws, c.item_titles[metric], TITLE)])
        target = f"{t['target_text']} {t['unit']}".strip() if not is_missing(t["target"]) else t["target_text"]
        ws.append([c.text("report_col_target"), target, c.text("report_col_actual"), t["actual"],
                   c.text("report_col_status"), t["status_label"]])
        ws.append([c.text("report_col_clause"), t["clause"]])
        ws.append([])
        ws.append(_header(ws, [c.text(f"report_col_{h}") for h in cols]))
        if len(items):
            marker = f"__report_items_{n}__"
            ws.append([CellRichText(marker)])  # an inline-string placeholder row, replaced after saving
            fills[marker] = rows_xml(items[cols], first_row=6)
            ws.auto_filter.ref = f"A5:{get_column_letter(len(cols))}{5 + len(items)}"
    return fills


# Control characters XML forbids (the ones openpyxl rejects), removed from every text cell.
XML_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"


def rows_xml(df: pd.DataFrame, first_row: int) -> str:
    """SpreadsheetML rows of a frame: text as inline strings (never a formula), numbers as numbers.

    openpyxl spends most of a large report in its per-cell machinery; the item lists (tens of
    thousands of rows of plain text) are serialised here directly, column by column with vectorised
    string operations, as the same XML openpyxl writes for such cells.
    """
    n = len(df)
    if n == 0:
        return ""
    rn = pd.Series(np.arange(first_row, first_row + n), dtype="int64").astype("string")
    out = '<row r="' + rn + '">'
    for j, col in enumerate(df.columns):
        s = df[col].reset_index(drop=True)
        ref = '<c r="' + get_column_letter(j + 1) + rn
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            cell = ref + '" t="n"><v>' + s.astype("string") + "</v></c>"
            present = s.notna()
        else:
            text = (s.astype("string").fillna("").str.replace(XML_ILLEGAL, "", regex=True).str.slice(0, 32767)
                    .str.replace("&", "&amp;", regex=False).str.replace("<", "&lt;", regex=False)
                    .str.replace(">", "&gt;", regex=False))
            cell = ref + '" t="inlineStr"><is><t xml:space="preserve">' + text + "</t></is></c>"
            present = text != ""
        out = out + cell.where(present, "").fillna("")
    return "".join((out + "</row>").tolist())


def fill_rows(xlsx: bytes, fills: dict[str, str]) -> bytes:
    """The saved workbook with each placeholder row replaced by its rows XML."""
    if not fills:
        return xlsx
    zin = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    # Fast compression: the item sheets are most of the bytes and most of the time.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                for marker in [m for m in fills if m in text]:
                    at = text.index(marker)
                    start = text.rfind("<row", 0, at)
                    end = text.index("</row>", at) + len("</row>")
                    text = text[:start] + fills[marker] + text[end:]
                    text = re.sub(r'<dimension ref="[^"]*"/>', "", text, count=1)
                data = text.encode("utf-8")
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()


def _table_sheet(wb: Workbook, c: ReportContent, used: set[str], title_key: str, df: pd.DataFrame,
                 columns: list[str], widths: list[float]) -> None:
    ws = wb.create_sheet(sheet_title(c.text(title_key), used))
    _print_setup(ws, 1, widths)
    cols = [x for x in columns if x in df.columns] if len(df.columns) else columns
    ws.append(_header(ws, [c.text(f"report_col_{x}") for x in cols]))
    if len(df):
        for rec in df[cols].itertuples(index=False, name=None):
            ws.append([_value(v) for v in rec])
    else:
        ws.append([c.text("report_none")])


def _goals_sheet(wb: Workbook, c: ReportContent, used: set[str]) -> None:
    ws = wb.create_sheet(sheet_title(c.text("report_sheet_goals"), used))
    _print_setup(ws, 1, [48, 14, 12, 12, 12, 40])
    levels = [lv.id for lv in c.catalog.levels]
    ws.append(_header(ws, [c.text("report_col_item"), c.text("report_col_deadline"),
                           *[c.catalog.label("level", lv, c.lang) for lv in levels]]))
    for df in (c.goals, c.tasks):
        for _, r in df.iterrows():
            ws.append([r["name"], _styled(ws, r.get("deadline"), fmt="yyyy-mm-dd"), *[int(r[lv]) for lv in levels]])
    ws.append([])
    ws.append(_header(ws, [c.text(f"report_col_{x}") for x in ("kind", "province", "item", "level", "evidence")]))
    for rec in c.assessments[["kind", "province", "item", "level", "evidence"]].itertuples(index=False, name=None):
        ws.append([_value(v) for v in rec])


def render_xlsx(content: ReportContent) -> bytes:
    """The Excel report as bytes."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    _summary_sheet(wb, content, used)
    _trend_sheet(wb, content, used)
    _regions_sheet(wb, content, used)
    fills = _metric_sheets(wb, content, used)
    _goals_sheet(wb, content, used)
    _table_sheet(wb, content, used, "report_sheet_shared", content.shared_items,
                 ["metric", "name", "code", "key", "provinces"], [20, 36, 22, 22, 30])
    _table_sheet(wb, content, used, "report_sheet_problems", content.problems,
                 ["sheet", "row", "column", "code", "severity", "message", "value"], [14, 8, 8, 20, 10, 60, 24])
    _table_sheet(wb, content, used, "report_sheet_sources", content.sources,
                 ["label", "province", "as_of", "uploaded_at", "sha256"], [28, 14, 12, 20, 68])
    buf = io.BytesIO()
    wb.save(buf)
    return fill_rows(buf.getvalue(), fills)
