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

from ..chart_rows import heatmap_matrix, ranking_rows
from ..presentation import is_missing, status_colour, status_ids, status_label, tracker_timezone, unreviewed_mark
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
        # A date stays a date; a time of day (upload times) is kept, to the minute.
        return v.date() if v == v.normalize() else v.floor("min").to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        v = v.item()
    if isinstance(v, float):
        # Sums of floats carry noise (7.000000000000001); people write at most a few decimals.
        return round(v, 4)
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


def _formula(ws: Any, formula: str, fmt: str | None = None) -> WriteOnlyCell:
    """A formula cell built by us over cells we wrote (``_value`` would turn it into text, rightly, for user text)."""
    cell = WriteOnlyCell(ws, value=formula)
    cell.font = BOLD
    if fmt:
        cell.number_format = fmt
    return cell


def fitted_widths(df: pd.DataFrame, heads: list[str], sample: int = 500, cap: float = 60) -> list[float]:
    """Column widths that fit the header and the longest of the first ``sample`` values (CJK counts double)."""
    def width(text: str) -> float:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    out = []
    for col, head in zip(df.columns, heads):
        values = df[col].head(sample).astype(str).tolist()
        out.append(min(cap, max([width(head), *map(width, values)], default=8) + 2))
    return out


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


def _axes(chart: Any, x_title: str, y_title: str, legend: bool = True) -> None:
    """Both axes drawn and titled with their unit, the legend under the plot (or none for one series).

    openpyxl marks axes as deleted unless told otherwise: Excel then draws a chart without scales.
    """
    chart.x_axis.title, chart.y_axis.title = x_title, y_title
    chart.x_axis.delete = chart.y_axis.delete = False
    if legend:
        chart.legend.position = "b"
    else:
        chart.legend = None


def is_money(unit: str) -> bool:
    """Money (亿元, yuan) is never drawn on the same axis as counts."""
    return "元" in unit or "yuan" in unit.lower()


def count_format(unit: str) -> str:
    return "#,##0.0" if is_money(unit) else "#,##0"


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
        # Every user-supplied string (a custom metric's name or unit) through _value: text, never a formula.
        ws.append([_value(r["name"]), _value(r["unit"]),
                   _value(r["target"] if not is_missing(r["target"]) else r["target_text"]),
                   _styled(ws, r["deadline"], fmt="yyyy-mm-dd"), _styled(ws, r["actual"], fmt=count_format(r["unit"])),
                   _styled(ws, r["percent"], fmt="0.0"), _styled(ws, r["pace_percent"], fmt="0.0"),
                   _styled(ws, r["projected"], fmt="0.0"), _styled(ws, r["projected_percent"], fmt="0.0"),
                   _styled(ws, r["required_rate"], fmt="0.00"), _value(r["status_label"]), _value(r["clause"])])
    first, last = header_row + 1, header_row + max(len(c.targets), 1)
    # Status colours as conditional formatting: they follow the label if someone edits the cell.
    status_range = f"K{first}:K{last}"
    for s in STATUS_IDS:
        colour = status_colour(s).lstrip("#").upper()
        label = status_label(s, c.lang).replace('"', '""')
        ws.conditional_formatting.add(status_range, FormulaRule(
            formula=[f'$K{first}="{label}"'], fill=PatternFill("solid", bgColor=colour, fgColor=colour),
            font=Font(color="FFFFFF", bold=True)))
    if len(c.targets):
        chart = BarChart()
        chart.type = "bar"
        chart.title = unreviewed_mark(c.text("report_chart_percent_vs_pace"), c.unreviewed, c.lang)
        _axes(chart, c.text("report_col_metric"), "%")
        chart.y_axis.number_format = "0"
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
    units_of = dict(zip(c.targets["metric"], c.targets["unit"]))
    ws.append(_header(ws, [c.text("report_col_month"), *[f"{names[m]}({units_of[m]})" for m in metrics]]))
    for month, vals in wide.iterrows():
        ws.append([_styled(ws, pd.Timestamp(month).date(), fmt="yyyy-mm"),
                   *[_styled(ws, v, fmt=count_format(units_of.get(m, ""))) for m, v in zip(metrics, vals)]])
    n = len(wide)
    units = dict(zip(c.targets["metric"], c.targets["unit"]))
    # One chart for counts, another for money: 亿元 (thousands) would flatten every count line.
    groups = [(False, [m for m in metrics if not is_money(units[m])]), (True, [m for m in metrics if is_money(units[m])])]
    anchor = 2
    for money, group in groups:
        if not group:
            continue
        chart = LineChart()
        unit_names = list(dict.fromkeys(units[m] for m in group))
        chart.title = unreviewed_mark(f"{c.text('report_col_cumulative')}({'、'.join(unit_names)})", c.unreviewed, c.lang)
        _axes(chart, c.text("report_col_month"), f"{c.text('report_col_cumulative')}({'/'.join(unit_names)})")
        chart.x_axis.number_format = "yyyy-mm"
        chart.y_axis.number_format = "#,##0" if not money else "#,##0.0"
        for m in group:
            col = 2 + metrics.index(m)
            chart.add_data(Reference(ws, min_col=col, max_col=col, min_row=1, max_row=1 + n), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + n))
        chart.height, chart.width = 10, 24
        ws.add_chart(chart, f"{get_column_letter(len(metrics) + 3)}{anchor}")
        anchor += 22


