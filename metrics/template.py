"""The provincial progress workbook template, generated from the catalog and ``workbook.yaml``.

Sheets: 填报说明, 基本信息 (label in column A, value in column B), 成果清单, 指标汇总, 目标设定,
定性目标 (the 12 qualitative goals listed), 任务进展 (the 16 key tasks listed, written "1.加强前瞻谋划部署"),
and a hidden 选项 sheet holding the drop-down lists. Table sheets have their header in row 1.

The example row (the rule ingest uses to ignore it)
-----------------------------------------------------
Every table sheet carries one example row, in row 2 right under the header. A row is the example
row when EITHER
  * its first cell (column A), stripped of spaces, equals ``EXAMPLE_MARK`` ("示例"), OR
  * any of its cells, stripped, equals ``EXAMPLE_NOTE``
    ("示例行,填报时请删除或保留均可(系统自动忽略)"); the template writes it in the sheet's last
    column (备注 / 说明 / 佐证 / 工作进展).
The template always does both. ``is_example_row(values)`` implements the rule. An example row is
neither valid nor invalid: count it as blank.

Pre-listed rows
---------------
In 定性目标 and 任务进展 the goal or task is written in advance; a pre-listed row whose level
and evidence are both empty has not been filled in and counts as blank.
"""
from __future__ import annotations

import datetime as dt
import io
from typing import Any, Iterable, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .catalog import Catalog, load_catalog
from .i18n import t
from .model import Dataset
from .text import clean_cell
from .workbook_spec import sheet_spec, workbook_sheets
from .xlsx_safe import safe_cell_text

EXAMPLE_MARK = "示例"
EXAMPLE_NOTE = "示例行,填报时请删除或保留均可(系统自动忽略)"
OPTIONS_SHEET = "选项"
TABLE_SHEETS = ("items", "totals", "targets", "goals", "tasks")
# Rows of a table sheet that carry drop-downs (validation costs nothing for empty rows).
VALIDATION_ROWS = {"items": 5000, "totals": 1000, "targets": 500, "goals": 200, "tasks": 200}

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
EXAMPLE_FONT = Font(italic=True, color="808080")
EXAMPLE_FILL = PatternFill("solid", fgColor="FFF2CC")
TITLE_FONT = Font(bold=True, size=14)
DATE_FORMAT = "yyyy-mm-dd"


def is_example_row(values: Sequence[Any]) -> bool:
    """True when a row read from a sheet is the template's example row (see the module docstring)."""
    if not values:
        return False
    if clean_cell(values[0]).replace(" ", "") == EXAMPLE_MARK:
        return True
    return any(isinstance(v, str) and clean_cell(v) == EXAMPLE_NOTE for v in values)


# ---- drop-down lists ---------------------------------------------------------------------------
def item_metrics(catalog: Catalog) -> list[str]:
    """Metric names offered in 成果清单: every metric counted item by item."""
    return [m.name_zh for m in catalog.all_metrics if m.kind == "count"]


def total_metrics(catalog: Catalog) -> list[str]:
    """Metric names offered in 指标汇总 and 目标设定: every counted or summed metric."""
    return [m.name_zh for m in catalog.all_metrics if m.kind != "qualitative"]


def task_label(number: int, name_zh: str) -> str:
    """How the template writes a key task: "1.加强前瞻谋划部署"."""
    return f"{number}.{name_zh}"


def option_lists(catalog: Catalog) -> dict[str, list[str]]:
    """Every drop-down list of the template, by list name."""
    units = sorted({m.unit for m in catalog.all_metrics if m.unit}, key=lambda u: (u == "亿元", u))
    return {
        "province": [r.name for r in catalog.regions],
        "item_metric": item_metrics(catalog),
        "total_metric": total_metrics(catalog),
        "direction": [d.name_zh for d in catalog.directions],
        "flagship": [f.name_zh for f in catalog.flagship],
        "status": [s.name_zh for s in catalog.statuses],
        "level": [lv.name_zh for lv in catalog.levels],
        "goal": [m.name_zh for m in catalog.qualitative_metrics],
        "task": [task_label(tk.number, tk.name_zh) for tk in catalog.tasks],
        "unit": units,
    }


