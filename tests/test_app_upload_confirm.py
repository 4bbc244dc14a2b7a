"""The upload page asks and confirms (issue 12): a file naming no as-of date is stored only after the
officer confirms one (pre-filled with a guess shown as a guess), and before any store the page says
how many rows will be stored and which are skipped, and why."""
from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from streamlit.testing.v1 import AppTest

from ingest_files import item_row, register
from metrics.i18n import t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def app(tmp_path, monkeypatch):
    """The dashboard on an empty store of its own (no sample data)."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.sqlite'}")
    monkeypatch.setenv("TRACKER_SAMPLE_DATA", "off")
    at = AppTest.from_file("../dashboard.py", default_timeout=120).run()
    assert not at.exception
    at.switch_page("app_pages/upload.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def no_as_of_file() -> bytes:
    """Three rows of 广东省 with no as-of date anywhere: two good, one with a bad date, and a 合计 row."""
    total = ["合计", "", "", "", "", "", "", "", "", "", ""]
    return register(item_row(名称="甲技术", 完成日期="2025-03-15"), item_row(名称="乙技术", 完成日期="2025-06-20"),
                    item_row(名称="丙技术", 完成日期="不详"), total)


def test_a_file_without_an_as_of_date_is_stored_only_after_the_officer_confirms_one(app):
    content = no_as_of_file()
    app.file_uploader(key="upload_files").set_value(("进展.xlsx", content, XLSX)).run()
    assert not app.exception
    assert t("app_upload_as_of_missing") in texts(app, "warning")
    # The guess is the latest date in the file, said to be a guess; nothing can be stored yet.
    assert t("app_upload_as_of_guess", date="2025年6月20日") in texts(app, "caption")
    (date_input,) = [d for d in app.date_input if d.label == t("app_upload_as_of_label")]
    assert date_input.value == dt.date(2025, 6, 20)
    assert not any(b.label == t("app_upload_store") for b in app.button)
    date_input.set_value(dt.date(2025, 6, 30)).run()
    next(b for b in app.button if b.label == t("app_upload_as_of_confirm")).click().run()
    assert not app.exception
    assert t("app_upload_as_of_confirmed", date="2025年6月30日") in texts(app, "caption")
    # Said plainly before storing: 2 rows stored, 2 skipped (the bad date and the 合计 row), each listed.
    assert "##### 将保存 2 行，跳过 2 行" in texts(app, "markdown")
    (skipped,) = [d.value for d in app.dataframe if "原因" in d.value.columns]
    assert skipped["Excel 行号"].tolist() == [4, 5]
    assert skipped["工作表"].tolist() == ["成果清单", "成果清单"]
    assert "日期" in skipped["原因"][0] and "合计" in skipped["原因"][1]
    # One row has an error: the officer says they know it stays out before the store button works.
    assert next(b for b in app.button if b.label == t("app_upload_store")).disabled
    (agree,) = [c for c in app.checkbox if c.key.startswith("store_agree_")]
    assert agree.label == "我已知悉：有错误的 1 行不会保存，只保存其余 2 行"
    agree.check().run()
    next(b for b in app.button if b.label == t("app_upload_store")).click().run()
    assert not app.exception
    assert [s for s in texts(app, "success") if re.fullmatch(r"已保存\(报送编号 \d+\)。", s)]
    # The same file once more: said once, with its time as people write it, and no plan of rows to store.
    app.file_uploader(key="upload_files").set_value(("进展（再次）.xlsx", content, XLSX)).run()
    assert t("app_upload_as_of_missing") not in texts(app, "warning")  # no date asked for a stored file
    (same,) = [s for s in texts(app, "info") if "已经上传过" in s]
    assert re.fullmatch(r"这个文件已经上传过\(第 \d+ 号报送,20\d\d-\d\d-\d\d \d\d:\d\d\),无需重复保存。", same), same
    assert not [m for m in texts(app, "markdown") if m.startswith("##### 将保存")]
    from metrics.store import Store

    (sub,) = Store(app_url(app)).history()
    assert str(sub["as_of"])[:10] == "2025-06-30"


def app_url(app: AppTest) -> str:
    """The store the app under test writes (its fixture's DATABASE_URL)."""
    return os.environ["DATABASE_URL"]


def test_the_page_says_in_english_what_will_be_stored(app):
    app.session_state["lang"] = "en"
    content = register(item_row(名称="甲技术"), item_row(名称="乙技术", 状态="拟认定", 完成日期=""))
    app.file_uploader(key="upload_files").set_value(("广东省进展（截至2025年6月30日）.xlsx", content, XLSX)).run()
    assert not app.exception
    assert not [d for d in app.date_input if d.key != "as_of"]  # the file name dates it: nothing to ask
    assert "##### 2 rows will be stored, 0 rows skipped" in texts(app, "markdown")
    # The notes count too: the province and the as-of date were read from the file name.
    assert "##### Validation report: 0 errors, 0 warnings, 2 notes" in texts(app, "markdown")
    next(b for b in app.button if b.label == t("app_upload_store", "en")).click().run()
    assert [s for s in texts(app, "success") if re.fullmatch(r"Stored \(submission \d+\)\.", s)], texts(app, "success")


@pytest.mark.parametrize("lang, report, plan, agree", [
    ("en", "Validation report: 1 error, 0 warnings, 2 notes", "1 row will be stored, 1 row skipped",
     "I understand: 1 row with errors will not be stored; only the other 1 row will"),
    ("zh", "校验报告：1 个错误，0 个提示，2 条说明", "将保存 1 行，跳过 1 行", "我已知悉：有错误的 1 行不会保存，只保存其余 1 行"),
])
def test_a_count_of_one_is_said_in_the_singular(app, lang, report, plan, agree):
    app.session_state["lang"] = lang
    content = register(item_row(名称="甲技术"), item_row(名称="丙技术", 完成日期="不详"))
    app.file_uploader(key="upload_files").set_value(("广东省进展（截至2025年6月30日）.xlsx", content, XLSX)).run()
    assert not app.exception
    assert {f"##### {report}", f"##### {plan}"} <= set(texts(app, "markdown"))
    (box,) = [c for c in app.checkbox if c.key.startswith("store_agree_")]
    assert box.label == agree
    # The summary's region and as-of date in the page's language (not ISO text), wrapped, never cut.
    summary = "\n".join(h.proto.body for h in app.get("html"))
    assert (f">{t('app_col_as_of', lang)}</div>" in summary
            and ("30 June 2025" if lang == "en" else "2025年6月30日") in summary
            and (">Guangdong</div>" if lang == "en" else ">广东省</div>") in summary)


def unnamed_headers_file() -> bytes:
    """A 领军企业 sheet whose name column is headed 企业全称 and with a 所属地市 column: not recognised."""
    from ingest_files import xlsx

    return xlsx({"领军企业": [["湖南省领军企业名单（截至2025年6月30日）"], ["企业全称", "认定时间", "所属地市"],
                            ["甲公司", "2025-03-01", "长沙"], ["乙公司", "2025-04-01", "株洲"]]},
                merged={"领军企业": ["A1:C1"]})


def test_the_officer_maps_unknown_columns_once_and_the_profile_is_applied_to_the_next_upload(app, tmp_path):
    from metrics.mapping import from_yaml, list_profiles, to_yaml
    from metrics.store import Store

    app.file_uploader(key="upload_files").set_value(("领军企业名单.xlsx", unnamed_headers_file(), XLSX)).run()
    assert not app.exception
    assert f"##### {t('app_upload_mapping_title')}" in texts(app, "markdown")
    app.selectbox(key="map_kind_0_领军企业").set_value("items")
    app.selectbox(key="map_0_领军企业_A").set_value("name")
    app.selectbox(key="map_0_领军企业_C").set_value("ignore").run()
    assert "按此映射读取：有效 2 行，无效 0 行。前几行如下：" in texts(app, "caption")  # the live preview
    next(b for b in app.button if b.label == t("app_upload_mapping_save")).click().run()
    assert not app.exception
    (profile,) = list_profiles(Store(app_url(app)))
    assert (profile.province, profile.sheets) == ("", {"领军企业": {"_kind": "items", "企业全称": "name",
                                                                 "认定时间": "date", "所属地市": "ignore"}})
    # Read again at once with the profile, named in a note: the title now gives province and as-of date.
    assert t("app_upload_mapping_applied", profile=profile.name) in texts(app, "info")
    assert "##### 将保存 2 行，跳过 0 行" in texts(app, "markdown")
    assert any(b.proto.label == t("app_upload_mapping_export") for b in app.get("download_button"))
    # The next upload of the same shape (another quarter's file) is read with the profile, no step shown.
    fresh = AppTest.from_file("../dashboard.py", default_timeout=120).run()
    fresh.switch_page("app_pages/upload.py").run()
    fresh.file_uploader(key="upload_files").set_value(("领军企业名单（二）.xlsx", unnamed_headers_file(), XLSX)).run()
    assert not fresh.exception
    assert t("app_upload_mapping_applied", profile=profile.name) in texts(fresh, "info")
    assert f"##### {t('app_upload_mapping_title')}" not in texts(fresh, "markdown")
    # The officer disagrees: the step comes back with the profile's choices, and saving changes it.
    fresh.toggle(key="map_edit_0").set_value(True).run()
    assert fresh.selectbox(key="map_0_领军企业_C").value == "ignore"
    fresh.selectbox(key="map_0_领军企业_C").set_value("note").run()
    next(b for b in fresh.button if b.label == t("app_upload_mapping_save")).click().run()
    assert not fresh.exception
    (changed,) = list_profiles(Store(app_url(app)))
    assert changed.sheets["领军企业"]["所属地市"] == "note"
    assert from_yaml(to_yaml(profile)) == profile


def test_the_officer_names_the_metric_of_a_sheet_whose_name_and_columns_do_not(app):
    """A sheet named 名单 with 单位名称 and 认定时间 only: the mapping step says which metric it holds."""
    from ingest_files import xlsx

    content = xlsx({"名单": [["广东省名单（截至2025年6月30日）"], ["单位名称", "认定时间"], ["甲公司", "2025-03-01"]]})
    app.file_uploader(key="upload_files").set_value(("名单.xlsx", content, XLSX)).run()
    assert not app.exception
    app.selectbox(key="map_kind_0_名单").set_value("items").run()
    app.selectbox(key="map_metric_0_名单").set_value("enterprise").run()
    assert "按此映射读取：有效 1 行，无效 0 行。前几行如下：" in texts(app, "caption")
    next(b for b in app.button if b.label == t("app_upload_mapping_save")).click().run()
    assert not app.exception
    assert "##### 将保存 1 行，跳过 0 行" in texts(app, "markdown")


@pytest.mark.parametrize("lang, expected", [
    ("en", [("Added", "Item register", "Guangdong", "Frontier key core technologies", "丙技术", ""),
            ("Removed", "Item register", "Guangdong", "Frontier key core technologies", "乙技术", ""),
            ("Changed", "Item register", "Guangdong", "Frontier key core technologies", "甲技术", "Completion date, Date precision, Status")]),
    ("zh", [("新增", "成果清单", "广东省", "前沿关键核心技术", "丙技术", ""),
            ("删除", "成果清单", "广东省", "前沿关键核心技术", "乙技术", ""),
            ("修改", "成果清单", "广东省", "前沿关键核心技术", "甲技术", "完成日期、日期精度、状态")]),
])
def test_the_changes_preview_names_change_region_metric_and_fields_in_the_pages_language(app, lang, expected):
    name = "广东省进展（截至2025年6月30日）.xlsx"
    app.file_uploader(key="upload_files").set_value(
        (name, register(item_row(名称="甲技术"), item_row(名称="乙技术")), XLSX)).run()
    next(b for b in app.button if b.label == t("app_upload_store")).click().run()
    assert not app.exception
    assert [s for s in texts(app, "success") if re.fullmatch(r"已保存\(报送编号 \d+\)。", s)]
    app.session_state["lang"] = lang
    again = register(item_row(名称="甲技术", 状态="拟认定", 完成日期=""), item_row(名称="丙技术"))
    app.file_uploader(key="upload_files").set_value(("广东省进展（截至2025年9月30日）.xlsx", again, XLSX)).run()
    assert not app.exception
    (changes,) = [d.value for d in app.dataframe if t("app_col_change", lang) in d.value.columns]
    cols = [t(k, lang) for k in ("app_col_change", "app_col_table", "app_col_province", "app_col_metric",
                                 "app_col_name", "app_col_fields")]
    assert [tuple(r) for r in changes[cols].itertuples(index=False)] == expected


def test_a_file_with_no_valid_row_yet_previews_no_removals_and_no_first_rows(app):
    """Before its columns are mapped, a file has no valid row: the page does not list every stored row of the
    province as "removed", and the mapping preview does not announce first rows it has none of."""
    app.session_state["lang"] = "en"
    app.file_uploader(key="upload_files").set_value(("领军企业名单.xlsx", unnamed_headers_file(), XLSX)).run()
    assert not app.exception
    captions = texts(app, "caption")
    assert "Read with this mapping: 0 valid rows, 2 invalid rows." in captions
    assert "The file has no valid row to store, so storing it would change nothing." in captions
    assert not [d for d in app.dataframe if t("app_col_change", "en") in d.value.columns]
    app.selectbox(key="map_kind_0_领军企业").set_value("items")
    app.selectbox(key="map_0_领军企业_A").set_value("name").run()
    assert "Read with this mapping: 2 valid rows, 0 invalid rows. The first rows:" in texts(app, "caption")
