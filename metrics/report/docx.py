"""The report as a Word document (python-docx) in the official document format (GB/T 9704-2012) or a briefing.

Page, grid and type come from report_styles.yaml (``style.report_style``), which the PDF also reads.

Chinese text needs the East Asian font set explicitly (``w:eastAsia``) on the styles and on every
run, or Word falls back to the theme font; page numbers are a PAGE field in the footer.
"""
from __future__ import annotations

import io
from copy import deepcopy
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from ..presentation import unreviewed_mark
from .content import APPENDIX_LIMIT, ReportContent, TextTable, document_tables, meta_lines
from .images import report_images
from .leader import FINDING_HEADINGS, paragraphs as _paragraphs
from .style import ReportStyle, page_number_parts, report_style

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
# The Word style each role of report_styles.yaml is written into.
ROLE_STYLES = {"body": "Normal", "title": "Title", "heading1": "Heading 1", "heading2": "Heading 2",
               "heading3": "Heading 3", "caption": "Caption"}


def _set_fonts(rpr_owner, east_asian: str, latin: str) -> None:
    """Set the East Asian and Latin fonts of a style's or a run's properties.

    The default template names theme fonts (``w:asciiTheme`` …), which win over explicit names:
    they are removed so that the named office fonts apply.
    """
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    fonts.set(qn("w:eastAsia"), east_asian)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), latin)


class _Writer:
    """Runs and paragraphs in the roles of one report style."""

    def __init__(self, doc, style: ReportStyle):
        self.doc, self.style = doc, style

    def run(self, paragraph, text: str, role: str = "body", *, bold: bool | None = None,
            color: str | None = None, size: float | None = None):
        r = self.style.role(role)
        run = paragraph.add_run(text)
        _set_fonts(run._element, r.font, self.style.latin)
        run.font.size = Pt(size or r.size_pt)
        run.bold = (r.bold if bold is None else bold) or None
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
        return run

    def para(self, text: str, role: str = "body", **kw):
        word_style = ROLE_STYLES.get(role)
        p = self.doc.add_paragraph(style=word_style) if word_style else self.doc.add_paragraph()
        r = self.style.role(role)
        if r.align in ALIGN:
            p.alignment = ALIGN[r.align]
        if r.indent_chars:
            p.paragraph_format.first_line_indent = Pt(r.indent_chars * r.size_pt)
        if text:
            self.run(p, text, role, **kw)
        return p


def _setup_styles(doc, style: ReportStyle) -> None:
    """Word styles from the style definition: fonts on the East Asian slot, sizes, black headings, line pitch."""
    pitch = Pt(style.line_pitch_pt)
    for role, name in ROLE_STYLES.items():
        r = style.role(role)
        st = doc.styles[name]
        _set_fonts(st.element, r.font, style.latin)
        st.font.size = Pt(r.size_pt)
        st.font.bold = r.bold
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        pf = st.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        if role != "caption":
            # Body and headings sit on the 版心 grid: exactly `lines` lines of text per page.
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = pitch
        if role == "title":
            # The Title style of the template draws a rule under the title; an official title has none.
            ppr = st.element.get_or_add_pPr()
            for el in ppr.findall(qn("w:pBdr")):
                ppr.remove(el)
            pf.line_spacing = Pt(max(style.line_pitch_pt, r.size_pt * 1.3))


def _doc_grid(section, doc, style: ReportStyle) -> None:
    """The 版心 grid: ``lines`` lines a page (line pitch in twentieths of a point) and ``chars`` characters a line.

    The character count is kept by condensing the body text (w:spacing, twentieths of a point) rather than
    by Word's character grid: LibreOffice and WPS space a character grid differently, Word and they all honour
    character spacing the same way.
    """
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(style.line_pitch_pt * 20)))
    for attr in (qn("w:charSpace"),):
        if attr in grid.attrib:
            del grid.attrib[attr]
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.append(spacing)
    spacing.set(qn("w:val"), str(body_spacing_twips(style)))


