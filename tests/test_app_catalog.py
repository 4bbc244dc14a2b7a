"""The catalog page renders in both languages, with provincial targets beside the national ones."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from metrics.ingest import read_file
from metrics.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def test_catalog_page_renders_the_national_targets_in_chinese_and_english(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.sqlite'}")
    at = AppTest.from_file("../app_pages/catalog.py", default_timeout=60).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "制定百项关键标准" in " ".join(table.iloc[:, -1].astype(str))
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Metric catalog"
    assert "Key standards" in at.dataframe[0].value.iloc[:, 1].tolist()


def test_provincial_overlays_stand_beside_the_national_targets(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    path = SAMPLES / "示例数据_江苏省_进展填报.xlsx"
    Store(url).save_submission(read_file(path), path.read_bytes(), path.name)
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file("../app_pages/catalog.py", default_timeout=60).run()
    assert not at.exception
    overlays = at.dataframe[1].value
    assert list(overlays.columns[3:]) == ["全国", "江苏省"]
    tech = overlays[(overlays["指标"] == "前沿关键核心技术")]
    assert tech["全国"].tolist()[0] == "100" and "100项" in tech["江苏省"].tolist()
    at.session_state["scope"] = "广东省"
    at.run()
    assert list(at.dataframe[1].value.columns[3:]) == ["全国"]
