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


@pytest.mark.parametrize("name", ["bullet_chart", "heatmap", "__class__", "nope"])
def test_only_builders_whose_figures_pages_never_change_are_cached(name):
    with pytest.raises(ValueError, match="not a cached chart builder"):
        figures.figure(name, AS_OF, "zh")
