"""How the report page names what it offers: format labels and the downloaded file's name."""
from __future__ import annotations

import datetime as dt

REPORT_LABELS = {"xlsx": "Excel", "docx": "Word", "pdf": "PDF", "html": "HTML"}


def report_filename(scope: str, as_of: dt.date, lang: str, fmt: str) -> str:
    """未来产业目标进展报告_全国_2025-06-30.pdf / future-industries-status_national_2025-06-30_en.pdf."""
    if lang == "en":
        return f"future-industries-status_{scope}_{as_of.isoformat()}_en.{fmt}"
    where = "全国" if scope == "national" else scope
    return f"未来产业目标进展报告_{where}_{as_of.isoformat()}.{fmt}"
