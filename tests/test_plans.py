"""Successor plans (issue 13, point 2): national targets after the policy's 2025 ones, as data files."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from metrics.catalog import (DEFAULT_FILES, PLANS_DIR, CatalogError, load_catalog, load_catalog_from, load_plan_file,
                             load_plans, with_plans)
from metrics.model import Dataset
from metrics.progress import compute_progress

EXAMPLE = Path(__file__).parent / "data" / "plans" / "example_2030.yaml"


def test_every_shipped_plan_entry_names_a_catalog_metric_and_a_clause_of_the_policy():
    base = load_catalog_from(DEFAULT_FILES)
    files = sorted(PLANS_DIR.glob("*.yaml"))
    assert files, "metrics/data/plans/ holds the 2027 successor targets"
    policy = base.policy_text()
    entries = [e for plan in load_plans(files, base) for e in plan.successors]
    assert {(e.metric, e.deadline) for e in entries} == {("tech", dt.date(2027, 12, 31)),
                                                        ("product", dt.date(2027, 12, 31))}
    for e in entries:
        assert e.metric in base.metric_by_id and base.metric(e.metric).national
        assert e.clause.section == "三、发展目标"
        assert e.clause.quote in policy
        assert base.national_target(e.metric, e.succeeds) is not None


def test_the_shipped_catalog_carries_the_2027_successors_without_a_number():
    tech = load_catalog().metric("tech")
    spec = next(t for t in tech.targets if t.deadline == dt.date(2027, 12, 31))
    assert (spec.value, spec.text_zh, spec.text_en) == (None, "取得重大突破", "major breakthroughs")
    assert (spec.plan, spec.succeeds) == ("miit-2024-12-2027", dt.date(2025, 12, 31))


def test_an_example_2030_plan_adds_a_live_national_target_with_no_code_change():
    catalog = with_plans(load_catalog(), [load_plan_file(EXAMPLE, load_catalog())])
    rows = compute_progress(Dataset(), catalog=catalog, as_of=dt.date(2026, 11, 30)).rows
    tech = rows[(rows["scope_type"] == "national") & (rows["metric"] == "tech")]
    # The 2027 successor is in words only (a qualitative goal already): no row; the 2030 figure is one.
    assert [str(d) for d in tech["deadline"]] == ["2025-12-31", "2030-12-31"]
    row = tech.iloc[1]
    assert row["target"] == 300 and not row["passed"] and row["target_source"] == "national"
    assert tech.iloc[0]["passed"]


def test_the_shipped_catalog_keeps_one_engine_row_per_policy_target():
    rows = compute_progress(Dataset(), as_of=dt.date(2026, 11, 30)).rows
    tech = rows[(rows["scope_type"] == "national") & (rows["metric"] == "tech")]
    assert [str(d) for d in tech["deadline"]] == ["2025-12-31"]


@pytest.mark.parametrize("change, needle", [
    ({"metric": "no_such"}, "not a national metric"),
    ({"succeeds": "2024-12-31"}, "no national target due 2024-12-31"),
    ({"clause": {"section": "三、发展目标", "quote": "到2030年建成世界强国"}}, "not in the plan's source text"),
    ({"deadline": "2025-06-30"}, "not after the target it succeeds"),
])
def test_a_plan_entry_without_a_real_metric_target_or_clause_is_refused(tmp_path, change, needle):
    entry = {"metric": "tech", "succeeds": "2025-12-31", "deadline": "2030-12-31", "value": 300,
             "clause": {"section": "三、发展目标", "quote": "关键核心技术取得重大突破"}, **change}
    import yaml

    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"plan": {"id": "bad", "title_zh": "坏", "title_en": "bad"},
                                    "successors": [entry]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError, match=needle):
        load_plan_file(path, load_catalog_from(DEFAULT_FILES))