# (sheet, column) -> (list name, strict). Not strict: other text allowed (custom metrics, units).
DROPDOWNS = {
    ("info", "province"): ("province", True),
    ("items", "province"): ("province", True),
    ("items", "metric"): ("item_metric", True),
    ("items", "direction"): ("direction", True),
    ("items", "flagship"): ("flagship", True),
    ("items", "status"): ("status", True),
    ("totals", "province"): ("province", True),
    ("totals", "metric"): ("total_metric", True),
    ("targets", "province"): ("province", True),
    ("targets", "metric"): ("total_metric", False),
    ("targets", "unit"): ("unit", False),
    ("goals", "province"): ("province", True),
    ("goals", "goal"): ("goal", True),
    ("goals", "level"): ("level", True),
    ("tasks", "province"): ("province", True),
    ("tasks", "task"): ("task", True),
    ("tasks", "level"): ("level", True),
}
DATE_COLUMNS = {("items", "date"), ("totals", "as_of"), ("targets", "deadline"), ("info", "as_of")}


# ---- example rows ------------------------------------------------------------------------------
def example_rows(catalog: Catalog) -> dict[str, dict[str, Any]]:
    """The example row of each table sheet, by column key (first cell 示例, last cell the note)."""
    tech, scale = catalog.metric("tech"), catalog.metric("industry_scale")
    flagship = catalog.flagship[0]
    direction = catalog.direction_by_id[flagship.direction]
    achieved = next(s.name_zh for s in catalog.statuses if s.id == "achieved")
    basically = next(lv.name_zh for lv in catalog.levels if lv.id == "basically")
    in_progress = next(lv.name_zh for lv in catalog.levels if lv.id == "in_progress")
    goal = catalog.qualitative_metrics[0]
    task = catalog.tasks[0]
    return {
        "items": {"metric": tech.name_zh, "name": t("template_example_item_name"), "code": "",
                  "direction": direction.name_zh, "flagship": flagship.name_zh,
                  "lead_unit": t("template_example_item_lead"), "status": achieved,
                  "date": dt.date(2025, 3, 15), "evidence": t("template_example_item_evidence")},
        "totals": {"metric": scale.name_zh, "as_of": dt.date(2025, 12, 31), "value": 1200},
        "targets": {"metric": tech.name_zh, "value": "100项以上", "unit": tech.unit, "deadline": 2026},
        "goals": {"goal": goal.name_zh, "level": basically},
        "tasks": {"task": task_label(task.number, task.name_zh), "level": in_progress},
    }


# ---- prefill: a Dataset back to the words a user writes ------------------------------------------
def _date_text(value: Any, precision: Any) -> Any:
    if value is None or pd.isna(value):
        return None
    d = pd.Timestamp(value).date()
    if precision == "month":
        return f"{d.year}年{d.month}月"
    if precision == "year":
        return f"{d.year}年"
    return d


