"""Issue 14: the official document format read back from Word and PDF, page one, findings, provenance in words."""
from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from metrics.report import build_report, render
from metrics.report.leader import previous_round_date
from metrics.report.style import css, report_style
from report_case import AS_OF, hand_progress

CLOCK = dt.datetime(2026, 12, 1, 9, 0)
FINDINGS = {"progress": "广东省新增量子芯片A等3项技术突破。", "problems": "=SUM(A1)部分地区尚未报送。\n标准制定偏慢。",
            "next_steps": "督促尚未报送的地区于12月15日前报送。", "notes": "本期数据经省级审核。"}


@pytest.fixture(scope="module")
def case():
    return hand_progress()


def round_board():
    """A round of the 37 regions as ``rounds.coverage`` returns it: 广东省 approved, 江苏省 submitted
    (waiting for review), 北京市 overdue, the rest not yet submitted."""
    from metrics.rounds import CoverageRow, Round, all_regions

    regions = all_regions()
    rnd = Round("2025年第二季度", AS_OF, dt.date(2025, 7, 15), regions)
    state = {"广东省": "approved", "江苏省": "submitted", "北京市": "overdue"}
    return rnd, [CoverageRow(region=r, state=state.get(r, "not_submitted")) for r in regions]


@pytest.fixture(scope="module")
def docs(case):
    data, progress = case
    rnd, board = round_board()
    out = {}
    for scope in ("national", "广东省"):
        for style in ("official", "briefing"):
            c = build_report(progress, data, scope=scope, lang="zh", findings=FINDINGS, style=style, generated=CLOCK,
                             rnd=rnd, coverage_rows=board)
            out[scope, style] = (c, Document(io.BytesIO(render(c, "docx"))))
    return out


# ---- the style definition -------------------------------------------------------------------
@pytest.mark.parametrize("style,bottom,right,pitch,chars", [
    ("official", 35.0, 26.0, 28.99, 15.79),   # 版心 156 × 225 mm: 22 lines × 28 characters
    ("briefing", 25.0, 25.0, 23.34, 14.17),
])
def test_style_derives_margins_and_pitches(style, bottom, right, pitch, chars):
    s = report_style(style)
    assert (s.bottom_mm, s.right_mm) == (bottom, right)
    assert round(s.line_pitch_pt, 2) == pitch and round(s.char_pitch_pt, 2) == chars


def test_unknown_style_is_refused_with_the_choices(case):
    data, progress = case
    with pytest.raises(ValueError, match="official, briefing"):
        build_report(progress, data, style="fancy")


# ---- Word, read back ------------------------------------------------------------------------
@pytest.mark.parametrize("style,word_style,east_asian,size", [
    ("official", "Title", "方正小标宋简体", 22), ("official", "Normal", "仿宋_GB2312", 16),
    ("official", "Heading 1", "黑体", 16), ("official", "Heading 2", "楷体_GB2312", 16),
    ("official", "Heading 3", "仿宋_GB2312", 16),
    ("briefing", "Title", "黑体", 18), ("briefing", "Normal", "宋体", 12), ("briefing", "Heading 1", "黑体", 14),
])
def test_word_styles_carry_the_office_fonts_on_the_east_asian_slot(docs, style, word_style, east_asian, size):
    _, doc = docs["national", style]
    st = doc.styles[word_style]
    fonts = st.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == east_asian
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over the name
    assert st.font.size.pt == size and st.font.color.rgb == (0, 0, 0)


@pytest.mark.parametrize("word_style,bold", [("Heading 1", False), ("Heading 2", False), ("Heading 3", True)])
def test_official_heading_weights(docs, word_style, bold):
    _, doc = docs["national", "official"]
    assert bool(doc.styles[word_style].font.bold) is bold


@pytest.mark.parametrize("scope", ["national", "广东省"])
def test_word_page_margins_grid_and_line_pitch_are_gb_t_9704(docs, scope):
    _, doc = docs[scope, "official"]
    sec = doc.sections[0]
    mm = [round(x.mm, 1) for x in (sec.page_width, sec.page_height, sec.top_margin, sec.bottom_margin,
                                   sec.left_margin, sec.right_margin)]
    assert mm == [210.0, 297.0, 37.0, 35.0, 28.0, 26.0]
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "580")
    # 28 characters of 16 pt in 156 mm: condensed by 0.25 pt (w:spacing in twentieths of a point).
    assert doc.styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    assert round(doc.styles["Normal"].paragraph_format.line_spacing.pt, 1) == 29.0


