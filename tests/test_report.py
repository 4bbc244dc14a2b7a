"""Status reports in every format, opened with a reader, on the hand-computed case of report_case.py."""
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
from openpyxl import load_workbook
from pypdf import PdfReader

from metrics.cli import main
from metrics.report import FORMATS, build_report, render
from report_case import AS_OF, FORMULA_NAME, PACE, PLUS_NAME, SCRIPT, SENTENCE_EN, SENTENCE_ZH, hand_progress

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="module")
def case():
    return hand_progress()


@pytest.fixture(scope="module")
def content(case):
    data, progress = case
    return build_report(progress, data, scope="national", lang="zh")


@pytest.fixture(scope="module")
def outputs(content):
    return {fmt: render(content, fmt) for fmt in FORMATS}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- content --------------------------------------------------------------------------------
@pytest.mark.parametrize("lang,sentence", [("zh", SENTENCE_ZH), ("en", SENTENCE_EN)])
def test_summary_sentence_is_generated_from_the_engine_numbers(case, lang, sentence):
    data, progress = case
    c = build_report(progress, data, scope="national", lang=lang)
    assert sentence in c.summary
    assert c.as_of == AS_OF


def test_province_summary_states_its_share_of_the_national_target(case):
    data, progress = case
    c = build_report(progress, data, scope="广东省", lang="zh")
    # A province without its own targets: the targets without a number are one sentence, the share in it.
    assert c.summary[1].startswith("截至2025年6月30日，全省未设量化目标值的9项目标累计：")
    assert "、前沿关键核心技术3项(占全国目标3%)、标志性产品0项、" in c.summary[1]
    assert c.title.startswith("广东省")
    assert set(c.items["tech"]["name"]) == {"量子芯片A", FORMULA_NAME, PLUS_NAME}


def test_targets_table_and_appendix_hold_the_hand_computed_case(content):
    tech = content.targets.set_index("metric").loc["tech"]
    assert (tech["actual"], tech["target"], tech["status"]) == (3.0, 100.0, "off_track")
    assert tech["percent"] == pytest.approx(3.0) and tech["pace_percent"] == pytest.approx(PACE)
    # 量子芯片A is reported by both provinces and counted once nationally.
    assert len(content.items["tech"]) == 3
    assert list(content.shared_items["name"]) == ["量子芯片A"]
    assert list(content.sources["sha256"]) == ["ab" * 32, "cd" * 32]
    assert {s.kind for s in content.charts} >= {"overview_bullets", "trajectory_chart", "heatmap", "ranking_chart",
                                                 "levels_chart"}


# ---- Excel ----------------------------------------------------------------------------------
def test_excel_summary_has_the_numbers_status_colours_and_a_chart_bound_to_the_cells(outputs):
    wb = load_workbook(io.BytesIO(outputs["xlsx"]))
    ws = wb["摘要"]
    rows = {r[0].value: r for r in ws.iter_rows() if r[0].value == "前沿关键核心技术"}
    r = rows["前沿关键核心技术"]
    assert [c.value for c in r[2:7]][0] == 100 and r[4].value == 3
    assert r[5].value == pytest.approx(3.0) and r[6].value == pytest.approx(PACE)
    assert r[10].value == "滞后"
    header_row = int(ws.print_title_rows.split(":")[0].strip("$"))
    assert ws.cell(header_row, 1).value == "指标"
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    colours = {rule.dxf.fill.bgColor.rgb[-6:] for rule in rules}
    assert {"009E73", "56B4E9", "E69F00", "D55E00", "CC79A7", "999999"} <= colours
    assert any(str(cf.sqref).startswith(f"K{header_row + 1}") for cf in ws.conditional_formatting)
    chart = ws._charts[0]
    refs = [s.val.numRef.f for s in chart.series]
    last = header_row + 9
    assert refs == [f"'摘要'!$F${header_row + 1}:$F${last}", f"'摘要'!$G${header_row + 1}:$G${last}"]
    cat = chart.series[0].cat  # the categories are bound to the metric names of column A (openpyxl writes a numRef)
    assert cat.strRef is None and cat.numRef.f == f"'摘要'!$A${header_row + 1}:$A${last}"


