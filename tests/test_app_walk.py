"""The walk: every page × zh/en × {empty, sample, large store} × every option of every picker.

The options are not listed here: they are read from the widgets the page draws (the sidebar's scope
picker, a page's target / deadline / metric pickers — any ``choice`` widget, whose key ends in the
language), so a new metric, region, deadline or picker is walked without editing this test. A view
fails on an exception, on the error boundary's message, or on an error logged by a page section.

Breadth is bounded so the run stays short: the scopes walked are national, every region with data and
one region without (all regions without data take one path); on the sample store every option of every
picker in each of them; on the large store national and two regions, each picker's first and last option.
"""
from __future__ import annotations

import datetime as dt
import logging

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Radio, Selectbox

from metrics.catalog import load_catalog
from metrics.i18n import LANGS, t
from test_app_pages import PAGES, empty_url, large_url, open_app, sample_url  # noqa: F401 - fixtures

AS_OF = dt.date(2026, 12, 1)  # the fixed clock: today in the project's story
BOUNDARY = t("app_error", "zh", where="\x00", kind="\x00").split("\x00")[0]  # the message's fixed opening
BOUNDARY_EN = t("app_error", "en", where="\x00", kind="\x00").split("\x00")[0]
SIDEBAR_SCOPE = "scope"


def choice_widgets(at: AppTest) -> list[tuple[str, str, int]]:
    """(kind, key, number of options) of every language-keyed picker on the page (``session.choice``),
    the sidebar's scope picker excluded (it is walked as the scope)."""
    found = []
    for kind in ("selectbox", "radio"):
        for w in getattr(at, kind):
            base, _, lang = (w.key or "").rpartition("__")
            if lang in LANGS and base and base != SIDEBAR_SCOPE:
                found.append((kind, w.key, len(w.options)))
    return found


class _PickedRadio(Radio):
    """A radio set to its option number ``picked``: the browser sends the option's label, which is
    what this widget state carries (AppTest's ``set_value`` wants the raw value, unknown to the walk)."""

    picked: int = 0

    @property
    def _widget_state(self) -> WidgetState:
        ws = WidgetState()
        ws.id = self.id
        ws.string_value = self.options[self.picked]
        return ws


def pick(widget: Selectbox | Radio, i: int) -> None:
    """Choose option number ``i`` as a user would."""
    if isinstance(widget, Selectbox):
        widget.select_index(i)
    else:
        widget.__class__ = _PickedRadio
        widget.picked = i


def problems_of(at: AppTest, records: list[logging.LogRecord]) -> list[str]:
    """What went wrong in the last run: exceptions, boundary messages and page sections' logged errors."""
    out = [f"exception: {e.value}" for e in at.exception]
    out += [f"boundary: {e.value}" for e in at.error
            if str(e.value).startswith(BOUNDARY) or str(e.value).startswith(BOUNDARY_EN)]
    out += [f"logged: {r.getMessage()}" for r in records
            if r.levelno >= logging.ERROR and r.name.startswith("tracker")]
    return out


def walk(at: AppTest, page: str, lang: str, scopes: list[str], caplog: pytest.LogCaptureFixture,
         every_option: bool = True) -> tuple[list[str], int]:
    """Run ``page`` for every scope and then every option of every picker it draws; (failures, views run)."""
    failures, views = [], 0

    def run(label: str) -> None:
        nonlocal views
        caplog.clear()
        at.run()
        views += 1
        failures.extend(f"{page} {lang} {label}: {p}" for p in problems_of(at, caplog.records))

    at.session_state["lang"] = lang
    at.session_state["as_of"] = AS_OF
    at.switch_page(page)
    for scope in scopes:
        at.session_state["scope"] = scope
        run(f"scope={scope}")
        for kind, key, n in choice_widgets(at):
            picked = range(n) if every_option else sorted({0, n - 1})
            for i in picked:
                widgets = [w for w in getattr(at, kind) if w.key == key]
                if not widgets:  # an earlier choice removed this picker: nothing left to walk
                    break
                label = widgets[0].options[i]
                pick(widgets[0], i)
                run(f"scope={scope} {key}={label}")
            reset = [w for w in getattr(at, kind) if w.key == key]
            if reset:
                pick(reset[0], 0)
    return failures, views


def scopes_of(url: str, limit: int | None = None) -> list[str]:
    """The scopes worth walking, from the catalog and the stored data: national, every region with a
    current submission, and one region without (every region without data takes that same path).
    With ``limit``, only the first ``limit`` of these."""
    from metrics.store import Store

    with_data = {h["province"] for h in Store(url).history() if h.get("state") == "current"}
    regions = [r.name for r in load_catalog().regions]
    without = [r for r in regions if r not in with_data][:1]
    scopes = ["national", *[r for r in regions if r in with_data], *without]
    return scopes if limit is None else scopes[:limit]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", [p for p, _ in PAGES], ids=[p.split("/")[-1][:-3] for p, _ in PAGES])
def test_every_view_of_the_sample_store(page, lang, sample_url, monkeypatch, caplog):
    at = open_app(sample_url, monkeypatch, samples=True)
    scopes = scopes_of(sample_url)
    failures, views = walk(at, page, lang, scopes, caplog)
    assert failures == []
    assert len(scopes) >= 3 and views >= len(scopes)


@pytest.mark.parametrize("store", ["empty", "large"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", [p for p, _ in PAGES], ids=[p.split("/")[-1][:-3] for p, _ in PAGES])
def test_every_page_picker_on_the_empty_and_the_large_store(store, page, lang, request, monkeypatch, caplog):
    url = request.getfixturevalue(f"{store}_url")
    at = open_app(url, monkeypatch)
    scopes = scopes_of(url, limit=3)
    failures, views = walk(at, page, lang, scopes, caplog, every_option=store == "empty")
    assert failures == []
    assert len(scopes) == (2 if store == "empty" else 3) and views >= len(scopes)
