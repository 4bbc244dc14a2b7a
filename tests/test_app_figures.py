"""Figures cached on plain values (issue 17): one build per store revision, as-of, chart, language and
arguments; a new submission is a new revision and so a new figure."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app_support import data, figures
from metrics.store import Store

AS_OF = dt.date(2025, 12, 31)


@pytest.fixture
def sample_store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    s = Store(url)
    files = __import__("sample_data.generate", fromlist=["sample_files"]).sample_files()
    from metrics.ingest import read_file

    first = Path(files[0])
    result = read_file(first.read_bytes(), first.name)
    s.save_submission(result, first.read_bytes(), first.name)
    yield s, files
    figures._figure.clear()
    figures._shown.clear()


@pytest.mark.parametrize("name, args, params", [
    ("overview_bullets", (), {"scope_type": "national", "scope": "national"}),
    ("breakdown_chart", ("tech",), {"by": "direction"}),
    ("levels_chart", (), {"kind": "goals"}),
])
def test_the_same_plain_values_return_the_same_figure_and_another_language_another(sample_store, name, args,
                                                                                     params):
    a = figures.figure(name, AS_OF, "zh", *args, **params)
    assert figures.figure(name, AS_OF, "zh", *args, **params) is a
    b = figures.figure(name, AS_OF, "en", *args, **params)
    assert b is not a and b.layout.title.text != a.layout.title.text


def test_a_new_submission_changes_the_revision_and_so_the_figure(sample_store):
    s, files = sample_store
    before_rev = data.revision()
    before = figures.figure("levels_chart", AS_OF, "zh", kind="goals")
    from metrics.ingest import read_file

    second = Path(files[1])
    s.save_submission(read_file(second.read_bytes(), second.name), second.read_bytes(), second.name)
    assert data.revision() != before_rev
    after = figures.figure("levels_chart", AS_OF, "zh", kind="goals")
    assert after is not before


@pytest.mark.parametrize("name", ["mark_unreviewed", "__class__", "nope"])
def test_only_chart_builders_are_cached(name):
    with pytest.raises(ValueError, match="not a cached chart builder"):
        figures.figure(name, AS_OF, "zh")
    with pytest.raises(ValueError, match="not a cached chart builder"):
        figures.shown(name, AS_OF, "zh")


def test_a_page_adjustment_is_part_of_the_key_and_applied_before_caching(sample_store):
    plain = figures.figure("bullet_chart", AS_OF, "zh", "tech")
    adjusted = figures.figure("bullet_chart", AS_OF, "zh", "tech", layout={"height": 300, "legend_y": -0.4})
    assert adjusted is not plain
    assert (plain.layout.height, plain.layout.legend.y) == (240, -0.18)
    assert (adjusted.layout.height, adjusted.layout.legend.y) == (300, -0.4)
    assert figures.figure("bullet_chart", AS_OF, "zh", "tech", layout={"legend_y": -0.4, "height": 300}) is adjusted


@pytest.mark.parametrize("unreviewed", [False, True])
def test_the_shown_figure_is_cached_safe_and_marked_without_touching_the_built_one(sample_store, monkeypatch,
                                                                                   unreviewed):
    from metrics.rounds import unreviewed_note

    monkeypatch.setattr(data, "includes_unreviewed", lambda province=None: unreviewed)
    figures._shown.clear()
    built = figures.figure("levels_chart", AS_OF, "zh", kind="goals")
    shown = figures.shown("levels_chart", AS_OF, "zh", kind="goals")
    assert shown is not built and figures.shown("levels_chart", AS_OF, "zh", kind="goals") is shown
    assert unreviewed_note("zh") not in (built.layout.title.subtitle.text or "")
    assert (unreviewed_note("zh") in shown.layout.title.subtitle.text) is unreviewed
    assert shown.layout.title.text == built.layout.title.text
    assert [tr.x for tr in shown.data] == [tr.x for tr in built.data]


def test_the_revision_is_read_once_per_run_and_again_after_a_write_or_in_the_next_run(sample_store, monkeypatch):
    from metrics.ingest import read_file

    s, files = sample_store

    class Run:  # a script run's context: ScriptRunContext.reset gives it a new cursors dict per run
        cursors: dict = {}

    run = Run()
    monkeypatch.setattr(data, "get_script_run_ctx", lambda suppress_warning=False: run)
    store = data.store()
    calls = []
    read = store.revision
    monkeypatch.setattr(store, "revision", lambda: calls.append(1) or read())
    first = data.revision()
    assert data.revision() == first and len(calls) == 1
    second = Path(files[1])
    s.save_submission(read_file(second.read_bytes(), second.name), second.read_bytes(), second.name)
    assert data.revision() == first  # the run keeps the revision it started with ...
    data.invalidate()  # ... until the page that wrote says so
    after_write = data.revision()
    assert after_write != first and len(calls) == 2
    run.cursors = {}  # the next run reads it again
    assert data.revision() == after_write and len(calls) == 3


def test_the_counted_items_table_is_named_in_the_language_dated_and_built_once_per_revision(sample_store):
    en = data.counted_table("national", "national", "tech", AS_OF, "en")
    assert data.counted_table("national", "national", "tech", AS_OF, "en") is en
    zh = data.counted_table("national", "national", "tech", AS_OF, "zh")
    assert len(en) == len(zh) == 4
    assert set(en["province"]) == {"Guangdong"} and set(zh["province"]) == {"广东省"}
    assert list(en["date"][:3]) == ["2025-02-05", "2025-02-28", "2025-03-31"]
    assert en["direction"][0] == "Future information" and en["counted"].all()
