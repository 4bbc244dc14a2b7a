"""What changes between two sets of rows (two submissions, or the store and an upload), as tables."""
from __future__ import annotations

from typing import Any

import pandas as pd

# Row tables of a submission, in the order the diff is shown; the name column of each, if any.
DIFF_TABLES = ("items", "totals", "targets", "assessments", "tasks")
_NAME_FIELD = {"items": "name", "totals": "as_of", "targets": "deadline", "assessments": "goal", "tasks": "task"}


def diff_rows(diff: dict[str, Any]) -> pd.DataFrame:
    """The rows of a diff (``store.diff`` or ``store.frame_diff`` per table) as one table.

    Columns: change (added|removed|changed), table, province, metric, name, fields (changed fields).
    """
    cols = ["change", "table", "province", "metric", "name", "fields"]
    out = []
    for table in DIFF_TABLES:
        d = diff.get(table) or {}
        for change in ("added", "removed", "changed"):
            for r in d.get(change, []):
                name = r.get(_NAME_FIELD[table])
                out.append({"change": change, "table": table, "province": r.get("province") or "",
                            "metric": r.get("metric") or "", "name": "" if name is None else str(name),
                            "fields": ", ".join(sorted(r.get("changes", {}))) if change == "changed" else ""})
    return pd.DataFrame(out, columns=cols)


def diff_counts(diff: dict[str, Any]) -> pd.DataFrame:
    """Rows added, removed and changed per table of a diff (tables with no change left out)."""
    rows = []
    for table in DIFF_TABLES:
        d = diff.get(table) or {}
        n = {c: len(d.get(c, [])) for c in ("added", "removed", "changed")}
        if any(n.values()):
            rows.append({"table": table, **n})
    return pd.DataFrame(rows, columns=["table", "added", "removed", "changed"])


def upload_diff(current: Any, result: Any) -> dict[str, Any]:
    """What storing an ingested file would change: per table, rows added, removed and changed
    against the current rows of the provinces the file covers (``current`` is a ``Dataset``)."""
    from metrics.store import frame_diff

    provinces = result.provinces()
    out: dict[str, Any] = {}
    for kind in DIFF_TABLES:
        new = getattr(result, kind)
        if len(new) and result.province:
            new = new.assign(province=new["province"].astype("string").fillna(result.province)
                             .replace("", result.province))
        old = getattr(current, kind)
        old = old[old["province"].isin(provinces)]
        out[kind] = frame_diff(old, new, kind)
    return out