def test_word_page_numbers_are_dashed_songti_14pt_at_the_outside_edges(docs):
    _, doc = docs["national", "official"]
    sec = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (2, 0)  # right, left
    for p in (odd, even):
        assert p.text == "—  —"  # the PAGE field sits between the dashes
        assert "PAGE" in p._p.xml
        assert {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in p.runs} == {"宋体"}
        assert {r.font.size.pt for r in p.runs} == {14}


def test_word_carries_page_one_and_the_officers_findings_in_order(docs):
    _, doc = docs["national", "official"]
    texts = [p.text for p in doc.paragraphs]
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads == ["一、总体情况", "二、主要进展", "三、存在问题", "四、下一步工作", "五、目标完成情况", "六、进度图表",
                     "七、定性目标与重点任务", "附件"]
    assert "本轮(2025年第二季度)应报送37个地区,已报送2个。" in texts
    assert texts.index("本轮(2025年第二季度)应报送37个地区,已报送2个。") < texts.index("二、主要进展")
    # Each line of the officer's text is its own paragraph, written as typed (text, never a field).
    assert "=SUM(A1)部分地区尚未报送。" in texts and "标准制定偏慢。" in texts
    assert "本期数据经省级审核。" in texts
    # Furthest behind first, worded by presentation.deadline_sentence, then the gap to the pace.
    assert "领军企业，2025年12月31日到期：目前 0 / 100 家，滞后。按当前速度预测到期完成 0 家。落后时间进度 74.2 个百分点。" \
        in texts
    assert "生成时间:2026-12-01 09:00" in texts


def test_word_leader_part_has_no_hash_or_seconds(docs):
    _, doc = docs["national", "official"]
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(c.text for t in doc.tables for r in t.rows
                                                                 for c in r.cells)
    assert "ab" * 32 not in text and not re.search(r"\d{2}:\d{2}:\d{2}", text)
    assert "广东省于2025年7月1日报送《gd.xlsx》,数据截至2025年6月30日。" in text


def test_province_page_one_says_whether_it_reported(docs):
    c, doc = docs["广东省", "official"]
    assert c.page_one.blocks[0][1] == ["本轮(2025年第二季度)广东省已报送。"]
    assert "本轮(2025年第二季度)广东省已报送。" in [p.text for p in doc.paragraphs]


# ---- page one, computed -----------------------------------------------------------------------
@pytest.mark.parametrize("as_of,expected", [
    ("2025-06-30", "2025-03-31"), ("2025-07-01", "2025-06-30"), ("2025-01-15", "2024-12-31"),
    ("2025-04-01", "2025-03-31"),
])
def test_previous_round_is_the_quarter_before(as_of, expected):
    import datetime as dt

    assert previous_round_date(dt.date.fromisoformat(as_of)) == dt.date.fromisoformat(expected)


def test_page_one_coverage_is_the_rounds_and_counts_overdue_as_missing(case):
    data, progress = case
    rnd, board = round_board()
    cov = dict(build_report(progress, data, rnd=rnd, coverage_rows=board).page_one.blocks)["(一)报送情况"]
    assert cov[0] == "本轮(2025年第二季度)应报送37个地区,已报送2个。"  # approved + waiting for review
    missing = cov[1].removeprefix("尚未报送:").removesuffix("。").split("、")
    assert len(missing) == 35 and "北京市" in missing and "广东省" not in missing and "江苏省" not in missing
    en = dict(build_report(progress, data, rnd=rnd, coverage_rows=board, lang="en").page_one.blocks)["Submissions"]
    assert en[0] == "Round 2025年第二季度: 2 of 37 regions have reported."


def test_page_one_without_a_round_says_so_instead_of_guessing_from_the_files(case):
    data, progress = case
    cov = dict(build_report(progress, data).page_one.blocks)["(一)报送情况"]
    assert cov == ["本报告数据截至2025年6月30日,未关联报送轮次,报送情况以报送轮次管理为准。"]


