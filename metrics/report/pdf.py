"""The report as an A4 PDF: the HTML document laid out by WeasyPrint, charts as PNG images.

WeasyPrint finds "Noto Sans CJK SC" through fontconfig (Debian's fonts-noto-cjk) and embeds the
glyphs it uses, so Chinese text prints and extracts on any machine.
"""
from __future__ import annotations

import base64

from markupsafe import Markup

from ..presentation import unreviewed_mark
from .content import ReportContent
from .document import Figure, render_document
from .images import report_images


def figures(content: ReportContent) -> list[Figure]:
    out = []
    for spec, png in report_images(content):
        src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        alt = " · ".join(s.title for s in spec) if isinstance(spec, list) else spec.title
        # 含未审核数据 under every chart when the figures include unreviewed submissions
        out.append(Figure(Markup('<img src="{}" alt="{}">').format(src, alt),
                          unreviewed_mark("", content.unreviewed, content.lang)))
    return out


def render_pdf(content: ReportContent) -> bytes:
    """The PDF report as bytes."""
    from weasyprint import HTML

    html = render_document(content, figures(content), "pdf")
    return HTML(string=html).write_pdf()
