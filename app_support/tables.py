"""Long tables in pages: the first rows on screen, the full list as a download (issue 17: at 10x the gaps
page sent 2.8 MB per view, almost all of it one 10,455-row table)."""
from __future__ import annotations

from metrics.xlsx_safe import csv_bytes  # the one neutralised CSV export (re-exported for the pages)

__all__ = ["FIRST_ROWS", "csv_bytes"]

FIRST_ROWS = 200