def test_excel_has_a_sheet_per_metric_trend_and_regions_charts_and_a4_landscape_print(outputs):
    wb = load_workbook(io.BytesIO(outputs["xlsx"]))
    assert {"月度趋势", "地区对比", "前沿关键核心技术", "标志性产品", "定性目标与任务", "重复填报", "校验问题",
            "数据来源"} <= set(wb.sheetnames)
    assert wb["月度趋势"]._charts and wb["地区对比"]._charts
    ranking = wb["地区对比"]._charts[0]
    assert ranking.series[0].val.numRef.f.startswith("'地区对比'!$B$")
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.print_title_rows
    regions = {r[0]: r[1:] for r in wb["地区对比"].iter_rows(min_row=3, values_only=True) if r[0]}
    tech_col = [c.value for c in wb["地区对比"][2]].index("前沿关键核心技术") - 1
    assert regions["广东省"][tech_col] == pytest.approx(3.0)


def test_excel_keeps_formula_like_names_as_text(outputs):
    wb = load_workbook(io.BytesIO(outputs["xlsx"]))
    ws = wb["前沿关键核心技术"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value in (FORMULA_NAME, PLUS_NAME)}
    assert set(cells) == {FORMULA_NAME, PLUS_NAME}
    assert all(c.data_type == "s" for c in cells.values())
    assert SCRIPT in [c.value for row in ws.iter_rows() for c in row]


# ---- Word -----------------------------------------------------------------------------------
def test_word_has_summary_tables_images_east_asian_font_and_page_numbers(outputs, content):
    doc = Document(io.BytesIO(outputs["docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert SENTENCE_ZH in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "滞后" in cells and "3 项" in cells and "74.2%" in cells
    assert SCRIPT in cells  # shown literally
    from metrics.report.images import report_images

    assert len(doc.inline_shapes) == len(report_images(content))
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"  # the official format (test_report_format.py)
    run = next(r for p in doc.paragraphs for r in p.runs if "截至" in r.text)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


# ---- PDF ------------------------------------------------------------------------------------
def test_pdf_text_extracts_as_chinese_with_the_cjk_font_embedded(outputs):
    reader = PdfReader(io.BytesIO(outputs["pdf"]))
    text = squash("".join(page.extract_text() for page in reader.pages))
    assert squash(SENTENCE_ZH) in text
    assert squash(SCRIPT) in text
    embedded = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for d in descendants:
                desc = d.get_object().get("/FontDescriptor")
                if desc and any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    embedded.add(str(font["/BaseFont"]))
    # The office fonts are not installed here: body text falls back to Noto Serif CJK, 黑体 headings to Noto Sans CJK.
    assert any("NotoSerifCJK" in name.replace("-", "") for name in embedded)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_pdf_first_page_renders_to_png_for_a_look(outputs):
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "report_national_zh.pdf"
    pdf.write_bytes(outputs["pdf"])
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf), str(ARTIFACTS / "report_page")],
                   check=True)
    # pdftoppm pads the page number to the width of the page count (report_page-01.png from 10 pages on).
    first = sorted(ARTIFACTS.glob("report_page-*1.png"))[0]
    assert first.stat().st_size > 20_000


