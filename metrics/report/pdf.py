"""The report as an A4 PDF: the HTML document laid out by WeasyPrint, charts as PNG images.

WeasyPrint finds "Noto Sans CJK SC" through fontconfig (Debian's fonts-noto-cjk) and embeds the
glyphs it uses, so Chinese text prints and extracts on any machine.
"""
from __future__ import annotations

from markupsafe import Markup

from ..presentation import unreviewed_mark
from .content import ReportContent
from .document import Figure, render_document
from .images import report_images


SCHEME = "report-image:"


def figures(content: ReportContent, pngs: dict[str, bytes] | None = None) -> list[Figure]:
    """The charts as <img> elements; the PNG bytes go to ``pngs`` under the short URL each refers to.

    The images are handed to WeasyPrint by its URL fetcher rather than inlined as base64 data URLs:
    WeasyPrint's HTML parser is pure Python and read a megabyte or two of base64 character by
    character, then decoded it again.
    """
    pngs = {} if pngs is None else pngs
    out = []
    for i, (spec, png) in enumerate(report_images(content)):
        src = f"{SCHEME}{i}.png"
        pngs[src] = png
        alt = " · ".join(s.title for s in spec) if isinstance(spec, list) else spec.title
        # 含未审核数据 under every chart when the figures include unreviewed submissions
        out.append(Figure(Markup('<img src="{}" alt="{}">').format(src, alt),
                          unreviewed_mark("", content.unreviewed, content.lang)))
    return out


def render_pdf(content: ReportContent) -> bytes:
    """The PDF report as bytes."""
    from weasyprint import HTML

    pngs: dict[str, bytes] = {}
    html = render_document(content, figures(content, pngs), "pdf")

    return HTML(string=html, url_fetcher=_fetcher(pngs)).write_pdf()


def _fetcher(pngs: dict[str, bytes]):  # noqa: ANN202 - WeasyPrint's fetcher protocol
    """WeasyPrint's URL fetcher for the report's own charts only: a report never loads anything from a
    file or the network (any other URL is refused)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):
        def fetch(self, url, headers=None):  # noqa: ANN001, ANN201 - WeasyPrint's signature
            if url in pngs:
                return URLFetcherResponse(url, pngs[url], {"Content-Type": "image/png"})
            raise ValueError(f"the report fetches no other resource: {url[:80]}")

    return ChartFetcher()
