"""The catalog page renders in both languages."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def test_catalog_page_renders_the_national_targets_in_chinese_and_english():
    at = AppTest.from_file("../pages/catalog.py", default_timeout=60).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "制定百项关键标准" in " ".join(table.iloc[:, -1].astype(str))
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Metric catalog"
    assert "Key standards" in at.dataframe[0].value.iloc[:, 1].tolist()
