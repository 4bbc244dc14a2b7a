"""Red-team through the app (issue 18): a stored workbook whose names, units, notes and province cells
carry HTML, script, Markdown and formula payloads, shown on every page (AppTest). Nothing of it may
render as markup: no live Markdown link or image, no raw tag in an HTML element or a chart, no HTML
allowed in a Markdown element that holds it."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any, Iterator

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from metrics.ingest import read_file
from metrics.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
JIANGSU = SAMPLES / "示例数据_江苏省_进展填报.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIL = "evil.example"
PAGES = ["overview", "gaps", "compare", "goals", "catalog", "history", "rounds", "report"]
# Cells of the sample workbook replaced by payloads (sheet, cell) -> text.
HOSTILE = {
    ("成果清单", "C3"): f"[点我](http://{EVIL}/a)",
    ("成果清单", "C4"): '<img src=x onerror="window.__xss=1">',
    ("成果清单", "G3"): "<script>window.__xss=2</script>",
    ("成果清单", "K3"): f"![](http://{EVIL}/pixel.png)",
    ("成果清单", "C5"): f'=HYPERLINK("http://{EVIL}/","x")',
    ("成果清单", "C6"): f'<a href="http://{EVIL}/l">**粗体**</a>',
    ("成果清单", "A7"): f"<b>[江苏](http://{EVIL}/p)</b>",   # a hostile province cell: refused, quoted in the message
    ("基本信息", "B3"): f"[单位](http://{EVIL}/r)",
    ("目标设定", "B8"): f'<a href="http://{EVIL}/m">自定义指标</a>',
    ("目标设定", "C8"): 50,
    ("目标设定", "D8"): f"![](http://{EVIL}/u.png)",
    ("目标设定", "E8"): 2026,
    ("目标设定", "F8"): f"**说明**[链接](http://{EVIL}/n)",
}


def hostile_workbook() -> bytes:
    wb = openpyxl.load_workbook(JIANGSU)
    for (sheet, cell), value in HOSTILE.items():
        wb[sheet][cell] = value
        if isinstance(value, str) and value.startswith("="):
            wb[sheet][cell].data_type = "s"  # the payload as text, as a user would type it
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---- what counts as live markup ------------------------------------------------------------------
LIVE_MD_LINK = re.compile(r"(?<!\\)\]\((?:https?|javascript|data):", re.I)   # [text](url) / ![](url), unescaped
RAW_TAG = re.compile(r"<\s*(script|img|a|iframe|svg|object|embed)\b", re.I)   # a tag, not &lt;tag


def _strings(node: Any) -> Iterator[tuple[str, str, bool]]:
    """(kind, text, html allowed) of every rendered string under an AppTest node."""
    proto = getattr(node, "proto", None)
    kind = getattr(node, "type", "")
    if proto is not None:
        fields = {f.name: v for f, v in proto.ListFields()} if hasattr(proto, "ListFields") else {}
        if kind == "plotly_chart":
            yield "plotly", json.dumps(json.loads(fields.get("spec") or "{}"), ensure_ascii=False), False
        elif kind == "html":
            yield "html", str(fields.get("body", "")), True
        else:
            for name in ("body", "label", "help", "placeholder", "caption"):
                if isinstance(fields.get(name), str):
                    yield f"{kind}.{name}", fields[name], bool(fields.get("allow_html", False))
    for child in getattr(node, "children", {}).values():
        yield from _strings(child)


def live_markup(at: AppTest) -> list[tuple[str, str]]:
    """Every rendered string that would turn the payloads into markup."""
    bad = []
    for kind, text, html_allowed in _strings(at._tree):
        if EVIL not in text and "__xss" not in text:
            continue
        if kind in ("html", "plotly") or html_allowed:
            for m in RAW_TAG.finditer(text):
                bad.append((kind, text[max(0, m.start() - 80):m.end() + 120]))
        if kind not in ("html", "plotly") and LIVE_MD_LINK.search(text):  # Markdown is parsed only here
            bad.append((kind, text[:300]))
        # GFM autolinks a bare http://… or www.… in the text left after escapes are decoded
        if kind not in ("html", "plotly") and re.search(rf"(?:https?://|www\.){re.escape(EVIL)}",
                                                        re.sub(r"\\(.)", r"\1", text), re.I):
            bad.append((kind, text[:300]))
    return bad


def shown(at: AppTest) -> str:
    return "\n".join(text for _, text, _ in _strings(at._tree))


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("redteam_app") / "tracker.sqlite"
    content = hostile_workbook()
    result = read_file(content, "江苏省_hostile.xlsx")
    assert result.readable and "unknown_province" in [p.code for p in result.problems]
    names = set(result.items["name"])
    assert {HOSTILE[("成果清单", "C3")], HOSTILE[("成果清单", "C4")], HOSTILE[("成果清单", "C5")]} <= names
    store = Store(f"sqlite:///{path}")
    store.save_submission(result, content, "江苏省_hostile.xlsx", uploader="redteam", actor="redteam")
    store.close()
    return f"sqlite:///{path}"


@pytest.fixture()
def app(hostile_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", hostile_url)
    monkeypatch.setenv("TRACKER_SAMPLE_DATA", "off")
    monkeypatch.setenv("TRACKER_AUTH", "off")
    return AppTest.from_file("../dashboard.py", default_timeout=180)


@pytest.mark.parametrize("scope", ["江苏省", None], ids=["jiangsu", "national"])
def test_hostile_names_render_as_text_on_every_page(app, scope):
    if scope:
        app.session_state["scope"] = scope
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    seen = []
    for page in PAGES:
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, (page, [e.value for e in app.exception])
        assert live_markup(app) == [], page
        seen.append(shown(app))
    everything = "\n".join(seen)
    if scope:  # the payloads did reach the pages (as text): the test looked at the right thing
        import html

        assert html.escape(HOSTILE[("目标设定", "B8")]) in everything


def test_the_upload_page_quotes_hostile_cells_as_text(app):
    app.run()
    app.switch_page("app_pages/upload.py").run()
    app.file_uploader(key="upload_files").set_value(("江苏省_hostile.xlsx", hostile_workbook(), XLSX)).run()
    assert not app.exception, [e.value for e in app.exception]
    assert live_markup(app) == []
    # the refused province cell is quoted in the problem table: a grid of text cells, never markup
    assert any(EVIL in df.value.to_string() for df in app.dataframe)
