"""Goals and tasks (目标与任务): a goal's label and each province's self-assessed level and evidence."""
from __future__ import annotations

from typing import Any

import pandas as pd


def goal_label(catalog: Any, goal: str, lang: str = "zh") -> str:
    """"2025 · name" of a qualitative goal (its deadline year first, so 2025 and 2027 goals sort apart)."""
    m = catalog.metric(goal)
    year = m.targets[0].deadline.year if m.targets else ""
    return f"{year} · {m.name(lang)}" if year else m.name(lang)


def evidence_table(frame: pd.DataFrame, column: str, key: Any, catalog: Any, lang: str = "zh") -> pd.DataFrame:
    """Each province's self-assessed level and evidence for one goal (column ``goal``) or task (``task``),
    best level first, then catalog order of the regions."""
    cols = ["province", "level", "evidence"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    sel = frame[frame[column].astype(str) == str(key)]
    if sel.empty:
        return pd.DataFrame(columns=cols)
    level_rank = {lv.id: i for i, lv in enumerate(catalog.levels)}
    region_rank = {r.name: i for i, r in enumerate(catalog.regions)}
    sel = sel.assign(_l=sel["level"].map(level_rank).fillna(99), _r=sel["province"].map(region_rank).fillna(999))
    sel = sel.sort_values(["_l", "_r"], kind="stable")
    return pd.DataFrame({
        "province": [catalog.label("province", p, lang) for p in sel["province"]],
        "level": [catalog.label("level", lv, lang) if isinstance(lv, str) else "" for lv in sel["level"]],
        "evidence": sel["evidence"].fillna("").astype(str).tolist(),
    })
