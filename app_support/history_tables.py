"""The history page's tables: stored submissions, the audit log, and which two submissions to compare."""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from metrics.presentation import minute_text


def history_table(history: list[dict[str, Any]]) -> pd.DataFrame:
    """Stored submissions, newest first: id, province, as_of, uploaded_at, uploader, filename, state, sample."""
    cols = ["id", "province", "as_of", "uploaded_at", "uploader", "filename", "state", "sample", "sha256"]
    df = pd.DataFrame(history or [], columns=cols)
    if df.empty:
        return df
    df["sha256"] = df["sha256"].astype(str).str[:12]
    df["uploaded_at"] = df["uploaded_at"].map(minute_text)
    return df.sort_values(["uploaded_at", "id"], ascending=False, kind="stable").reset_index(drop=True)


def audit_table(audit: list[dict[str, Any]]) -> pd.DataFrame:
    """The audit log as a table: at, actor, action, submission_id, province, sha256 (first 12 hex digits)."""
    cols = ["at", "actor", "action", "submission_id", "province", "sha256"]
    df = pd.DataFrame(audit or [], columns=[*cols, "detail"])[cols]
    if len(df):
        df["sha256"] = df["sha256"].fillna("").astype(str).str[:12]
        df["at"] = df["at"].map(minute_text)
        df["submission_id"] = df["submission_id"].astype("Int64")
    return df


def latest_pairs(history: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(previous, current) submission of every province that has both, newest upload first.

    The previous one is the latest earlier submission that is not deleted.
    """
    by_province: dict[str, list[dict[str, Any]]] = {}
    for h in history or []:
        if h.get("state") != "deleted":
            by_province.setdefault(str(h.get("province")), []).append(h)
    pairs = []
    for subs in by_province.values():
        subs = sorted(subs, key=lambda h: (str(h.get("uploaded_at")), h.get("id")))
        current = [i for i, h in enumerate(subs) if h.get("state") == "current"]
        if current and current[-1] > 0:
            i = current[-1]
            pairs.append((subs[i - 1], subs[i]))
    return sorted(pairs, key=lambda p: (str(p[1].get("uploaded_at")), p[1].get("id")), reverse=True)


def latest_two(history: list[dict[str, Any]], province: str) -> tuple[int, int] | None:
    """(older, newer) ids of the two latest submissions of ``province``, by upload time: the default pair
    of 比较两次报送. Deleted ones count only when fewer than two others exist; None with fewer than two."""
    mine = [h for h in history or [] if str(h.get("province")) == province]
    kept = [h for h in mine if h.get("state") != "deleted"]
    pool = sorted(kept if len(kept) >= 2 else mine, key=lambda h: (str(h.get("uploaded_at")), h.get("id")))
    return (pool[-2]["id"], pool[-1]["id"]) if len(pool) >= 2 else None


def diff_provinces(history: list[dict[str, Any]]) -> list[str]:
    """Provinces with two or more submissions (so two can be compared), the latest upload's first."""
    newest = sorted(history or [], key=lambda h: (str(h.get("uploaded_at")), h.get("id")), reverse=True)
    counts: dict[str, int] = {}
    for h in newest:
        counts[str(h.get("province"))] = counts.get(str(h.get("province")), 0) + 1
    return [p for p in dict.fromkeys(str(h.get("province")) for h in newest) if counts[p] >= 2]


def short_hash(sha256: Any) -> str:
    """The first 12 hex digits of a file's SHA-256 (enough to tell two files apart at a glance)."""
    return "" if sha256 is None or (isinstance(sha256, float) and math.isnan(sha256)) else str(sha256)[:12]
