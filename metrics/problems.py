"""The problem records of ingest and validation: codes, severities and texts (``metrics/data/problems.yaml``).

A problem keeps its code and parameters; its statement and its fix are each rendered from the code's
templates in either language, so no reader has to cut a rendered message apart.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .datafiles import parse_yaml
from .errors import Blank, Text, join, rendered
from .model import Problem
from .values import cell_text

PROBLEMS_FILE = Path(__file__).parent / "data" / "problems.yaml"


@lru_cache(maxsize=1)
def problem_specs() -> dict[str, dict[str, str]]:
    """Every problem code: severity, message_zh, message_en, fix_zh, fix_en (where there is a fix), description."""
    return parse_yaml(PROBLEMS_FILE.read_text(encoding="utf-8"))


def render_part(problem: Problem, part: str, lang: str) -> str:
    """The ``part`` ("message": the statement alone, or "fix") of ``problem`` in ``lang``, from its code's template."""
    params = problem.params or {}
    vals = Blank(sheet=problem.sheet or "", row=problem.row or "", column=problem.column or "",
                  header=problem.header or "", value=problem.value if problem.value is not None else "",
                  header_en=params.get("header_en") or problem.header or "")
    vals.update({k: v for k, v in rendered(params, lang).items() if k != "header_en"})
    return problem_specs()[problem.code].get(f"{part}_{lang}", "").format_map(vals)


def date_param(d: Any) -> Text:
    """A date parameter of a problem, worded in the reader's language as every page words dates
    (2025年9月30日 / 30 September 2025, ``presentation.fmt_date``), and stored with its problem."""
    from .presentation import fmt_date

    return Text("problems_date", (("date", {"zh": fmt_date(d, "zh"), "en": fmt_date(d, "en")}),))


def make_problem(code: str, *, sheet: str | None = None, row: int | None = None, column: str | None = None,
                 header: str | None = None, value: Any = None, **params: Any) -> Problem:
    """A problem record of ``code`` with its parameters, and its messages in Chinese and English."""
    spec = problem_specs()[code]
    shown = cell_text(value) if value is not None else None
    problem = Problem(code=code, severity=spec["severity"], message="", sheet=sheet, row=row, column=column,
                      header=header, value=shown, params=params)
    # The stored texts, for readers of the record (CLI JSON, history): the statement, then the fix.
    statement, statement_en = render_part(problem, "message", "zh"), render_part(problem, "message", "en")
    problem.fix, problem.fix_en = render_part(problem, "fix", "zh"), render_part(problem, "fix", "en")
    problem.message = join(statement, problem.fix, "zh")
    problem.message_en = join(statement_en, problem.fix_en, "en")
    return problem


__all__ = ["PROBLEMS_FILE", "date_param", "make_problem", "problem_specs", "render_part"]
