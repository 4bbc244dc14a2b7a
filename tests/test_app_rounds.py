"""The 报送轮次 page and the returned comment on the upload and history pages (issue 13), AppTest."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from metrics import rounds
from metrics.i18n import t
from metrics.store import Store
from tests.store_fixtures import content_of, make_result


@pytest.fixture
def board_url(tmp_path) -> tuple[str, int, int]:
    url = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    store = Store(url)
    rounds.add_round(store, "2025年第四季度", dt.date(2025, 12, 31), dt.date(2099, 1, 15))
    ids = []
    for province in ("广东省", "江苏省"):
        result = make_result(province, as_of=dt.date(2025, 12, 31), file=f"{province}.xlsx")
        ids.append(store.save_submission(result, content_of(result), result.file).submission_id)
    rounds.review(store, ids[0], "approved", "好")
    rounds.review(store, ids[1], "returned", "成果清单缺少日期", [{"sheet": "成果清单", "row": 3, "text": "日期为空"}])
    return url, ids[0], ids[1]


def open_page(url: str, page: str, monkeypatch, lang: str = "zh", scope: str | None = None) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_SAMPLE_DATA", "off")
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    if scope:
        at.session_state["scope"] = scope
    return at.switch_page(page).run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_board_lists_every_region_with_its_state(board_url, monkeypatch, lang):
    url, gd, js = board_url
    at = open_page(url, "app_pages/rounds.py", monkeypatch, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t("rounds_page_title", lang)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {t("rounds_state_not_submitted", lang): "35", t("rounds_state_submitted", lang): "0",
                       t("rounds_state_overdue", lang): "0", t("rounds_state_returned", lang): "1",
                       t("rounds_state_approved", lang): "1"}
    board = at.dataframe[0].value
    assert len(board) == 37
    states = dict(zip(board[t("rounds_col_region", lang)], board[t("rounds_col_state", lang)]))
    assert (states["广东省"], states["江苏省"]) == (t("rounds_state_approved", lang), t("rounds_state_returned", lang))


@pytest.mark.parametrize("page", ["app_pages/upload.py", "app_pages/history.py"])
def test_the_returned_province_sees_the_comment(board_url, monkeypatch, page):
    url, gd, js = board_url
    at = open_page(url, page, monkeypatch, "zh", scope="江苏省")
    assert not at.exception, [e.value for e in at.exception]
    warnings = "\n".join(w.value for w in at.warning)
    assert "成果清单缺少日期" in warnings and "成果清单 第 3 行:日期为空" in warnings
    other = open_page(url, page, monkeypatch, "zh", scope="广东省")
    assert "成果清单缺少日期" not in "\n".join(w.value for w in other.warning)


def dashboard_run(url: str, monkeypatch, approved: bool) -> AppTest:
    """The app's first page on the store at ``url``, with the approved-only choice set."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_SAMPLE_DATA", "off")
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    at.session_state["approved_only"] = approved
    return at.run()


@pytest.mark.parametrize("approved, provinces, note_shown", [
    (False, ["广东省", "江苏省"], True),
    (True, ["广东省"], False),
])
def test_approved_only_choice_changes_national_figures_and_the_note(board_url, monkeypatch, approved, provinces,
                                                                    note_shown):
    url, gd, js = board_url
    at = dashboard_run(url, monkeypatch, approved)
    assert not at.exception, [e.value for e in at.exception]
    captions = "\n".join(c.value for c in at.sidebar.caption)
    assert ("含未审核数据" in captions) is note_shown
    from app_support import data  # the same cached loader the pages use, with the same choice

    assert sorted(data._dataset(url, data.revision(), None, approved).items["province"].unique()) == provinces


def test_the_board_shows_submission_and_review_times_in_beijing_time(board_url, monkeypatch):
    from zoneinfo import ZoneInfo

    url, gd, js = board_url
    monkeypatch.delenv("TRACKER_TIMEZONE", raising=False)
    row = next(r for r in rounds.coverage(Store(url), "2025年第四季度", dt.datetime.now(dt.timezone.utc))
               if r.region == "广东省")
    beijing = lambda iso: dt.datetime.fromisoformat(iso).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")  # noqa: E731
    at = open_page(url, "app_pages/rounds.py", monkeypatch, "zh")
    board = at.dataframe[0].value.set_index(t("rounds_col_region", "zh"))
    assert board.loc["广东省", t("rounds_col_submitted_at", "zh")] == beijing(row.submitted_at)
    assert board.loc["广东省", t("calendar2_col_reviewed_at", "zh")] == beijing(row.reviewed_at)
    utc = dt.datetime.fromisoformat(row.submitted_at).astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
    assert board.loc["广东省", t("rounds_col_submitted_at", "zh")] != utc  # 8 hours ahead of UTC
    assert board.loc["西藏自治区", t("rounds_col_submitted_at", "zh")] == ""
    assert board.loc["西藏自治区", t("rounds_col_submission", "zh")] == ""  # blank, not "None"
    assert board.loc["广东省", t("rounds_col_submission", "zh")] == str(gd)


