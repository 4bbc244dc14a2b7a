"""The officer's findings stored by round, scope and language, and reused next round."""
from __future__ import annotations

import datetime as dt

import pytest

from metrics.findings import load_findings, save_findings
from metrics.store import Store

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc)
T1 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture()
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'f.sqlite'}")
    yield s
    s.close()


def test_saved_findings_come_back_for_the_same_round(store):
    save_findings(store, "2026Q3", "广东省", "zh", {"progress": " 进展 ", "problems": "=1+1"}, by="gd", now=T0)
    got = load_findings(store, "2026Q3", "广东省", "zh")
    assert got.texts == {"progress": "进展", "problems": "=1+1", "next_steps": "", "notes": ""}
    assert (got.updated_by, got.same_round) == ("gd", True)


def test_saving_again_overwrites_and_the_latest_is_reused_next_round(store):
    save_findings(store, "2026Q3", "广东省", "zh", {"progress": "一"}, now=T0)
    save_findings(store, "2026Q3", "广东省", "zh", {"progress": "二"}, now=T1)
    got = load_findings(store, "2026Q4", "广东省", "zh")
    assert (got.texts["progress"], got.round, got.same_round) == ("二", "2026Q3", False)


@pytest.mark.parametrize("scope,lang", [("江苏省", "zh"), ("广东省", "en")])
def test_findings_are_kept_apart_by_scope_and_language(store, scope, lang):
    save_findings(store, "2026Q3", "广东省", "zh", {"notes": "说明"}, now=T0)
    assert load_findings(store, "2026Q3", scope, lang) is None


def test_unknown_finding_keys_are_refused(store):
    with pytest.raises(ValueError, match="unknown findings summary"):
        save_findings(store, "r", "national", "zh", {"summary": "x"})


def test_findings_are_keyed_by_the_round_name_and_rows_keyed_by_date_still_read(store):
    from metrics.findings import findings_keys
    from metrics.rounds import Round

    rnd = Round("2025年第四季度", dt.date(2025, 12, 31), dt.date(2026, 1, 15), ["广东省"])
    keys = findings_keys(rnd, dt.date(2026, 1, 10))
    assert keys == ["2025年第四季度", "2025-12-31", "2026-01-10"]
    assert findings_keys(None, dt.date(2025, 12, 31)) == ["2025-12-31"]  # no round: the as-of date, as before
    # A row saved before rounds existed (keyed by the as-of date) is read as the round's own.
    save_findings(store, "2025-12-31", "广东省", "zh", {"progress": "旧"}, now=T0)
    got = load_findings(store, keys, "广东省", "zh")
    assert (got.texts["progress"], got.round, got.same_round) == ("旧", "2025-12-31", True)
    # Saved under the round's name, that row wins over the old one from then on.
    save_findings(store, "2025年第四季度", "广东省", "zh", {"progress": "新"}, now=T1)
    got = load_findings(store, keys, "广东省", "zh")
    assert (got.texts["progress"], got.round, got.same_round) == ("新", "2025年第四季度", True)