def _text(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value


def _number(value: Any) -> Any:
    if value is None or pd.isna(value):
        return None
    f = float(value)
    return int(f) if f.is_integer() else f


def prefill_rows(data: Dataset, catalog: Catalog, province: str | None) -> dict[str, list[dict[str, Any]]]:
    """A dataset's rows as template rows (by column key), in the words the template offers."""
    if province:
        data = data.for_province(province)
    lab = catalog.label
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in TABLE_SHEETS}
    for r in data.items.to_dict("records"):
        out["items"].append({
            "province": _text(r["province"]), "metric": _metric_label(catalog, r["metric"], None),
            "name": _text(r["name"]), "code": _text(r["code"]),
            "direction": lab("direction", r["direction"]) if _text(r["direction"]) else None,
            "flagship": lab("flagship", r["flagship"]) if _text(r["flagship"]) else None,
            "lead_unit": _text(r["lead_unit"]),
            "status": lab("status", r["status"]) if _text(r["status"]) else None,
            "date": _date_text(r["date"], r["date_precision"]),
            "evidence": _text(r["evidence"]), "note": _text(r["note"])})
    for r in data.totals.to_dict("records"):
        out["totals"].append({"province": _text(r["province"]), "metric": _metric_label(catalog, r["metric"], None),
                              "as_of": _date_text(r["as_of"], "day"), "value": _number(r["value"]),
                              "note": _text(r["note"])})
    for r in data.targets.to_dict("records"):
        out["targets"].append({"province": _text(r["province"]),
                               "metric": _metric_label(catalog, r["metric"], _text(r["name_zh"])),
                               "value": _text(r["text"]) or _number(r["value"]), "unit": _text(r["unit"]),
                               "deadline": _date_text(r["deadline"], "day"), "note": _text(r["note"])})
    done_goals = {r["goal"]: r for r in data.assessments.to_dict("records")}
    for g in catalog.qualitative_metrics:
        r = done_goals.get(g.id, {})
        out["goals"].append({"province": _text(r.get("province")), "goal": g.name_zh,
                             "level": lab("level", r["level"]) if _text(r.get("level")) else None,
                             "evidence": _text(r.get("evidence"))})
    done_tasks = {int(r["task"]): r for r in data.tasks.to_dict("records") if not pd.isna(r["task"])}
    for tk in catalog.tasks:
        r = done_tasks.get(tk.number, {})
        out["tasks"].append({"province": _text(r.get("province")), "task": task_label(tk.number, tk.name_zh),
                             "level": lab("level", r["level"]) if _text(r.get("level")) else None,
                             "evidence": _text(r.get("evidence"))})
    return out


def _metric_label(catalog: Catalog, metric: Any, written: Any) -> Any:
    metric = _text(metric)
    if metric is None:
        return written
    m = catalog.metric_by_id.get(metric)
    return m.name_zh if m else (written or metric)


