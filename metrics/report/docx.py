"""The report as a Word document (python-docx) in the style of an official work report.

Chinese text needs the East Asian font set explicitly (``w:eastAsia``) on the styles and on every
run, or Word falls back to the theme font; page numbers are a PAGE field in the footer.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .content import APPENDIX_LIMIT, ReportContent, TextTable, document_tables, meta_lines
from .images import report_images

BODY_FONT = "Noto Sans CJK SC"
LATIN_FONT = "Arial"


def _east_asian(rpr_owner, font: str) -> None:
    """Set the East Asian font of a style's or a run's properties."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def _run(paragraph, text: str, *, bold: bool = False, size: float | None = None, color: str | None = None):
    run = paragraph.add_run(text)
    run.font.name = LATIN_FONT
    _east_asian(run._element, BODY_FONT)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def _setup_styles(doc) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        style = doc.styles[name]
        style.font.name = LATIN_FONT
        _east_asian(style.element, BODY_FONT)
        if name.startswith("Heading") or name == "Title":
            style.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.styles["Heading 1"].font.size = Pt(15)
    doc.styles["Heading 2"].font.size = Pt(12.5)


def _page_number_footer(section, content: ReportContent) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, after = content.text("report_page", page="\x00").partition("\x00")
    _run(p, before, size=9)
    run = _run(p, "", size=9)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _run(p, after, size=9)


def _shade(cell, colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.lstrip("#"))
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _table(doc, tb: TextTable, content: ReportContent, *, status_col: int | None = None,
           widths: list[float] | None = None) -> None:
    if not tb.body:
        _run(doc.add_paragraph(), content.text("report_none"))
        return
    table = doc.add_table(rows=1, cols=len(tb.head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, h in zip(table.rows[0].cells, tb.head):
        _shade(cell, "E8EEF4")
        _run(cell.paragraphs[0], h, bold=True, size=9)
    _repeat_header(table.rows[0])
    for i, row in enumerate(tb.body):
        cells = table.add_row().cells
        for j, (cell, v) in enumerate(zip(cells, row)):
            colour = tb.colors[i] if status_col is not None and j == status_col and tb.colors else None
            _run(cell.paragraphs[0], v, size=9, bold=bool(colour), color="FFFFFF" if colour else None)
            if colour:
                _shade(cell, colour)
    if widths:
        for row in table.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = Cm(w)
    if tb.more:
        _run(doc.add_paragraph(), content.text("report_appendix_more", n=tb.more), size=9, color="555555")


def render_docx(content: ReportContent) -> bytes:
    """The Word report as bytes."""
    doc = Document()
    _setup_styles(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    _page_number_footer(section, content)

    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, content.title, bold=True, size=18)
    for k, v in meta_lines(content):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, f"{k}:", color="555555", size=9.5)
        _run(p, v, size=9.5)

    tables = document_tables(content, APPENDIX_LIMIT)
    doc.add_heading(level=1).add_run(content.text("report_section_summary"))
    for para in content.summary:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(21)
        _run(p, para)

    doc.add_heading(level=1).add_run(content.text("report_section_targets"))
    _table(doc, tables["targets"], content, status_col=len(tables["targets"].head) - 1,
           widths=[3.6, 1.8, 2.4, 1.8, 1.6, 1.6, 1.6, 1.8])

    doc.add_heading(level=1).add_run(content.text("report_section_charts"))
    for spec, png in report_images(content):
        doc.add_picture(io.BytesIO(png), width=Cm(16.5))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading(level=1).add_run(content.text("report_section_goals"))
    for key in ("goals", "tasks", "assessments"):
        doc.add_heading(level=2).add_run(tables[key].caption)
        _table(doc, tables[key], content)

    doc.add_heading(level=1).add_run(content.text("report_section_appendix"))
    _run(doc.add_paragraph(), content.text("report_appendix_limit_note", limit=APPENDIX_LIMIT), size=9, color="555555")
    doc.add_heading(level=2).add_run(content.text("report_section_sources"))
    _table(doc, tables["sources"], content)
    doc.add_heading(level=2).add_run(content.text("report_section_items"))
    for tb in tables["items"].values():
        doc.add_heading(level=3).add_run(tb.caption)
        _table(doc, tb, content)
    for key in ("shared", "problems"):
        doc.add_heading(level=2).add_run(tables[key].caption)
        _table(doc, tables[key], content)

    # python-docx adds runs to headings without the East Asian font: set it on every run of the body.
    for p in doc.paragraphs:
        for r in p.runs:
            _east_asian(r._element, BODY_FONT)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