def test_report_coverage_reads_the_stored_round(tmp_path):
    from metrics import rounds
    from metrics.report.leader import report_coverage, report_round
    from metrics.store import Store
    from tests.store_fixtures import content_of, make_result

    store = Store(f"sqlite:///{tmp_path / 'r.sqlite'}")
    try:
        assert report_coverage(store, AS_OF) == (None, None)
        rounds.add_round(store, "2025年第二季度", AS_OF, dt.date(2025, 7, 15), ["广东省", "江苏省", "北京市"], actor="a")
        result = make_result("广东省", n_items=2, as_of=AS_OF, file="gd.xlsx")
        store.save_submission(result, content_of(result, ""), result.file, uploader="gd")
        after_due = dt.datetime(2025, 8, 1, tzinfo=dt.timezone.utc)
        rnd, rows = report_coverage(store, dt.date(2025, 7, 10), after_due)  # a later date: the round before it
        assert rnd.name == "2025年第二季度"
        assert [(r.region, r.state) for r in rows] == [("广东省", "submitted"), ("江苏省", "overdue"),
                                                     ("北京市", "overdue")]
        assert report_round(store, dt.date(2025, 3, 31)) is None  # no round as of that date or earlier
    finally:
        store.close()


def test_changes_are_counted_since_the_previous_defined_round(tmp_path, case):
    """With rounds defined, "与上一轮相比" starts at the as-of date of the round before, not the quarter end."""
    from metrics import rounds
    from metrics.report.leader import previous_round_as_of, report_round
    from metrics.store import Store

    store = Store(f"sqlite:///{tmp_path / 'r.sqlite'}")
    try:
        for name, as_of in (("2024年第四季度", dt.date(2024, 12, 31)), ("2025年第二季度", AS_OF)):
            rounds.add_round(store, name, as_of, as_of + dt.timedelta(days=15), ["广东省"], actor="a")
        rnd = report_round(store, AS_OF)
        assert previous_round_as_of(store, rnd) == dt.date(2024, 12, 31)
        assert previous_round_as_of(store, report_round(store, dt.date(2025, 1, 5))) is None  # the first round
    finally:
        store.close()
    data, progress = case
    c = build_report(progress, data, scope="national", since=dt.date(2024, 12, 31))
    # tech items dated 2025-03-01 and 2025-05-01 come after 2024-12-31, and one product.
    assert dict(c.page_one.blocks)["(四)与上一轮相比"] == ["前沿关键核心技术较2024年12月31日新增2项。",
                                                      "标志性产品较2024年12月31日新增1项。"]


def test_changes_since_the_previous_round_count_items_dated_after_it(case):
    data, progress = case
    c = build_report(progress, data, scope="national")
    # tech items dated 2024-06-10, 2024-09-01 (same item), 2025-03-01, 2025-05-01: one after 2025-03-31.
    assert dict(c.page_one.blocks)["(四)与上一轮相比"] == ["前沿关键核心技术较2025年3月31日新增1项。"]


def test_blank_findings_are_prefilled_and_given_ones_kept(case):
    data, progress = case
    c = build_report(progress, data, findings={"progress": "  ", "notes": "自写说明"})
    assert c.findings["progress"] == "本期暂无按期达成或进度超前的目标。"
    assert c.findings["notes"] == "自写说明"
    assert c.findings["next_steps"] == "针对未完成或进度滞后的领军企业、典型应用场景、关键标准,督促相关地区加快推进并按时报送。"


# ---- PDF and HTML ---------------------------------------------------------------------------
def test_pdf_css_comes_from_the_same_style():
    text = css(report_style("official"))
    assert "margin: 37.0mm 26.0mm 35.0mm 28.0mm" in text
    assert "font-size: 16.0pt; line-height: 28.99pt" in text
    assert '@page :right { @bottom-right' in text and '@page :left { @bottom-left' in text
    assert '"仿宋_GB2312", "FangSong_GB2312", "FangSong", "Noto Serif CJK SC", serif' in text


@pytest.fixture(scope="module")
def pdf(case):
    data, progress = case
    c = build_report(progress, data, scope="广东省", lang="zh", findings=FINDINGS)
    return render(c, "pdf")