@pytest.mark.parametrize("approved, note_shown", [(False, True), (True, False)])
def test_every_chart_on_a_page_says_when_it_includes_unreviewed_data(board_url, monkeypatch, approved, note_shown):
    import json

    url, gd, js = board_url
    at = dashboard_run(url, monkeypatch, approved)
    charts = []
    # Each tab of the page is drawn when opened: open every one.
    for tab in ("app_tab_regions", "side_by_side", "app_compare_heatmap", "app_compare_ranking"):
        at.session_state["compare_tab"] = tab
        at.switch_page("app_pages/compare.py").run()
        assert not at.exception, [e.value for e in at.exception]
        charts += [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    # the tile map, the heat map and the ranking (the side-by-side has a chart when its regions have a percent)
    assert len(charts) >= 3
    subtitles = [c["layout"].get("title", {}).get("subtitle", {}).get("text", "") for c in charts]
    assert all(("含未审核数据" in s) is note_shown for s in subtitles), subtitles


@pytest.mark.parametrize("pick_other", [False, True])
def test_the_upload_page_files_the_workbook_under_the_round_picked(tmp_path, monkeypatch, pick_other):
    from pathlib import Path

    import sqlalchemy as sa

    from metrics.schema import submissions

    url = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    store = Store(url)
    rounds.add_round(store, "2026年第三季度", dt.date(2026, 9, 30), dt.date(2099, 10, 15))
    rounds.add_round(store, "2026年第四季度", dt.date(2026, 12, 31), dt.date(2099, 1, 15))
    closed = rounds.add_round(store, "2026年上半年", dt.date(2026, 6, 30), dt.date(2026, 7, 15))
    rounds.close_round(store, closed.name)
    sample = Path(__file__).resolve().parents[1] / "sample_data" / "示例数据_江苏省_进展填报.xlsx"  # as of 2026-09-30
    at = open_page(url, "app_pages/upload.py", monkeypatch, "zh")
    at.file_uploader(key="upload_files").set_value(
        (sample.name, sample.read_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    assert not at.exception, [e.value for e in at.exception]
    picker = at.selectbox(key="upload_round_0")
    assert picker.value == "2026年第三季度"  # the open round of the file's as-of date
    assert picker.options == [t("calendar2_round_not_chosen", "zh"),  # open rounds, newest first; no closed one
                              "2026年第四季度（截至2026年12月31日，2099年1月15日前报送）",
                              "2026年第三季度（截至2026年9月30日，2099年10月15日前报送）"]
    chosen = "2026年第四季度" if pick_other else "2026年第三季度"
    if pick_other:
        picker.set_value(chosen).run()
    next(b for b in at.button if b.label == t("app_upload_store", "zh")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    with store.engine.connect() as conn:
        (sid, picked), = conn.execute(sa.select(submissions.c.id, submissions.c.round_name)).all()
    assert picked == chosen
    assert f"已归入报送轮次“{chosen}”：报送编号 {sid}。" in [s.value for s in at.success]
    board = {r.region: r.state for r in rounds.coverage(store, chosen, dt.datetime.now(dt.timezone.utc))}
    assert board["江苏省"] == "submitted"
    assert any(a["action"] == "round_assign" for a in store.audit())


def test_the_default_round_covers_the_files_as_of_date():
    from app_support.round_picker import default_round

    q3 = rounds.Round("2026年第三季度", dt.date(2026, 9, 30), dt.date(2026, 10, 15), [])
    q4 = rounds.Round("2026年第四季度", dt.date(2026, 12, 31), dt.date(2027, 1, 15), [])
    assert default_round([q4, q3], dt.date(2026, 9, 30)) is q3  # the round of that very date
    assert default_round([q4, q3], dt.date(2026, 11, 30)) is q4  # the next round to report
    assert default_round([q4, q3], dt.date(2026, 8, 31)) is q3
    assert default_round([q4, q3], dt.date(2027, 3, 31)) is None and default_round([q4], None) is None