def blank_rows(catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """The rows of an empty template: the qualitative goals and key tasks listed, nothing else."""
    return {"items": [], "totals": [], "targets": [],
            "goals": [{"goal": g.name_zh} for g in catalog.qualitative_metrics],
            "tasks": [{"task": task_label(tk.number, tk.name_zh)} for tk in catalog.tasks]}


# ---- rendering -----------------------------------------------------------------------------------
def _display_width(value: Any) -> int:
    import unicodedata

    s = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _column_width(header: str, values: Iterable[Any]) -> float:
    """Wide enough for the header and typical values, never wider than 48 characters."""
    widest = max([_display_width(header) + 4, *(_display_width(v) + 2 for v in values if v not in (None, ""))])
    return float(min(max(widest, 10), 48))


def _write_options(wb: Workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """The hidden 选项 sheet; returns list name -> absolute range for data validation."""
    ws = wb.create_sheet(OPTIONS_SHEET)
    ranges = {}
    for col, (name, values) in enumerate(lists.items(), start=1):
        # Header text matches no column alias of workbook.yaml, so ingest never takes this sheet for data.
        ws.cell(row=1, column=col, value=f"{t('template_options_prefix')}{name}")
        for i, v in enumerate(values, start=2):
            ws.cell(row=i, column=col, value=safe_cell_text(v))
        letter = get_column_letter(col)
        ranges[name] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return ranges


def _add_dropdown(ws: Any, ref: str, cells: str, strict: bool) -> None:
    dv = DataValidation(type="list", formula1=ref, allow_blank=True, showDropDown=False,
                        showErrorMessage=strict, errorStyle="stop" if strict else "warning")
    if strict:
        dv.errorTitle = "请从列表中选择"
        dv.error = "请从下拉列表中选择一个值。Pick a value from the list."
    ws.add_data_validation(dv)
    dv.add(cells)


def _help(sheet: str, column: str) -> str:
    key = f"template_help_{sheet}_{column}"
    zh, en = t(key, "zh"), t(key, "en")
    return "" if zh == key else f"{zh}\n{en}"


def _write_guide(wb: Workbook, catalog: Catalog, lists: dict[str, list[str]], notice: str | None) -> None:
    ws = wb.active
    ws.title = sheet_spec("guide")["name_zh"]
    rows: list[tuple[list[Any], Font | None]] = []
    if notice:
        rows.append(([notice, t("template_sample_notice", "en")], Font(bold=True, color="C00000")))
    rows.append(([t("template_title", "zh"), t("template_title", "en")], TITLE_FONT))
    rows.append(([t("template_policy", "zh", policy=f"{catalog.policy.title_zh}({catalog.policy.number})"),
                  t("template_policy", "en", policy=catalog.policy.title_en)], None))
    rows.append(([t("template_intro", "zh"), t("template_intro", "en")], None))
    rows.append(([t("template_example_rule", "zh"), t("template_example_rule", "en")], None))
    rows.append(([], None))
    rows.append(([t("template_guide_sheet"), t("template_guide_purpose")], HEADER_FONT))
    for sheet in workbook_sheets():
        rows.append(([sheet["name_zh"], t(f"template_purpose_{sheet['key']}", "zh")], None))
    rows.append(([], None))
    rows.append(([t("template_guide_sheet"), t("template_guide_column"), t("template_guide_required"),
                  t("template_guide_help"), t("template_guide_allowed"), t("template_guide_example")], HEADER_FONT))
    examples = example_rows(catalog)
    for sheet in workbook_sheets():
        for col in sheet.get("columns", []):
            key = (sheet["key"], col["key"])
            allowed = "、".join(lists[DROPDOWNS[key][0]]) if key in DROPDOWNS else ""
            example = examples.get(sheet["key"], {}).get(col["key"])
            if isinstance(example, dt.date):
                example = example.isoformat()
            rows.append(([sheet["name_zh"], col["header_zh"], t("template_yes") if col.get("required") else "",
                          t(f"template_help_{sheet['key']}_{col['key']}", "zh"), allowed,
                          "" if example is None else str(example)], None))
    for values, font in rows:
        ws.append([safe_cell_text(v) for v in values])
        if font is not None:
            for cell in ws[ws.max_row]:
                cell.font = font
    for letter, width in zip("ABCDEF", (16, 16, 8, 48, 60, 28)):
        ws.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_col=4, max_col=5):
        for cell in row:
            cell.alignment = wrap


def _write_info(wb: Workbook, info: dict[str, Any], ranges: dict[str, str]) -> None:
    spec = sheet_spec("info")
    ws = wb.create_sheet(spec["name_zh"])
    for i, col in enumerate(spec["columns"], start=1):
        label = ws.cell(row=i, column=1, value=col["header_zh"])
        label.font, label.fill = HEADER_FONT, HEADER_FILL
        help_text = _help("info", col["key"])
        if help_text:
            label.comment = Comment(help_text, "template")
        value = info.get(col["key"])
        cell = ws.cell(row=i, column=2, value=safe_cell_text(value) if value not in ("", None) else None)
        if ("info", col["key"]) in DATE_COLUMNS:
            cell.number_format = DATE_FORMAT
        if ("info", col["key"]) in DROPDOWNS:
            name, strict = DROPDOWNS[("info", col["key"])]
            _add_dropdown(ws, ranges[name], cell.coordinate, strict)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 40


def _write_table(wb: Workbook, key: str, rows: list[dict[str, Any]], example: dict[str, Any],
                 lists: dict[str, list[str]], ranges: dict[str, str]) -> None:
    spec = sheet_spec(key)
    cols = spec["columns"]
    ws = wb.create_sheet(spec["name_zh"])
    for j, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=j, value=col["header_zh"])
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if col.get("required") else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        help_text = _help(key, col["key"])
        if help_text:
            cell.comment = Comment(help_text, "template")
    # The example row: first cell 示例, last cell the note; ingest ignores it (module docstring).
    values = {**example, cols[0]["key"]: EXAMPLE_MARK, cols[-1]["key"]: EXAMPLE_NOTE}
    for j, col in enumerate(cols, start=1):
        v = values.get(col["key"])
        cell = ws.cell(row=2, column=j, value=safe_cell_text(v) if v not in ("", None) else None)
        cell.font, cell.fill = EXAMPLE_FONT, EXAMPLE_FILL
        if isinstance(v, dt.date):
            cell.number_format = DATE_FORMAT
    for i, row in enumerate(rows, start=3):
        for j, col in enumerate(cols, start=1):
            v = row.get(col["key"])
            if v in ("", None):
                continue
            cell = ws.cell(row=i, column=j, value=safe_cell_text(v))
            if isinstance(v, dt.date):
                cell.number_format = DATE_FORMAT
    last = max(VALIDATION_ROWS[key], len(rows) + 2)
    for j, col in enumerate(cols, start=1):
        letter = get_column_letter(j)
        dd = DROPDOWNS.get((key, col["key"]))
        if dd:
            _add_dropdown(ws, ranges[dd[0]], f"{letter}3:{letter}{last}", dd[1])
        shown = [values.get(col["key"]), *(r.get(col["key"]) for r in rows[:200])]
        if dd:
            shown += lists[dd[0]]
        ws.column_dimensions[letter].width = _column_width(col["header_zh"], shown)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}1"