def _regions_sheet(wb: Workbook, c: ReportContent, used: set[str]) -> None:
    if c.scope_type != "national":
        return
    m = heatmap_matrix(c.progress, "contribution_percent", c.catalog)
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
        # The total as a formula over the region rows (numbers we wrote; never over uploaded text).
        ws.append([_styled(ws, c.text("rl_col_total"), BOLD), _formula(ws, f"=SUM(B{first}:B{end})"),
                   _formula(ws, f"=SUM(C{first}:C{end})", fmt="0.0")])
        unit = c.targets.set_index("metric")["unit"].get(lead, "") if len(c.targets) else ""
        chart = BarChart()
        chart.type = "bar"
        chart.title = unreviewed_mark(cat.label("metric", lead, c.lang), c.unreviewed, c.lang)
        _axes(chart, c.text("report_col_province"), f"{c.text('report_col_actual')}({unit})", legend=False)
        chart.x_axis.scaling.orientation = "maxMin"
        chart.add_data(Reference(ws, min_col=2, min_row=first - 1, max_row=end), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=end))
        chart.height, chart.width = 4 + 0.45 * len(rank), 18
        ws.add_chart(chart, f"F{top}")


ITEM_HEADS = ["name", "code", "province", "direction", "flagship", "date", "evidence", "source", "row"]


def status_cell(ws: Any, status: str, label: str) -> WriteOnlyCell:
    """A status label on its status colour (``presentation.status_colour``), white bold text, as on the summary."""
    colour = status_colour(status).lstrip("#").upper()
    return _styled(ws, label, Font(color="FFFFFF", bold=True), PatternFill("solid", fgColor=colour, bgColor=colour))


def _metric_sheets(wb: Workbook, c: ReportContent, used: set[str]) -> dict[str, str]:
    """One sheet per metric with its counted items; returns placeholder -> rows XML to fill in after saving."""
    fills: dict[str, str] = {}
    for n, (metric, items) in enumerate(c.items.items()):
        ws = wb.create_sheet(sheet_title(c.item_titles[metric], used))
        cols = [h for h in ITEM_HEADS if h in items.columns]
        heads = [c.text(f"report_col_{h}") for h in cols]
        _print_setup(ws, 5, fitted_widths(items[cols], heads) if len(items) else [14] * len(cols))
        t = c.targets[c.targets["metric"] == metric].iloc[0]
        ws.append([_styled(ws, c.item_titles[metric], TITLE)])
        target = f"{t['target_text']} {t['unit']}".strip() if not is_missing(t["target"]) else t["target_text"]
        ws.append([c.text("report_col_target"), _value(target), c.text("report_col_actual"), _value(t["actual"]),
                   c.text("report_col_status"), status_cell(ws, t["status"], t["status_label"])])
        ws.append([c.text("report_col_clause"), _value(t["clause"])])
        # How many items are listed: a formula over the name column, so a filtered copy still adds up.
        ws.append([c.text("rl_col_item_count"),
                   _formula(ws, f"=COUNTA(A6:A{5 + len(items)})") if len(items) else 0])
        ws.append(_header(ws, heads))
        if len(items):
            marker = f"__report_items_{n}__"
            ws.append([CellRichText(marker)])  # an inline-string placeholder row, replaced after saving
            fills[marker] = rows_xml(items[cols], first_row=6, date_styles=_date_styles(ws))
            ws.auto_filter.ref = f"A5:{get_column_letter(len(cols))}{5 + len(items)}"
    return fills


# Control characters XML forbids (the ones openpyxl rejects), removed from every text cell.
XML_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"


