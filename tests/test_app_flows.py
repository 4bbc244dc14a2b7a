"""What users do on the pages: pick scope and date, pick a target, search, upload and store a file,
delete and undo, build a report, clear the sample data — and what the error boundary shows."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.i18n import t

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
FLAWED = SAMPLES / "示例数据_问题示例_校验演示.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AS_OF = dt.date(2026, 12, 1)  # the fixed clock: today in the project's story (the figures below are as of it)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    """A SQLite file holding the sample data as the app stores it on first start (built once)."""
    from app_support.data import load_samples
    from metrics.store import Store

    path = tmp_path_factory.mktemp("samples") / "tracker.sqlite"
    store = Store(f"sqlite:///{path}")
    assert load_samples(store) == 6
    store.close()  # checkpoints the WAL into the file, so a plain copy holds everything
    return path


@pytest.fixture()
def app(sample_store, tmp_path, monkeypatch):
    """The dashboard on its own copy of the sample store (tests change it)."""
    shutil.copyfile(sample_store, tmp_path / "tracker.sqlite")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.sqlite'}")
    monkeypatch.setenv("TRACKER_SAMPLE_DATA", "off")
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    at.session_state["as_of"] = AS_OF
    at.run()
    assert not at.exception
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cards(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def test_the_scope_picker_and_the_as_of_date_change_the_cards(app):
    national = cards(app)
    # As of 2026-12-01 the 2025 deadline has passed: tech is reported as it ended, what came after apart.
    assert "44 / 100 项" in national and "完成 44 / 100 项，未完成。此后新增 25 项。" in national
    app.session_state["scope"] = "江苏省"
    app.run()
    assert app.caption[0].value.startswith("江苏省")
    jiangsu = cards(app)  # the province's own 2026 target, 11 months into its 12
    assert "10 / 100 项" in jiangsu and "时间进度 97.2%" in jiangsu and "44 / 100 项" not in jiangsu
    app.session_state["scope"] = "national"
    app.session_state["as_of"] = dt.date(2025, 3, 31)
    app.run()
    assert not app.exception
    assert "2025年3月31日" in app.caption[0].value
    march = cards(app)  # before the deadline: pace and gap, no "reported as it ended"
    assert "22 / 100 项" in march and "完成 22% · 时间进度 61.4% · 较时间进度 −39.4 项" in march
    assert "未完成" not in march


def test_the_gaps_page_follows_the_chosen_target_and_search_narrows_the_items(app):
    goto(app, "gaps")
    first = cards(app)  # the figures row (wrapping HTML, not st.metric: values are never cut)
    assert "44 项" in first  # tech by 2025-12-31: a passed deadline shows the value it ended at, not today's 69
    titles = [s["layout"]["title"]["text"] for s in chart_specs(app)]
    assert any("前沿关键核心技术" in x for x in titles)
    assert any("数据截至" in s["layout"]["title"]["subtitle"]["text"] for s in chart_specs(app))
    assert not [c for c in texts(app, "caption") if c.startswith("显示")]  # the items are a tab away, not drawn
    app.session_state["gaps_tab"] = "app_gaps_items"
    app.run()
    assert [c for c in texts(app, "caption") if c.startswith("显示")] == ["显示 69 / 69 条"]
    app.session_state["gaps_target"] = 3
    app.run()
    assert "34 项" in cards(app) and "44 项" not in cards(app)  # flagship products by 2025-12-31
    assert [c for c in texts(app, "caption") if c.startswith("显示")] == ["显示 58 / 58 条"]
    app.text_input(key="gaps_search").input("不可能出现的词").run()
    assert [c for c in texts(app, "caption") if c.startswith("显示")] == ["显示 0 / 58 条"]


def test_the_compare_page_switches_between_percent_and_contribution(app):
    goto(app, "compare")
    assert [s["layout"]["title"]["text"] for s in chart_specs(app)] == [t("tile_title")]  # the first tab only
    app.session_state["compare_tab"] = "app_compare_heatmap"
    app.run()
    heat = (t("chart_heatmap_percent_title"), t("chart_heatmap_contribution_percent_title"))

    def heatmap_title() -> str:
        return [s["layout"]["title"]["text"] for s in chart_specs(app) if s["layout"]["title"]["text"] in heat][0]

    before = heatmap_title()
    app.radio(key="compare_value__zh").set_value("contribution_percent").run()
    after = heatmap_title()
    assert before == heat[0] and after == heat[1]
    assert len(chart_specs(app)) == 1  # the heat map's tab alone


def test_an_upload_is_checked_previewed_stored_and_recognised_when_sent_again(app):
    goto(app, "upload")
    uploader = app.file_uploader(key="upload_files")
    uploader.set_value((FLAWED.name, FLAWED.read_bytes(), XLSX)).run()
    assert not app.exception
    report = app.dataframe[1].value
    assert {"工作表", "Excel 行号", "列", "填写内容", "问题", "修改建议"} <= set(report.columns)
    assert len(report) > 0 and report["Excel 行号"].notna().any()
    counts = app.dataframe[0].value
    assert (counts["有效行"] + counts["无效行"] + counts["空行"] == counts["合计"]).all()
    assert any(b.label == t("app_upload_annotated") for b in app.download_button)
    assert any(c.startswith("新增") for c in texts(app, "caption"))  # the preview of changes
    # The file has errors: storing waits until the officer says they know those rows stay out.
    store_button = next(b for b in app.button if b.label == t("app_upload_store"))
    assert store_button.disabled
    (agree,) = [c for c in app.checkbox if c.key.startswith("store_agree_")]
    assert agree.label.startswith("我已知悉：有错误的") and "行不会保存" in agree.label
    agree.check().run()
    store_button = next(b for b in app.button if b.label == t("app_upload_store"))
    assert not store_button.disabled
    store_button.click().run()
    assert not app.exception
    assert any("已保存" in s for s in texts(app, "success"))
    app.run()
    assert any("已经上传过" in i for i in texts(app, "info"))
    goto(app, "history")
    assert FLAWED.name in app.dataframe[0].value["文件名"].tolist()


def test_a_file_that_is_not_a_workbook_is_refused_with_a_clear_message_despite_its_name(app):
    goto(app, "upload")
    app.file_uploader(key="upload_files").set_value(("进展表.xlsx", b"%PDF-1.4 not a workbook", XLSX)).run()
    assert not app.exception
    (error,) = texts(app, "error")
    assert error.startswith("无法读取该文件")
    assert not any(b.label == t("app_upload_store") for b in app.button)


def test_a_deleted_submission_comes_back_with_undo(app):
    goto(app, "history")
    current = app.dataframe[0].value
    chosen = app.selectbox(key="history_chosen").value
    app.button(key="history_delete").click().run()
    assert any(str(chosen) in w for w in texts(app, "warning"))  # asks for confirmation first
    app.button(key="history_delete_yes").click().run()
    assert not app.exception
    states = app.dataframe[0].value.set_index("报送编号")["状态"]
    assert states[chosen] == t("app_state_deleted")
    app.button(key="history_undo_button").click().run()
    assert app.dataframe[0].value.set_index("报送编号")["状态"][chosen] == t("app_state_current")
    assert len(app.dataframe[0].value) == len(current)


def test_a_report_is_built_for_the_chosen_scope_language_and_format(app):
    goto(app, "report")
    app.selectbox(key="report_scope_zh").set_value("江苏省")
    app.radio(key="report_lang").set_value("en")
    app.radio(key="report_format").set_value("html")
    app.button(key="report_build").click().run()
    assert not app.exception
    # The report builds in a background thread; the page polls it (rerun here until it is done).
    for _ in range(120):
        if app.download_button:
            break
        time.sleep(0.5)
        app.run()
    (button,) = app.download_button
    assert button.label.endswith("_en.html") and "江苏省" in button.label


def test_report_findings_are_prefilled_saved_and_reloaded_for_the_scope(app):
    goto(app, "report")
    app.selectbox(key="report_scope_zh").set_value("江苏省").run()
    as_of = app.date_input(key="report_as_of").value
    key = f"finding_notes_江苏省_{as_of.isoformat()}_zh"
    assert app.text_area(key=key).value.startswith("本报告依据")  # generated first draft
    app.text_area(key=key).input("=本期数据经省级审核。")
    app.button(key="findings_save").click().run()
    assert not app.exception and any("已保存" in s for s in texts(app, "success"))
    from metrics.findings import load_findings
    from metrics.store import Store

    import os

    saved = load_findings(Store(os.environ["DATABASE_URL"]), as_of.isoformat(), "江苏省", "zh")
    assert saved.texts["notes"] == "=本期数据经省级审核。"


def test_clearing_the_sample_data_removes_the_banner_and_the_rows(app):
    assert any("示例数据" in w for w in texts(app, "warning"))
    app.button(key="clear_samples").click().run()
    assert t("rounds_confirm_clear_samples") in texts(app, "warning")  # asks before dropping anything
    app.button(key="clear_samples_no").click().run()
    assert any("示例数据" in w for w in texts(app, "warning")) and "clear_samples" in [b.key for b in app.button]
    app.button(key="clear_samples").click().run()
    app.button(key="clear_samples_yes").click().run()
    assert not app.exception
    assert not any("示例数据" in w for w in texts(app, "warning"))
    goto(app, "history")
    assert t("app_history_empty") in texts(app, "info")


def test_the_error_boundary_shows_a_message_instead_of_a_traceback(monkeypatch):
    def script():
        from app_support.errors import error_boundary

        with error_boundary("app_page_gaps"):
            raise ZeroDivisionError("boom")
        import streamlit as st

        st.write("after")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    assert texts(at, "error") == [t("app_error", where=t("app_page_gaps"), kind="ZeroDivisionError")]
    assert texts(at, "markdown") == ["after"]