def render_workbook(rows: dict[str, list[dict[str, Any]]], *, info: dict[str, Any] | None = None,
                    catalog: Catalog | None = None, notice: str | None = None) -> bytes:
    """The template with the given rows (by sheet key, each row by column key) as xlsx bytes.

    Values are written as a user would type them; text never becomes a formula. ``notice`` is
    a line shown first in 填报说明 (e.g. the 示例数据 mark of sample files).
    """
    catalog = catalog or load_catalog()
    lists = option_lists(catalog)
    wb = Workbook()
    _write_guide(wb, catalog, lists, notice)
    # 选项 is created before the data sheets so that the ranges exist, then moved to the end.
    ranges = _write_options(wb, lists)
    _write_info(wb, info or {}, ranges)
    examples = example_rows(catalog)
    for key in TABLE_SHEETS:
        _write_table(wb, key, rows.get(key, []), examples[key], lists, ranges)
    options = wb[OPTIONS_SHEET]
    wb.move_sheet(options, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(OPTIONS_SHEET))
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_template(province: str | None = None, *, catalog: Catalog | None = None,
                   prefill: Dataset | None = None) -> bytes:
    """The provincial workbook template as xlsx bytes, optionally for one province and pre-filled
    with that province's last submission.

    Raises ``ValueError`` when ``province`` is not a known region.
    """
    catalog = catalog or load_catalog()
    canonical = None
    if province is not None:
        canonical = catalog.resolve_province(province)
        if canonical is None:
            raise ValueError(t("template_unknown_province", "zh", name=province))
    if prefill is not None:
        if canonical is None and len(prefill.provinces()) == 1:
            canonical = prefill.provinces()[0]
        rows = prefill_rows(prefill, catalog, canonical)
    else:
        rows = blank_rows(catalog)
    info = {"province": canonical} if canonical else {}
    if prefill is not None and canonical:
        contact = next((s for s in prefill.sources if s.get("province") == canonical), {})
        for key in ("reporter", "contact", "phone"):
            if contact.get(key):
                info[key] = contact[key]
    return render_workbook(rows, info=info, catalog=catalog)