def _date_styles(ws: Any) -> dict[str, int]:
    """The workbook's cell-style ids of a day date and a month date (registered through a cell never written)."""
    out = {}
    for key, fmt in (("day", "yyyy-mm-dd"), ("month", "yyyy-mm")):
        cell = WriteOnlyCell(ws, value=None)
        cell.number_format = fmt
        out[key] = cell.style_id
    return out


EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def _date_cells(s: pd.Series, ref: pd.Series, styles: dict[str, int]) -> pd.Series:
    """Completion dates as Excel dates: 2025-03-01 a day, 2025-03 a month; a year alone stays text."""
    text = s.astype("string").fillna("")
    day = pd.to_datetime(text.where(text.str.len() == 10), format="%Y-%m-%d", errors="coerce")
    month = pd.to_datetime(text.where(text.str.len() == 7), format="%Y-%m", errors="coerce")
    when = day.fillna(month)
    serial = ((when - EXCEL_EPOCH).dt.days).astype("Int64").astype("string")
    style = pd.Series(np.where(day.notna(), styles["day"], styles["month"]), index=s.index).astype("string")
    as_date = ref + '" s="' + style + '"><v>' + serial + "</v></c>"
    as_text = ref + '" t="inlineStr"><is><t>' + text + "</t></is></c>"
    return as_date.where(when.notna(), as_text.where(text != "", ""))


def rows_xml(df: pd.DataFrame, first_row: int, date_styles: dict[str, int] | None = None) -> str:
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
        if col == "date" and date_styles:
            out = out + _date_cells(s, ref, date_styles).fillna("")
            continue
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
            ws.append([_value(r["name"]), _styled(ws, r.get("deadline"), fmt="yyyy-mm-dd"), *[int(r[lv]) for lv in levels]])
    ws.append([])
    ws.append(_header(ws, [c.text(f"report_col_{x}") for x in ("kind", "province", "item", "level", "evidence")]))
    for rec in c.assessments[["kind", "province", "item", "level", "evidence"]].itertuples(index=False, name=None):
        ws.append([_value(v) for v in rec])


def source_dates(sources: pd.DataFrame) -> pd.DataFrame:
    """The sources with real dates: as-of a date, upload time to the minute (no microseconds)."""
    df = sources.copy()
    if len(df):
        df["as_of"] = [None if pd.isna(x) else x.date() for x in pd.to_datetime(df["as_of"], errors="coerce")]
        # Excel has no time zones: stored UTC times are written as Beijing time, the officers' clock.
        df["uploaded_at"] = [None if pd.isna(x) else
                             (x.tz_convert(tracker_timezone()).tz_localize(None) if x.tzinfo else x).floor("min").to_pydatetime()
                             for x in (pd.to_datetime(v, errors="coerce") for v in df["uploaded_at"])]
    return df


def _findings_sheet(wb: Workbook, c: ReportContent, used: set[str]) -> None:
    """The officer's findings and the page-one sentences, as text (never formulas)."""
    from .leader import FINDING_HEADINGS

    ws = wb.create_sheet(sheet_title(c.text("rl_findings_sheet"), used))
    _print_setup(ws, 1, [24, 110])
    ws.append([_styled(ws, c.title, TITLE)])
    for heading, paras in c.page_one.blocks:
        ws.append([_styled(ws, heading, BOLD), _styled(ws, "\n".join(paras), wrap=True)])
    for key, heading in [*FINDING_HEADINGS, ("notes", "rl_findings_notes")]:
        ws.append([_styled(ws, c.text(heading), BOLD), _styled(ws, c.findings.get(key, ""), wrap=True)])


def render_xlsx(content: ReportContent) -> bytes:
    """The Excel report as bytes."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    _summary_sheet(wb, content, used)
    _findings_sheet(wb, content, used)
    _trend_sheet(wb, content, used)
    _regions_sheet(wb, content, used)
    fills = _metric_sheets(wb, content, used)
    _goals_sheet(wb, content, used)
    _table_sheet(wb, content, used, "report_sheet_shared", content.shared_items,
                 ["metric", "name", "code", "key", "provinces"], [20, 36, 22, 22, 30])
    _table_sheet(wb, content, used, "report_sheet_problems", content.problems,
                 ["sheet", "row", "column", "code", "severity", "message", "value"], [14, 8, 8, 20, 10, 60, 24])
    _table_sheet(wb, content, used, "report_sheet_sources", source_dates(content.sources),
                 ["label", "province", "as_of", "uploaded_at", "sha256"], [28, 14, 12, 20, 68])
    buf = io.BytesIO()
    wb.save(buf)
    return fill_rows(buf.getvalue(), fills)
