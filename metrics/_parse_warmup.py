"""Imported only by the parse pool's forkserver (``metrics.parse_pool``): reads two tiny files once,
so that every worker forked from it starts with the catalog, the problem texts, the workbook
definition and the readers already loaded, instead of loading them again for every upload."""
from __future__ import annotations

import io


def _warm() -> None:
    import openpyxl

    from .ingest import read_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "成果清单"
    ws.append(["省份", "指标", "名称", "状态", "完成日期"])
    ws.append(["江苏省", "前沿关键核心技术", "预热", "已完成", "2025-01-01"])
    buf = io.BytesIO()
    wb.save(buf)
    read_file(buf.getvalue(), "warmup.xlsx")
    read_file("省份,指标,名称\n江苏省,前沿关键核心技术,预热\n".encode("utf-8"), "warmup.csv")


try:
    _warm()
except Exception:  # noqa: BLE001 - a failed warm-up only costs speed; each worker loads what it needs
    pass
