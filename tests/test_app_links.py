"""Shareable links: the URL's view is opened, bad values are ignored with a note, the URL follows the pickers."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from app_support.links import parse_link
from metrics.i18n import t
from test_app_pages import sample_url  # noqa: F401 - fixture

AS_OF = "2026-12-01"


@pytest.mark.parametrize("params, view, bad", [
    ({}, {}, []),
    ({"lang": "en", "scope": "national"}, {"lang": "en", "scope": "national"}, []),
    ({"scope": "广东省"}, {"scope": "广东省"}, []),
    ({"scope": "Guangdong"}, {"scope": "广东省"}, []),        # an English name or alias resolves
    ({"scope": "火星"}, {}, [("scope", "火星")]),
    ({"lang": "fr"}, {}, [("lang", "fr")]),
    ({"as_of": "2026-12-01"}, {"as_of": dt.date(2026, 12, 1)}, []),
    ({"as_of": "2026-13-01"}, {}, [("as_of", "2026-13-01")]),
    ({"as_of": "1999-01-01"}, {}, [("as_of", "1999-01-01")]),  # outside the sidebar's range
    ({"deadline": "2027-12-31"}, {"link_deadline": dt.date(2027, 12, 31)}, []),
    ({"metric": "no_such_metric"}, {}, [("metric", "no_such_metric")]),
])
def test_a_link_is_read_into_a_view_and_bad_values_are_named(params, view, bad):
    assert parse_link(params) == (view, bad)


def open_link(url: str, monkeypatch: pytest.MonkeyPatch, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_SAMPLE_DATA", "on")
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def test_a_link_opens_its_language_scope_date_and_target(sample_url, monkeypatch):
    from metrics.catalog import load_catalog

    metric = load_catalog().all_metrics[2].id  # not the picker's default (its first numeric target)
    at = open_link(sample_url, monkeypatch, "", lang="en", scope="national", as_of=AS_OF, metric=metric)
    assert not at.exception
    assert at.session_state["lang"] == "en" and at.session_state["as_of"] == dt.date(2026, 12, 1)
    at.switch_page("app_pages/gaps.py").run()
    assert not at.exception
    assert at.query_params["metric"] == [metric] or at.query_params["metric"] == metric
    assert at.title[0].value == t("app_page_gaps", "en")


def test_a_bad_link_value_is_ignored_with_a_note_and_the_rest_is_used(sample_url, monkeypatch):
    at = open_link(sample_url, monkeypatch, "", lang="en", scope="火星", as_of="yesterday")
    assert not at.exception
    notes = [i.value for i in at.info if "scope=火星" in i.value]
    assert notes == [t("app_link_ignored", "en", values="scope=火星, as_of=yesterday")]
    assert at.session_state["lang"] == "en" and at.session_state["scope"] == "national"


def test_changing_a_picker_updates_the_url(sample_url, monkeypatch):
    at = open_link(sample_url, monkeypatch, "", lang="zh")
    at.session_state["scope"] = "广东省"
    at.run()
    assert at.query_params["scope"] in ("广东省", ["广东省"])
    assert at.query_params["lang"] in ("zh", ["zh"])
