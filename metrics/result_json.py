"""The JSON object of ``python -m metrics validate --json`` (and of ``import --json``): a contract
documented in docs/, so its keys and their shapes change only together with the docs.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .model import IngestResult


def result_records(result: IngestResult, lang: str = "zh") -> dict[str, Any]:
    """The JSON object of ``python -m metrics validate --json``."""
    items = result.items.copy()
    items["date"] = items["date"].dt.strftime("%Y-%m-%d")
    records = [{k: (None if (v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v))) else v)
                for k, v in r.items()} for r in items.astype(object).to_dict("records")]
    return {
        "file": result.file,
        "readable": result.readable,
        "province": result.province,
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "items": len(records),  # the count of valid item rows, as first specified; the rows: item_rows
        "rows": result.row_counts.to_dict(),
        "errors": [{"sheet": p.sheet, "row": p.row, "column": p.column, "header": p.header, "value": p.value,
                    "code": p.code, "severity": p.severity,
                    "message": p.message_en if lang == "en" else p.message} for p in result.problems],
        "item_rows": records,
        # No as-of date in the file (基本信息, title rows, file name): the caller must ask for one,
        # never stamp the upload day silently.
        "as_of_missing": result.as_of_missing,
        # The workbook's shape and the mapping profile it was read with (issue 12).
        "shape_signature": result.shape_signature,
        "mapping_profile": result.mapping_profile,
        "unmapped_columns": result.unmapped,
    }