# ---- HTML -----------------------------------------------------------------------------------
def test_html_is_self_contained_and_escapes_uploaded_text(outputs):
    html = outputs["html"].decode("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    # Nothing is fetched: no script, stylesheet or image comes from an address.
    assert not soup.find_all("script", src=True) and not soup.find_all("link", href=True)
    assert all(img["src"].startswith("data:") for img in soup.find_all("img"))
    assert '<script src="https://cdn.plot.ly' not in html
    assert any("Plotly" in (s.string or "")[:5000] for s in soup.find_all("script"))
    assert soup.find_all("div", class_="plotly-graph-div")
    assert "alert(1)" not in "".join(s.string or "" for s in soup.find_all("script"))
    assert SCRIPT in [td.get_text() for td in soup.find_all("td")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SENTENCE_ZH in [p.get_text() for p in soup.find_all("p")]
    row = next(tr for tr in soup.find_all("tr") if tr.td and tr.td.get_text() == "前沿关键核心技术")
    assert [td.get_text() for td in row.find_all("td")][3:] == ["3 项", "3%", "74.2%", row.find_all("td")[6].get_text(),
                                                               "滞后"]


def test_uploaded_metric_names_in_charts_cannot_close_the_script(case):
    data, progress = case
    rows = progress.rows.copy()
    rows.loc[rows["metric"] == "tech", "name_zh"] = "</script><script>alert(2)</script>"
    evil = type(progress)(**{**progress.__dict__, "rows": rows})
    html = render(build_report(evil, data, scope="national", lang="zh"), "html").decode("utf-8")
    assert "<script>alert(2)" not in html


# ---- the CLI --------------------------------------------------------------------------------
# Word and PDF are rendered by the fixtures above; the command is checked on the quick formats.
@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_cli_writes_a_province_report_from_files(tmp_path, fmt):
    sample = ROOT / "sample_data" / "示例数据_广东省_进展填报.xlsx"
    out = tmp_path / f"r.{fmt}"
    code = main(["report", str(sample), "--format", fmt, "--out", str(out), "--as-of", "2025-06-30",
                 "--lang", "en", "--province", "广东"])
    assert code == 0 and out.stat().st_size > 1000


@pytest.mark.parametrize("args,message", [
    (["--province", "火星"], "unknown region"),
    (["--as-of", "2025-13-01"], "not YYYY-MM-DD"),
])
def test_cli_explains_bad_arguments_without_a_traceback(tmp_path, capsys, args, message):
    sample = ROOT / "sample_data" / "示例数据_广东省_进展填报.xlsx"
    code = main(["report", str(sample), "--out", str(tmp_path / "r.xlsx"), *args])
    assert code == 2 and message in capsys.readouterr().err


def test_cli_reads_the_store_without_files(tmp_path):
    from metrics.ingest import read_file
    from metrics.store import Store

    db = f"sqlite:///{tmp_path / 't.sqlite'}"
    sample = ROOT / "sample_data" / "示例数据_江苏省_进展填报.xlsx"
    content = sample.read_bytes()
    Store(db).save_submission(read_file(content, sample.name), content, sample.name)
    out = tmp_path / "r.xlsx"
    assert main(["report", "--out", str(out), "--db", db, "--as-of", "2025-06-30"]) == 0
    wb = load_workbook(out)
    sources = [r for r in wb["数据来源"].iter_rows(min_row=2, values_only=True)]
    assert sources[0][0] == sample.name and len(sources[0][4]) == 64


def test_long_item_lists_are_cut_in_documents_with_a_note_pointing_to_excel(content, monkeypatch):
    import metrics.report.docx as docx_module
    import metrics.report.document as document

    monkeypatch.setattr(document, "APPENDIX_LIMIT", 1)
    monkeypatch.setattr(docx_module, "APPENDIX_LIMIT", 1)
    html = render(content, "html").decode("utf-8")
    assert "另有2条未在此列出,完整清单见Excel版报告。" in html
    assert "每项指标最多列出1条" in html
    doc = Document(io.BytesIO(render(content, "docx")))
    assert "另有2条未在此列出,完整清单见Excel版报告。" in [p.text for p in doc.paragraphs]
    # Excel keeps every counted item.
    wb = load_workbook(io.BytesIO(render(content, "xlsx")))
    names = [r[0] for r in wb["前沿关键核心技术"].iter_rows(min_row=6, values_only=True)]
    assert sorted(names) == sorted(["量子芯片A", FORMULA_NAME, PLUS_NAME])


# ---- 含未审核数据 (issue 13): every format says so when the figures include unreviewed submissions ----------
def _report_texts(body: dict[str, bytes]) -> dict[str, str]:
    wb = load_workbook(io.BytesIO(body["xlsx"]))
    xlsx = "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    charts = [ch for ws in wb.worksheets for ch in ws._charts]
    titles = "\n".join("".join(r.t for p in ch.title.tx.rich.p for r in (p.r or [])) for ch in charts if ch.title)
    doc = Document(io.BytesIO(body["docx"]))
    docx = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for tb in doc.tables for row in tb.rows for c in row.cells)
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body["pdf"])).pages)
    html = BeautifulSoup(body["html"], "html.parser").get_text("\n")
    return {"xlsx": xlsx, "xlsx_charts": titles, "docx": docx, "pdf": squash(pdf), "html": html,
            "html_raw": body["html"].decode("utf-8")}


