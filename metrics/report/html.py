"""The report as one self-contained HTML file: interactive plotly charts, plotly.js inline (no CDN)."""
from __future__ import annotations

from markupsafe import Markup
from plotly.offline import get_plotlyjs

from .. import chart_style, charts
from ..markup import safe_figure
from ..presentation import unreviewed_mark
from .content import ReportContent
from .document import Figure, render_document


def figures(content: ReportContent) -> list[Figure]:
    """Every chart of the report as a plotly <div> (plotly.js is included once, in the head)."""
    out = []
    for spec in content.charts:
        fig = getattr(charts, spec.kind)(content.progress, **spec.kwargs, lang=content.lang, catalog=content.catalog)
        # plotly serialises the figure as JSON with "<" and "/" escaped, so no label can end the script.
        # safe_figure: a unit or name "<a href=…>" from a workbook stays text, not a live chart link
        fig = chart_style.mark_unreviewed(safe_figure(fig), content.unreviewed, content.lang)  # 含未审核数据
        body = Markup(fig.to_html(full_html=False, include_plotlyjs=False,
                                  config={"displaylogo": False, "responsive": True}))
        out.append(Figure(body, unreviewed_mark("", content.unreviewed, content.lang)))
    return out


def render_html(content: ReportContent) -> bytes:
    """The HTML report as UTF-8 bytes."""
    html = render_document(content, figures(content), "html", plotlyjs=Markup(get_plotlyjs()))
    return html.encode("utf-8")