def test_pdf_has_findings_page_numbers_and_a4(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 2
    assert "— 1 —" in pages[0] and "— 2 —" in pages[1]
    whole = re.sub(r"\s+", "", "".join(pages))
    assert "标准制定偏慢。" in whole and "广东省于2025年7月1日报送《gd.xlsx》" in whole
    assert "ab" * 32 not in whole


def test_html_has_page_one_and_findings(case):
    data, progress = case
    rnd, board = round_board()
    html = render(build_report(progress, data, findings=FINDINGS, rnd=rnd, coverage_rows=board), "html").decode()
    soup = BeautifulSoup(html, "html.parser")
    paras = [p.get_text() for p in soup.find_all("p")]
    assert "本轮(2025年第二季度)应报送37个地区,已报送2个。" in paras
    assert "标准制定偏慢。" in paras and "本期数据经省级审核。" in paras
    assert [h.get_text() for h in soup.find_all("h2")][:4] == ["一、总体情况", "二、主要进展", "三、存在问题", "四、下一步工作"]


def test_word_converts_with_libreoffice(docs, tmp_path):
    _, doc = docs["national", "official"]
    src = tmp_path / "r.docx"
    doc.save(src)
    proc = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                           "pdf", "--outdir", str(tmp_path), str(src)], capture_output=True, text=True, timeout=240)
    out = tmp_path / "r.pdf"
    # scripts/setup.sh installs libreoffice-writer-nogui: without it soffice cannot load a .docx, and that must fail.
    assert "source file could not be loaded" not in proc.stderr, proc.stderr
    reader = PdfReader(out)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    assert "一、总体情况" in re.sub(r"\s+", "", reader.pages[0].extract_text())


# ---- Excel, read back ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workbook(case):
    from openpyxl import load_workbook

    data, progress = case
    c = build_report(progress, data, scope="national", lang="zh", findings=FINDINGS, generated=CLOCK)
    return load_workbook(io.BytesIO(render(c, "xlsx")))


@pytest.mark.parametrize("unit,money,fmt", [("亿元", True, "#,##0.0"), ("100 million yuan", True, "#,##0.0"),
                                            ("项", False, "#,##0"), ("家", False, "#,##0")])
def test_money_is_told_apart_from_counts(unit, money, fmt):
    from metrics.report.xlsx import count_format, is_money

    assert (is_money(unit), count_format(unit)) == (money, fmt)


def test_excel_charts_have_visible_titled_axes_and_legends(workbook):
    charts = [ch for ws in workbook.worksheets for ch in ws._charts]
    assert len(charts) >= 3
    for ch in charts:
        assert ch.x_axis.delete is False and ch.y_axis.delete is False
        assert ch.x_axis.title is not None and ch.y_axis.title is not None
    trend = workbook["月度趋势"]._charts
    y_title = "".join(r.t for p in trend[0].y_axis.title.tx.rich.p for r in (p.r or []))
    assert y_title == "累计完成(个/项/家)"  # counts only: no 亿元 on this axis
    assert trend[0].legend.position == "b"


def test_excel_item_sheets_carry_the_status_colour(workbook):
    from metrics.presentation import status_colour

    ws = workbook["前沿关键核心技术"]
    cell = ws["F2"]  # 状态 of the target the sheet lists the items of (滞后 in the hand case)
    assert (ws["E2"].value, cell.value) == ("状态", "滞后")
    assert cell.fill.fgColor.rgb[-6:] == status_colour("off_track").lstrip("#").upper()
    assert cell.font.bold and cell.font.color.rgb[-6:] == "FFFFFF"


def test_excel_numbers_are_rounded_and_dates_are_dates(workbook):
    import datetime as _dt

    ws = workbook["数据来源"]
    row = next(ws.iter_rows(min_row=2, max_row=2))
    assert row[2].value == _dt.datetime(2025, 6, 30) and row[2].is_date
    assert row[3].value == _dt.datetime(2025, 7, 1, 9, 0) and row[3].is_date
    trend = workbook["月度趋势"]
    values = [c.value for r in trend.iter_rows(min_row=2) for c in r[1:] if isinstance(c.value, float)]
    assert all(v == round(v, 4) for v in values)
    assert trend.cell(2, 1).is_date and trend.cell(2, 1).number_format == "yyyy-mm"