@pytest.mark.parametrize("lang, note", [("zh", "含未审核数据"), ("en", "includes unreviewed data")])
def test_every_report_format_says_it_includes_unreviewed_data(case, lang, note):
    data, progress = case
    content = build_report(progress, data, scope="national", lang=lang, unreviewed=True)
    texts = _report_texts({fmt: render(content, fmt) for fmt in FORMATS})
    from metrics.report.images import report_images

    n_charts, n_images = len(content.charts), len(report_images(content))
    assert all(note in c.title for c in content.charts)
    assert note in texts["xlsx"] and texts["xlsx_charts"].count(note) >= 2
    assert texts["docx"].count(note) == 1 + n_images  # the line under the title, a caption under every picture
    assert texts["pdf"].count(squash(note)) >= 1 + n_images
    assert texts["html"].count(note) >= 1 + n_charts  # under the title and under every chart
    # the interactive charts carry it after their as-of subtitle too
    assert texts["html_raw"].count(note) > texts["html"].count(note)


def test_a_report_on_reviewed_data_carries_no_note(outputs):
    texts = _report_texts(outputs)
    assert not any("含未审核数据" in v for v in texts.values())


def test_the_generated_time_is_beijing_time_by_default(content):
    """The 生成时间 line is read in Beijing (TRACKER_TIMEZONE), not in the server's own zone."""
    assert content.generated.tzinfo is not None
    assert content.generated.utcoffset() == dt.timedelta(hours=8)


def _pixels(png: bytes):
    """Every pixel of an image, one RGB row each."""
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)


def _has(pixels, colour, tol: int = 2, area: int = 5000) -> bool:
    """Whether a cell of the image is painted ``colour`` (hex or 0-1 RGB): at least ``area`` pixels within
    ``tol`` of each channel (a cell is tens of thousands of pixels, a colour's band of the colour bar a few
    hundred)."""
    import numpy as np
    from matplotlib.colors import to_rgb

    rgb = np.round(255 * np.array(to_rgb(colour)))
    return int((np.abs(pixels.astype(int) - rgb).max(axis=1) <= tol).sum()) >= area


def test_the_report_heat_map_uses_the_apps_diverging_scale_around_the_pace():
    """The percent heat map image takes the app's colours (chart_style.yaml heatmap_diverging): a cell behind
    the pace is vermillion, one met is blue, one on pace light grey, as charts.heatmap colours them; not Cividis."""
    import datetime as dt

    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    from metrics import charts
    from metrics.report import images
    from test_charts import _with_targets

    style = charts.chart_style()["heatmap_diverging"]
    cmap, (low, high) = images.pace_colours(), images.pace_range()
    norm = lambda v: (v - low) / (high - low)  # noqa: E731
    assert [to_hex(cmap(norm(v))) for v in (-charts.HEAT_CAP, 0, charts.HEAT_CAP)] == \
        [style["behind"].lower(), style["on_pace"].lower(), style["ahead"].lower()]
    # 江苏省 10 % is 64 points behind (the vermillion end), its landmark product met (blue), 广东省 75 % on pace.
    seen = _pixels(images.heatmap(_with_targets(AS_OF), value="percent", lang="en"))
    on_pace = cmap(norm(75 - PACE))[:3]
    assert _has(seen, style["behind"]) and _has(seen, style["ahead"]) and _has(seen, on_pace)
    assert not any(_has(seen, colormaps["cividis"](x)[:3]) for x in (0.0, 0.5, 1.0))
    # A passed deadline takes the end of its final result, as in the app: 广东省 missed, vermillion too.
    passed = _pixels(images.heatmap(_with_targets(dt.date(2026, 3, 1)), value="percent", lang="zh"))
    assert _has(passed, style["behind"]) and _has(passed, style["ahead"]) and not _has(passed, on_pace)


def test_the_report_contribution_heat_map_keeps_the_apps_sequential_scale(case):
    """Contribution to the national target has no pace to diverge from: the app colours it with
    chart_style.yaml heatmap_scale, and so does the image."""
    from matplotlib import colormaps

    from metrics import charts
    from metrics.report import images

    _, progress = case
    seen = _pixels(images.heatmap(progress, value="contribution_percent", lang="zh"))
    cmap = colormaps[charts.chart_style()["heatmap_scale"].lower()]
    assert _has(seen, cmap(0.0)[:3]) and not _has(seen, charts.chart_style()["heatmap_diverging"]["behind"])
