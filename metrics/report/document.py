"""The report as one HTML document (Jinja2, autoescaped): the interactive HTML file and the PDF's source."""
from __future__ import annotations

import re

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .content import APPENDIX_LIMIT, ReportContent, TextTable, document_tables, meta_lines

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Figure:
    body: Markup      # a plotly <div> or an <img>, built by our code, never from user text
    caption: str = ""


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Autoescape every template: uploaded names and evidence are shown as text, never as markup.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True,
                                                                                      default_for_string=True))


def css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string (page header and footer)."""
    return (text.replace("\\", "\\5C ").replace('"', "\\22 ").replace("\n", " ").replace("<", "\\3C ")
            .replace(">", "\\3E "))


def _display_width(text: str) -> float:
    """Columns a text takes: CJK characters two, digits and Latin letters a little over one."""
    return sum(2 if ord(ch) >= 0x2E80 else 1.4 for ch in str(text))


_LATIN_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f'’-]+")


def colgroup(head: list[str], body: list[list[str]]) -> Markup:
    """Column widths in per cent from the texts (the longest of the first rows, capped), for tables the
    PDF lays out with ``table-layout: fixed``.

    WeasyPrint's automatic table layout measures every cell's content twice (minimum and maximum
    width) before laying it out: that was a third of the PDF's layout time. Widths from the texts
    keep long names wide and numbers narrow without the measuring.
    """
    if not head:
        return Markup("")
    widths = []
    for j, h in enumerate(head):
        cells = [_display_width(r[j]) for r in body[:60] if j < len(r)]
        # Short texts (numbers, dates, statuses: kept on one line) get their full width; long ones
        # (names, evidence) are capped and wrap; a header may wrap over two lines.
        # A header wraps only between words: its longest word ("Achieved", "progress") must fit whole,
        # or it runs into the next column (seen in the English PDF's goals table).
        # (Chinese may wrap between any two characters, so only runs of Latin letters count as words.)
        header = max(_display_width(h) / 2, *(_display_width(w) for w in _LATIN_WORD.findall(str(h))), 0)
        widths.append(min(max(header, *cells, 4), 30) + 4)  # + the cell's padding
    total = sum(widths)
    return Markup("<colgroup>" + "".join(f'<col style="width: {w / total * 100:.1f}%">' for w in widths)
                  + "</colgroup>")


def render_document(content: ReportContent, figures: list[Figure], mode: str, **extra: Any) -> str:
    """The report as an HTML document; ``mode`` is "html" (screen) or "pdf" (print, A4)."""
    env = environment()
    table_tpl = env.get_template("table.html.j2")
    none_text = content.text("report_none")

    def more_text(n: int) -> str:
        return content.text("report_appendix_more", n=n)

    def table(tb: TextTable, hash_col: int = -1) -> Markup:
        return Markup(table_tpl.render(tb=tb, hash_col=hash_col, more_text=more_text, none_text=none_text,
                                       colgroup=colgroup))

    from .leader import FINDING_HEADINGS, paragraphs
    from .style import css, report_style

    before, _, after = content.text("report_page", page="\x00").partition("\x00")
    return env.get_template("report.html.j2").render(
        style_css=Markup(css(report_style(content.style))), finding_headings=FINDING_HEADINGS, paragraphs=paragraphs,
        c=content, mode=mode, meta=meta_lines(content), tables=document_tables(content, APPENDIX_LIMIT),
        figures=figures, table=table, colgroup=colgroup, limit_note=content.text("report_appendix_limit_note", limit=APPENDIX_LIMIT),
        page_before=Markup(css_string(before)), page_after=Markup(css_string(after)),
        page_title=Markup(css_string(content.title)), **extra)