def test_excel_item_sheet_counts_with_a_formula_filters_and_fits(workbook):
    ws = workbook["前沿关键核心技术"]
    assert ws.cell(4, 1).value == "计入项数" and ws.cell(4, 2).value == "=COUNTA(A6:A8)"
    assert ws.auto_filter.ref == "A5:I8" and ws.freeze_panes == "A6"
    assert ws.column_dimensions["A"].width == 28  # =HYPERLINK("http://x","y") is 26 characters + 2
    regions = workbook["地区对比"]
    totals = [r for r in regions.iter_rows(values_only=True) if r[0] == "合计"]
    assert totals and totals[0][1].startswith("=SUM(B")


def test_excel_findings_sheet_keeps_formula_like_text_as_text(workbook):
    ws = workbook["报告意见"]
    cells = {r[0].value: r[1] for r in ws.iter_rows(min_row=2)}
    assert cells["三、存在问题"].value == FINDINGS["problems"] and cells["三、存在问题"].data_type == "s"


@pytest.mark.parametrize("fmt", ["xlsx", "html", "pdf", "docx"])
def test_provincial_report_reads_back_in_every_format(case, fmt):
    data, progress = case
    rnd, board = round_board()
    c = build_report(progress, data, scope="江苏省", lang="zh", findings=FINDINGS, generated=CLOCK, rnd=rnd,
                     coverage_rows=board)
    out = render(c, fmt)
    expected = "本轮(2025年第二季度)江苏省已报送。"  # submitted and waiting for review counts as reported
    if fmt == "xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(out))["报告意见"]
        text = "\n".join(str(r[1].value) for r in ws.iter_rows(min_row=2))
    elif fmt == "html":
        text = "\n".join(p.get_text() for p in BeautifulSoup(out.decode(), "html.parser").find_all("p"))
    elif fmt == "pdf":
        text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(out)).pages))
    else:
        text = "\n".join(p.text for p in Document(io.BytesIO(out)).paragraphs)
    assert expected in text and "标准制定偏慢。" in text


@pytest.mark.parametrize("scope,expected_last,n", [
    ("national", "截至2025年6月30日，全国未设量化目标值的3项目标累计：未来产业孵化器0个、未来产业先导区0个、"
                 "生态主导型领军企业0家。", 8),  # overall + 6 live numeric targets + the fold
    ("广东省", "截至2025年6月30日，全省未设量化目标值的9项目标累计：未来产业孵化器0个、未来产业先导区0个、"
              "前沿关键核心技术3项(占全国目标3%)、标志性产品0项、领军企业0家、典型应用场景0项、关键标准0项、"
              "专业服务机构0家、生态主导型领军企业0家。", 2),
])
def test_page_one_headlines_fold_targets_without_a_number_into_one_line(case, scope, expected_last, n):
    data, progress = case
    c = build_report(progress, data, scope=scope)
    block = dict(c.page_one.blocks)["(二)目标完成情况"]
    assert block[-1] == expected_last
    assert len(block) == n  # a province: overall + the fold
    assert block == c.summary  # page one and the details say each target once, in the same words


def test_summary_of_the_sample_data_has_no_near_identical_sentences():
    """With the committed samples on 2026-12-02 (the 2025 deadlines passed) the six missed targets are one
    sentence and the targets without a number another: no two sentences alike once numbers are blanked."""
    from difflib import SequenceMatcher
    from pathlib import Path

    from metrics.catalog import load_catalog
    from metrics.ingest import read_file
    from metrics.model import Dataset
    from metrics.progress import compute_progress

    cat = load_catalog()
    folder = Path(__file__).resolve().parents[1] / "sample_data"
    files = [p for p in sorted(folder.glob("示例数据_*")) if "问题" not in p.name and p.suffix in (".xlsx", ".csv")]
    data = Dataset.from_results([read_file(p.read_bytes(), p.name, catalog=cat) for p in files])
    progress = compute_progress(data, cat, as_of=dt.date(2026, 12, 2))
    c = build_report(progress, data, cat, scope="national", lang="zh")
    assert c.summary[1] == ("2025年12月31日到期的6项目标未完成：前沿关键核心技术 44 / 100 项(此后新增 25 项)、"
                            "标志性产品 34 / 100 项(此后新增 24 项)、领军企业 23 / 100 家(此后新增 18 家)、"
                            "典型应用场景 38 / 100 项(此后新增 21 项)、关键标准 21 / 100 项(此后新增 6 项)、"
                            "专业服务机构 20 / 100 家(此后新增 10 家)。")
    assert c.summary[2].startswith("截至2026年12月2日，全国未设量化目标值的6项目标累计：未来产业孵化器13个、")
    assert "未来产业规模3,125.8 亿元" in c.summary[2]
    for scope, lang, n in [("national", "zh", 3), ("national", "en", 3), ("广东省", "zh", 4), ("广东省", "en", 4)]:
        summary = build_report(progress, data, cat, scope=scope, lang=lang).summary
        assert len(summary) == n, (scope, lang, summary)
        blank = [re.sub(r"[\d,.]+", "#", x) for x in summary]
        for i, a in enumerate(blank):
            assert all(SequenceMatcher(None, a, b).ratio() < 0.8 for b in blank[i + 1:]), (scope, lang, a)


