"""Status reports: one content builder (``content.build_report``) rendered to Excel, Word, PDF or HTML."""
from __future__ import annotations

from typing import Callable

from .content import ReportContent, build_report

FORMATS = ("xlsx", "docx", "pdf", "html")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def renderer(fmt: str) -> Callable[[ReportContent], bytes]:
    """The function that renders a report in ``fmt`` (imported only when used)."""
    if fmt == "xlsx":
        from .xlsx import render_xlsx as fn
    elif fmt == "docx":
        from .docx import render_docx as fn
    elif fmt == "pdf":
        from .pdf import render_pdf as fn
    elif fmt == "html":
        from .html import render_html as fn
    else:
        raise ValueError(f"unknown report format '{fmt}'; choose one of {', '.join(FORMATS)}")
    return fn


def render(content: ReportContent, fmt: str) -> bytes:
    """The report in one format (xlsx, docx, pdf, html) as bytes."""
    return renderer(fmt)(content)


__all__ = ["FORMATS", "MEDIA_TYPES", "ReportContent", "build_report", "render", "renderer"]
