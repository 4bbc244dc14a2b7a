"""Mapping profiles (issue 12 point 2): YAML round trip, one profile per province and shape, applied
by ``read_file`` with a note naming it."""
from __future__ import annotations

import datetime as dt

import pytest

from ingest_files import xlsx
from metrics.ingest import read_file
from metrics.mapping import Mapping, MappingError, find_profile, from_yaml, list_profiles, save_profile, to_yaml
from metrics.store import Store

TODAY = dt.date(2026, 12, 1)
SHEETS = {"领军企业": {"_kind": "items", "企业全称": "name", "所属地市": "ignore"}}


def workbook() -> bytes:
    return xlsx({"领军企业": [["湖南省领军企业名单（截至2025年6月30日）"], ["企业全称", "认定时间", "所属地市"],
                            ["甲公司", "2025-03-01", "长沙"], ["乙公司", "2025-04-01", "株洲"]]})


def test_yaml_round_trip_and_bad_files() -> None:
    m = Mapping("湖南领军企业", SHEETS, "湖南省", "abc")
    text = to_yaml(m)
    assert "企业全称: name" in text and from_yaml(text) == m
    with pytest.raises(MappingError) as e:
        from_yaml("- a list\n")
    assert e.value.code == "mapping_no_sheets"
    with pytest.raises(MappingError) as e:
        from_yaml("sheets:\n  领军企业: 3\n")
    assert (e.value.code, e.value.params) == ("mapping_no_columns", {"sheet": "领军企业"})


def test_one_profile_per_province_and_shape_saved_again_overwrites(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    save_profile(store, Mapping("第一版", SHEETS, "湖南省", "sig1"), by="张三")
    save_profile(store, Mapping("第二版", SHEETS, "湖南省", "sig1"), by="张三")
    save_profile(store, Mapping("广东", SHEETS, "广东省", "sig1"))
    assert [(p.province, p.name) for p in list_profiles(store)] == [("广东省", "广东"), ("湖南省", "第二版")]
    assert find_profile(store, "湖南省", "sig1").name == "第二版"
    assert find_profile(store, "湖南省", "other") is None and find_profile(store, None, "sig1") is None
    assert [a["action"] for a in store.audit()].count("mapping_save") == 3


def test_the_profile_reads_the_columns_and_a_note_names_it() -> None:
    before = read_file(workbook(), "名单.xlsx", today=TODAY)
    assert (before.row_counts.valid, [c["header"] for c in before.unmapped]) == (0, ["企业全称", "认定时间", "所属地市"])
    after = read_file(workbook(), "名单.xlsx", today=TODAY,
                      mapping=Mapping("湖南领军企业", SHEETS, "湖南省", before.shape_signature))
    assert after.shape_signature == before.shape_signature  # the shape is known before the mapping
    assert after.row_counts.to_dict() == {"total": 2, "valid": 2, "invalid": 0, "blank": 0, "skipped": 0}
    assert after.items["name"].tolist() == ["甲公司", "乙公司"] and after.unmapped == []
    (note,) = [p for p in after.problems if p.code == "mapping_applied"]
    assert (note.severity, note.message) == ("info", "工作表“领军企业”按映射方案“湖南领军企业”读取了 2 列。")
    assert after.mapping_profile == "湖南领军企业"


def test_a_profile_made_for_another_shape_is_applied_with_a_warning() -> None:
    result = read_file(workbook(), "名单.xlsx", today=TODAY, mapping=Mapping("旧方案", SHEETS, "湖南省", "another"))
    assert result.row_counts.valid == 2
    (warning,) = result.warnings
    assert (warning.code, warning.message_en) == ("mapping_other_shape", "The mapping profile '旧方案' was saved for "
                                                  "another workbook shape (other sheet names or headers); check the "
                                                  "columns read with it.")


def test_the_cli_lists_and_exports_stored_profiles(tmp_path, capsys) -> None:
    import json

    from metrics.cli import main

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    save_profile(Store(url), Mapping("湖南领军企业", SHEETS, "湖南省", "sig1"))
    assert main(["mappings", "--db", url, "--json", "--province", "湖南"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"name": "湖南领军企业", "province": "湖南省", "signature": "sig1",
                                                   "sheets": SHEETS}]
    out = tmp_path / "p.yaml"
    assert main(["mappings", "--db", url, "--export", "湖南领军企业", "--out", str(out)]) == 0
    assert from_yaml(out.read_text(encoding="utf-8")) == Mapping("湖南领军企业", SHEETS, "湖南省", "sig1")
    assert main(["mappings", "--db", url, "--export", "无此方案"]) == 2
    assert "无此方案" in capsys.readouterr().err