@pytest.mark.parametrize("change,same", [({}, True), ({"fmt": "pdf"}, False), ({"findings": {"notes": "x"}}, False),
                                         ({"rev": "other"}, False), ({"style": "briefing"}, False)])
def test_report_job_key_changes_with_everything_the_file_depends_on(change, same):
    from app_support.report_jobs import job_key

    base = dict(rev="r1", scope="national", as_of=AS_OF, lang="zh", fmt="docx", style="official", findings={})
    assert (job_key(**base) == job_key(**{**base, **change})) is same


def test_cli_writes_the_briefing_style(tmp_path):
    from pathlib import Path

    from metrics.cli import main

    sample = Path(__file__).resolve().parents[1] / "sample_data" / "示例数据_广东省_进展填报.xlsx"
    out = tmp_path / "r.docx"
    assert main(["report", str(sample), "--format", "docx", "--out", str(out), "--as-of", "2025-06-30",
                 "--province", "广东", "--style", "briefing"]) == 0
    doc = Document(out)
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert round(doc.sections[0].top_margin.mm) == 25


def test_a_passed_deadline_is_reported_as_it_ended_then_what_came_after():
    import pandas as pd

    from metrics.catalog import load_catalog
    from metrics.presentation import deadline_sentence
    from metrics.report.leader import behind_rows, behind_sentence

    # Rows shaped as the engine gives them after a deadline: ``actual`` is the figure at the deadline.
    base = dict(scope_type="national", scope="national", unit="项", name_zh="前沿关键核心技术", name_en="Tech",
                deadline=pd.Timestamp("2025-12-31"), target=100.0, percent=44.0, passed=True, met_on=None)
    rows = pd.DataFrame([
        {**base, "metric": "tech", "actual": 44.0, "actual_at_deadline": 44.0, "after_deadline": 25.0,
         "status": "missed", "gap_pp": None},
        {**base, "metric": "standard", "name_zh": "关键标准", "actual": 10.0, "actual_at_deadline": 10.0,
         "after_deadline": 0.0, "status": "missed", "gap_pp": None},
        {**base, "metric": "product", "name_zh": "标志性产品", "actual": 5.0, "actual_at_deadline": 5.0,
         "status": "off_track", "gap_pp": -20.0, "deadline": pd.Timestamp("2027-12-31"), "passed": False,
         "projected": None, "after_deadline": None},
    ])
    cat = load_catalog()
    said = [behind_sentence(r, cat, "zh") for _, r in behind_rows(rows).iterrows()]
    assert said == [
        "关键标准，2025年12月31日到期：完成 10 / 100 项，未完成。",
        "前沿关键核心技术，2025年12月31日到期：完成 44 / 100 项，未完成。此后新增 25 项。",
        "标志性产品，2027年12月31日到期：目前 5 / 100 项，滞后。落后时间进度 20 个百分点。",
    ]
    # One function words the fact: the report sentence carries presentation.deadline_sentence verbatim.
    assert all(deadline_sentence(r, "zh", "项") in s for s, (_, r) in zip(said, behind_rows(rows).iterrows()))


