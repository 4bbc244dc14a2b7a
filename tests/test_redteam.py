"""Red-team tests (issue 18): hostile input must not subvert the store, the exports or the pages.

Each test feeds one kind of hostile input and asserts what comes out: the restored tables, the
cell types of every exported workbook, the text of downloads and messages.
"""
from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from metrics.auth import Accounts
from metrics.schema import metadata
from metrics.store import Store
from tests.store_fixtures import content_of, db_url, make_result  # noqa: F401 - db_url is a fixture

sys.path.insert(0, str(Path(__file__).parent))
from report_case import hand_progress  # noqa: E402

FORMULA_PAYLOADS = ['=HYPERLINK("http://evil.example/","click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3",
                    "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


# ---- restore with accounts ------------------------------------------------------------------
def _table_rows(store: Store) -> dict[str, list[dict]]:
    """Every table's rows, without surrogate ids (a restore may number accounts afresh), in a stable order."""
    out = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            cols = [c for c in table.columns if c.name != "id" or table.name != "users"]
            rows = [dict(r._mapping) for r in conn.execute(sa.select(*cols))]
            for r in rows:
                for k, v in r.items():
                    if isinstance(v, dt.datetime) and v.tzinfo is None:
                        r[k] = v.replace(tzinfo=dt.timezone.utc)  # SQLite hands back naive UTC
            out[table.name] = sorted(rows, key=repr)
    return out


def test_restore_of_a_backup_with_accounts_round_trips_every_table(db_url, tmp_path):
    store = Store(db_url)
    accounts = Accounts(store)
    accounts.add("admin1", "Correct-Horse-9", "admin", actor="setup")
    accounts.add("gd_editor", "Battery-Staple-7", "editor", "广东省", display_name="张三", actor="admin1")
    accounts.verify("gd_editor", "wrong-password-1")  # a failed attempt is part of the account's state
    result = make_result("广东省", names=["甲", "乙"])
    store.save_submission(result, content_of(result), result.file, uploader="gd_editor")
    path = tmp_path / "backup.zip"
    store.export_backup(path)

    restored = Store(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    restored.import_backup(path, actor="admin1")
    before, after = _table_rows(store), _table_rows(restored)
    assert {u["username"] for u in after["users"]} == {"admin1", "gd_editor"}
    assert after["users"] == before["users"]
    # the restore itself is one more audit entry; everything else is the same
    restored_audit = [a for a in after["audit_log"] if a["action"] != "import_backup"]
    strip = [{k: v for k, v in a.items() if k != "id"} for a in before["audit_log"]]
    assert sorted(({k: v for k, v in a.items() if k != "id"} for a in restored_audit), key=repr) == sorted(strip, key=repr)
    for name in before:
        if name not in ("users", "audit_log", "alembic_version"):
            assert after[name] == before[name], name
    # and the restored accounts still sign in
    assert Accounts(restored).verify("admin1", "Correct-Horse-9").ok


# ---- formula injection in the Excel report --------------------------------------------------
def _formula_cells(xlsx: bytes) -> list[tuple[str, str, object]]:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    return [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_a_formula_named_custom_metric_is_text_in_every_sheet_of_the_excel_report(payload):
    from metrics.report import render
    from metrics.report.content import build_report

    data, progress = hand_progress()
    content = build_report(progress, data, scope="national", lang="zh")
    # as a custom metric from a province's 目标设定 sheet reaches the summary: name, unit, target text, clause
    for col in ("name", "unit", "target_text", "clause"):
        content.targets[col] = payload
    xlsx = render(content, "xlsx")
    assert _formula_cells(xlsx) == []
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    # the payload survives as text (openpyxl reads a CR back as written, the name column holds it once per target)
    assert sum(t == payload for t in texts) >= len(content.targets)
