"""A page's sections as tabs drawn only while open (app_support.sections, issue 17)."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from metrics.i18n import t


def script():
    import streamlit as st

    from app_support.sections import draw_sections

    def broken():
        raise ZeroDivisionError("boom")

    opened = draw_sections("demo_tab", [("app_gaps_tab_progress", lambda: st.write("progress drawn")),
                                        ("app_gaps_breakdown", broken),
                                        ("app_gaps_items", lambda: st.write("items drawn"))])
    st.write(f"open: {opened}")


def drawn(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


@pytest.mark.parametrize("stored, expected", [
    (None, ["progress drawn", "open: app_gaps_tab_progress"]),  # a new session: the first tab
    ("app_gaps_items", ["items drawn", "open: app_gaps_items"]),  # a link or a test opens another
    ("no_such_tab", ["progress drawn", "open: app_gaps_tab_progress"]),  # an unknown one: the first
])
def test_only_the_open_tab_is_drawn(stored, expected):
    at = AppTest.from_function(script, default_timeout=30)
    if stored:
        at.session_state["demo_tab"] = stored
    at.run()
    assert not at.exception
    assert drawn(at) == expected
    assert [tab.label for tab in at.tabs] == [t(k, "zh") for k in ("app_gaps_tab_progress", "app_gaps_breakdown",
                                                                   "app_gaps_items")]


def test_the_open_tab_stays_open_when_the_language_is_switched():
    at = AppTest.from_function(script, default_timeout=30)
    at.session_state["demo_tab"] = "app_gaps_items"
    at.run()
    at.session_state["lang"] = "en"
    at.run()
    assert drawn(at) == ["items drawn", "open: app_gaps_items"]
    assert at.tabs[2].label == "Items counted"


def test_a_section_that_fails_says_so_in_its_tab_and_the_page_goes_on():
    at = AppTest.from_function(script, default_timeout=30)
    at.session_state["demo_tab"] = "app_gaps_breakdown"
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("app_error", "zh", where=t("app_gaps_breakdown", "zh"),
                                             kind="ZeroDivisionError")]
    assert drawn(at) == ["open: app_gaps_breakdown"]


def sidebar_script():
    import datetime as dt

    import streamlit as st

    from app_support.session import draw_sidebar

    draw_sidebar(dt.date(2026, 9, 30))
    st.write(f"as of {st.session_state['as_of']}")


@pytest.mark.parametrize("lang, approved, label", [
    ("zh", False, "统计截止日期 2026-09-30"),
    ("zh", True, "统计截止日期 2026-09-30 · 仅已审核"),
    ("en", True, "As-of date 2026-09-30 · approved only"),
])
def test_the_sidebar_names_the_date_and_the_approved_only_choice_on_its_closed_popover(lang, approved, label,
                                                                                        tmp_path, monkeypatch):
    """The date field sits in a popover (its script chunks load when opened); the label says its value."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.sqlite'}")
    at = AppTest.from_function(sidebar_script, default_timeout=30)
    at.session_state["lang"] = lang
    at.session_state["approved_only"] = approved
    at.run()
    assert not at.exception
    assert [p.proto.popover.label for p in at.sidebar if p.type == "popover"] == [label]
    assert at.date_input(key="as_of").value.isoformat() == "2026-09-30"
    at.date_input(key="as_of").set_value(dt.date(2026, 12, 31)).run()
    assert [m.value for m in at.markdown] == ["as of 2026-12-31"]
    assert label.replace("2026-09-30", "2026-12-31") in [p.proto.popover.label for p in at.sidebar
                                                          if p.type == "popover"]