def test_page_one_after_the_2025_deadline_reports_it_as_it_ended():
    from metrics.progress import compute_progress
    from report_case import hand_dataset

    data = hand_dataset()
    progress = compute_progress(data, as_of=dt.date(2026, 12, 1))
    block = dict(build_report(progress, data, scope="national").page_one.blocks)["(二)目标完成情况"]
    assert block[:2] == ["截至2026年12月1日,全国共监测9项目标,其中未完成6项、无量化目标3项。",
                         "2025年12月31日到期的6项目标未完成：前沿关键核心技术 3 / 100 项、标志性产品 1 / 100 项、"
                         "领军企业 0 / 100 家、典型应用场景 0 / 100 项、关键标准 0 / 100 项、专业服务机构 0 / 100 家。"]


def test_excel_item_dates_are_real_dates(workbook):
    import datetime as _dt

    ws = workbook["前沿关键核心技术"]
    col = [c.value for c in ws[5]].index("完成日期") + 1
    cells = [ws.cell(r, col) for r in range(6, 9)]
    assert [c.value for c in cells] == [_dt.datetime(2024, 6, 10), _dt.datetime(2025, 3, 1), _dt.datetime(2025, 5, 1)]
    assert all(c.is_date and c.number_format == "yyyy-mm-dd" for c in cells)


def test_month_and_year_precision_dates_are_written_as_people_write_them():
    import pandas as pd

    from metrics.report.xlsx import _date_cells

    s = pd.Series(["2025-03-01", "2025-03", "2025", ""])
    ref = pd.Series(['<c r="F6', '<c r="F7', '<c r="F8', '<c r="F9'])
    assert list(_date_cells(s, ref, {"day": 3, "month": 4})) == [
        '<c r="F6" s="3"><v>45717</v></c>', '<c r="F7" s="4"><v>45717</v></c>',
        '<c r="F8" t="inlineStr"><is><t>2025</t></is></c>', ""]


def test_chart_images_are_drawn_at_print_width_with_text_of_at_least_9_pt():
    """The images are as wide as the type area (156 mm), so a font size set on them is the size on paper."""
    from metrics.report import images

    assert round(images.WIDTH_IN * 25.4) == 156 and images.PRINT_PT >= 9
    assert images.WIDTH_IN * images.DPI >= 1_000  # still sharp: about 1,080 px across
    assert images._wrap("Professional service institutions", "en") == "Professional\nservice\ninstitutions"
    assert images._wrap("前沿关键核心技术", "zh") == "前沿关键核心\n技术"  # six characters a line


def test_pdf_appendix_tables_get_column_widths_from_their_texts():
    """Fixed table layout (no measuring of every cell) with widths from the texts: long names wide,
    dates as wide as a date, the numbers summing to the whole width."""
    from metrics.report.document import colgroup

    html = str(colgroup(["名称", "地区", "完成日期", "证明材料"],
                        [["上海高新区量子计算未来产业孵化器", "上海市", "2024-09-07", "沪工信发〔2024〕50号"]]))
    widths = [float(w) for w in re.findall(r"width: ([\d.]+)%", html)]
    assert len(widths) == 4 and abs(sum(widths) - 100) < 0.5
    name, region, date, evidence = widths
    assert name > evidence > date > region
    assert colgroup([], []) == ""


@pytest.mark.parametrize("head, body, expected", [
    # English headers wrap only between words: each column at least as wide as its longest header word
    # (display width + 4 for padding), so "Achieved" no longer runs into "Basically achieved".
    (["Goal or task", "Achieved", "In progress"], [["x" * 40, "0", "3"]], [34, 15.2, 15.2]),  # Latin letters weigh 1.4
    # Chinese headers may wrap between any characters: half their width is enough
    (["目标或任务", "已实现", "基本实现"], [["x" * 40, "0", "3"]], [34, 8, 8]),  # max(6 / 2, 4) + 4
])
def test_a_pdf_table_column_is_as_wide_as_its_longest_header_word(head, body, expected):
    from metrics.report.document import colgroup

    widths = [float(w) for w in re.findall(r"width: ([\d.]+)%", str(colgroup(head, body)))]
    assert widths == pytest.approx([100 * e / sum(expected) for e in expected], abs=0.06)


def test_a_pdf_table_row_never_splits_over_two_pages():
    template = (Path(__file__).resolve().parent.parent / "metrics/report/templates/report.html.j2").read_text("utf-8")
    assert "table.data tr { page-break-inside: avoid; break-inside: avoid; }" in template
