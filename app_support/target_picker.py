"""The target picker of 目标差距: the targets of one scope, their labels, the one picked first."""
from __future__ import annotations

from typing import Any

import pandas as pd

from metrics.presentation import finite_number, metric_name


def target_choices(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """The targets (metric × deadline) of one scope's progress rows, as records in their order."""
    return rows.to_dict("records")


def first_numeric_target(choices: list[dict[str, Any]]) -> int:
    """The position of the first target with a number (the policy's 一批 has none), else 0."""
    return next((i for i, r in enumerate(choices) if finite_number(r.get("target")) is not None), 0)


def target_choice_label(row: dict[str, Any], lang: str = "zh") -> str:
    """"name (deadline year)" for a target picker."""
    name = metric_name(row, lang)
    year = pd.Timestamp(row["deadline"]).year if not pd.isna(row.get("deadline")) else ""
    return f"{name} ({year})" if year else str(name)