def body_spacing_twips(style: ReportStyle) -> int:
    """Character spacing of the body so that ``chars`` characters fill the type area's width."""
    return int((style.char_pitch_pt - style.role("body").size_pt) * 20 // 1)


def _page_field(w: _Writer, p) -> None:
    before, after = page_number_parts(w.style)
    w.run(p, before, "page_number")
    run = w.run(p, "", "page_number")
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    w.run(p, after, "page_number")


def _page_numbers(doc, section, w: _Writer) -> None:
    """"— 1 —" at the outside edge (odd pages right, even pages left), one character in, below the 版心."""
    st = w.style
    size_mm = st.role("page_number").size_pt * 25.4 / 72
    section.footer_distance = Mm(max(st.bottom_mm - st.page_number_below_mm - size_mm * 1.2, 5))
    inset = Pt(st.page_number_inset_chars * st.char_pitch_pt)
    if st.page_number_position == "outside":
        doc.settings.odd_and_even_pages_header_footer = True
        footers = [(section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)]
    else:
        footers = [(section.footer, WD_ALIGN_PARAGRAPH.CENTER)]
    for footer, align in footers:
        p = footer.paragraphs[0]
        p.alignment = align
        p.paragraph_format.line_spacing = 1.0
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = inset
        elif align == WD_ALIGN_PARAGRAPH.LEFT:
            p.paragraph_format.left_indent = inset
        _page_field(w, p)


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


def _off_grid(paragraph) -> None:
    """Take a paragraph off the line grid (tables, pictures): LibreOffice would snap each line to 29 pt."""
    ppr = paragraph._p.get_or_add_pPr()
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    # Schema order matters to Word: snapToGrid comes before spacing, ind, jc …
    ppr.insert_element_before(el, "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                              "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
                              "w:sectPr", "w:pPrChange")


def _table(w: _Writer, tb: TextTable, content: ReportContent, *, status_col: int | None = None,
           widths: list[float] | None = None) -> None:
    doc = w.doc
    if not tb.body:
        w.para(content.text("report_none"))
        return
    table = doc.add_table(rows=1, cols=len(tb.head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = w.style.role("table").size_pt

    # The paragraph and run properties of a cell, made once per look (bold, colour) through python-docx
    # and copied as XML for every further cell: setting them cell by cell was a fifth of the Word time.
    looks: dict[tuple[Any, ...], tuple[Any, Any]] = {}

    def cell_text(cell, text: str, **kw) -> None:
        p = cell.paragraphs[0]
        key = tuple(sorted(kw.items()))
        text = str(text)
        if key in looks and not any(ch in text for ch in "\n\r\t"):
            ppr, rpr = looks[key]
            p._p.insert(0, deepcopy(ppr))
            r = OxmlElement("w:r")
            r.append(deepcopy(rpr))
            t_el = OxmlElement("w:t")
            t_el.set(qn("xml:space"), "preserve")
            t_el.text = text
            r.append(t_el)
            p._p.append(r)
            return
        # Table text is off the 版心 grid: single spacing at its own size.
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(size * 1.35)
        p.paragraph_format.first_line_indent = Pt(0)
        _off_grid(p)
        run = w.run(p, text, "table", **kw)
        if run._r.rPr is not None:
            looks.setdefault(key, (deepcopy(p._p.pPr), deepcopy(run._r.rPr)))

    for cell, h in zip(table.rows[0].cells, tb.head):
        _shade(cell, "E8EEF4")
        cell_text(cell, h, bold=True)
    _repeat_header(table.rows[0])
    for i, row in enumerate(tb.body):
        cells = table.add_row().cells
        for j, (cell, v) in enumerate(zip(cells, row)):
            colour = tb.colors[i] if status_col is not None and j == status_col and tb.colors else None
            cell_text(cell, v, bold=bool(colour), color="FFFFFF" if colour else None)
            if colour:
                _shade(cell, colour)
    if widths:
        for row in table.rows:
            for cell, wd in zip(row.cells, widths):
                cell.width = Cm(wd)
    if tb.more:
        w.para(content.text("report_appendix_more", n=tb.more), "caption")


def render_docx(content: ReportContent) -> bytes:
    """The Word report as bytes, in the style of ``content.style`` (report_styles.yaml)."""
    style = report_style(content.style)
    doc, w = _new_document(style)
    w.para(content.title, "title")
    for k, v in meta_lines(content):
        w.para(f"{k}:{v}" if content.lang == "zh" else f"{k}: {v}", "meta")
    _write_page_one(w, content)
    tables = document_tables(content, APPENDIX_LIMIT)
    w.para(content.text("rl_h_targets"), "heading1")
    _table(w, tables["targets"], content, status_col=len(tables["targets"].head) - 1,
           widths=[3.4, 1.8, 2.4, 1.8, 1.5, 1.5, 1.5, 1.7])
    _write_charts(doc, w, content, style)
    w.para(content.text("rl_h_goals"), "heading1")
    for key in ("goals", "tasks", "assessments"):
        w.para(tables[key].caption, "heading2")
        _table(w, tables[key], content)
    _write_appendix(w, content, tables)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _new_document(style: ReportStyle) -> tuple[Any, _Writer]:
    """An empty document on the style's page, with its type grid and page numbers."""
    doc = Document()
    _setup_styles(doc, style)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(style.width_mm), Mm(style.height_mm)
    section.top_margin, section.bottom_margin = Mm(style.top_mm), Mm(style.bottom_mm)
    section.left_margin, section.right_margin = Mm(style.left_mm), Mm(style.right_mm)
    _doc_grid(section, doc, style)
    w = _Writer(doc, style)
    _page_numbers(doc, section, w)
    return doc, w


def _write_page_one(w: _Writer, content: ReportContent) -> None:
    """Page one (what a leader reads in a minute), then the officer's findings as their own chapters."""
    w.para(content.text("rl_h_overview"), "heading1")
    for heading, paras in content.page_one.blocks:
        w.para(heading, "heading2")
        for para in paras:
            w.para(para)
    for key, heading in FINDING_HEADINGS:
        w.para(content.text(heading), "heading1")
        for para in _paragraphs(content.findings.get(key, "")):
            w.para(para)


def _write_charts(doc: Any, w: _Writer, content: ReportContent, style: ReportStyle) -> None:
    """Every chart at the text width, centred, off the type grid."""
    w.para(content.text("rl_h_charts"), "heading1")
    for spec, png in report_images(content):
        doc.add_picture(io.BytesIO(png), width=Mm(style.text_width_mm))
        pf = doc.paragraphs[-1].paragraph_format
        # An exact line height would crop the picture to one line.
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.first_line_indent = Pt(0)
        _off_grid(doc.paragraphs[-1])
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if content.unreviewed:  # 含未审核数据 under every chart
            w.para(unreviewed_mark("", True, content.lang), "caption")


def _write_appendix(w: _Writer, content: ReportContent, tables: dict[str, Any]) -> None:
    """The appendix: the officer's notes, where the figures come from, the counted items (cut to
    ``APPENDIX_LIMIT`` per metric), shared items and open problems."""
    w.para(content.text("rl_h_appendix"), "heading1")
    w.para(content.text("rl_h_notes"), "heading2")
    for para in _paragraphs(content.findings.get("notes", "")):
        w.para(para)
    w.para(content.text("rl_h_provenance"), "heading2")
    for para in content.provenance or [content.text("report_none")]:
        w.para(para)
    w.para(content.text("rl_h_items"), "heading2")
    w.para(content.text("report_appendix_limit_note", limit=APPENDIX_LIMIT), "caption")
    for tb in tables["items"].values():
        w.para(tb.caption, "heading3")
        _table(w, tb, content)
    for key in ("shared", "problems"):
        w.para(tables[key].caption, "heading3")
        _table(w, tables[key], content)
