"""The progress engine: hand-computed actuals, pace, projection and status; national de-dup; properties."""
from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.model import Dataset, conform
from metrics.presentation import status_colours, status_definitions
from metrics.progress import ROW_COLUMNS, STATUS_IDS, Thresholds, compute_progress, counted_items
from metrics.text import item_key

BASELINE = dt.date(2024, 1, 18)
D2025 = dt.date(2025, 12, 31)
EARLY = dt.date(2025, 1, 18)            # 366 of the 713 days from the baseline to 2025-12-31
PACE_EARLY = 366 / 713 * 100            # 51.33 % of the time to the 2025 deadline has passed


# ---- fixtures: small frames built by hand ------------------------------------------------------------------
def item(province: str, metric: str, name: str, date: str | None, *, code: str = "", precision: str = "day",
         status: str = "achieved", direction: str = "", flagship: str = "") -> dict:
    return {"province": province, "metric": metric, "name": name, "code": code, "status": status, "date": date,
            "date_precision": precision if date else "", "direction": direction, "flagship": flagship,
            "key": item_key(code) if code else item_key(name), "source": f"{province}.xlsx", "sheet": "成果清单"}


def total(province: str, metric: str, as_of: str, value: float) -> dict:
    return {"province": province, "metric": metric, "as_of": as_of, "value": value, "source": f"{province}.xlsx"}


def target(province: str, metric: str, value: float | None, deadline: str, *, qualifier: str = "eq",
           text: str = "", unit: str = "项", kind: str = "count", name_zh: str = "") -> dict:
    return {"province": province, "metric": metric, "value": value, "deadline": deadline, "qualifier": qualifier,
            "text": text or ("" if value is None else f"{value:g}"), "unit": unit, "kind": kind, "name_zh": name_zh}


def dataset(items=(), totals=(), targets=(), assessments=(), tasks=()) -> Dataset:
    def frame(rows, kind):
        return conform(pd.DataFrame(list(rows)), kind) if rows else conform(pd.DataFrame(), kind)
    return Dataset(items=frame(items, "items"), totals=frame(totals, "totals"), targets=frame(targets, "targets"),
                   assessments=frame(assessments, "assessments"), tasks=frame(tasks, "tasks"))


def row(progress, scope: str, metric: str, deadline: dt.date | None = None) -> dict:
    df = progress.rows[(progress.rows["scope"] == scope) & (progress.rows["metric"] == metric)]
    if deadline is not None:
        df = df[df["deadline"] == deadline]
    assert len(df) == 1, df
    return df.iloc[0].to_dict()


def gd_tech(dates: list[str], as_of: dt.date, goal: float = 10, deadline: str = "2025-12-31", **kw):
    """广东省 with its own technology target and one achieved item per date."""
    data = dataset(items=[item("广东省", "tech", f"技术{i}", d) for i, d in enumerate(dates)],
                   targets=[target("广东省", "tech", goal, deadline, qualifier="ge")])
    return row(compute_progress(data, as_of=as_of, **kw), "广东省", "tech")


# ---- status: one hand-computed case for each ---------------------------------------------------------------
MONTHLY_RECENT = ["2024-10-05", "2024-11-05", "2024-12-05", "2025-01-10"]
SHORT_WINDOW = {"projection_window_months": 3}  # the trend of the last three month ends only

STATUS_CASES = [
    # (case, item dates, as-of, thresholds changed, expected status)
    ("met early: 10 of 10 a year before the deadline", ["2024-03-01"] * 10, EARLY, {}, "met"),
    ("on track: 6 items, pace 5.13", ["2024-03-01"] * 6, EARLY, {}, "on_track"),
    ("at risk: 5 items >= 0.8 x pace, flat trend", ["2024-02-01"] * 5, EARLY, {}, "at_risk"),
    ("off track: 3 items < 0.8 x pace, flat trend", ["2024-02-01"] * 3, EARLY, {}, "off_track"),
    # 4 items, one a month since October: the 12-month fit (0.31 a month) projects 7.6 -> off track;
    # the 3-month fit (about 1.1 a month) projects 16 -> on track by projection although behind pace.
    ("off track: late start, 12-month trend", MONTHLY_RECENT, EARLY, {}, "off_track"),
    ("on track by projection: 3-month trend", MONTHLY_RECENT, EARLY, SHORT_WINDOW, "on_track"),
    ("missed: 2025 target, as of 2026-11-28, 7 items", ["2024-05-01"] * 7, dt.date(2026, 11, 28), {}, "missed"),
    ("zero progress", [], EARLY, {}, "off_track"),
]


@pytest.mark.parametrize("case,dates,as_of,changed,expected", STATUS_CASES, ids=[c[0] for c in STATUS_CASES])
def test_status_follows_pace_projection_and_deadline(case, dates, as_of, changed, expected):
    r = gd_tech(dates, as_of, thresholds=Thresholds.from_mapping(changed))
    assert r["status"] == expected
    assert r["actual"] == len(dates)
    assert r["target_source"] == "provincial"


def test_pace_is_linear_from_the_policy_date_to_the_deadline():
    r = gd_tech(["2024-03-01"] * 6, EARLY)
    assert r["pace_percent"] == pytest.approx(PACE_EARLY)
    assert r["pace_value"] == pytest.approx(10 * 366 / 713)
    assert r["percent"] == pytest.approx(60.0)
    assert r["gap_items"] == pytest.approx(6 - 10 * 366 / 713)
    assert r["gap_pp"] == pytest.approx(60.0 - PACE_EARLY)
    # 4 items to go over the 347 days left (347 / 30.436875 months).
    assert r["required_rate"] == pytest.approx(4 / (347 / (365.2425 / 12)))


def test_flat_history_projects_the_current_value_and_a_steady_rate_extends_it():
    flat = gd_tech(["2024-02-01"] * 5, EARLY)
    assert flat["projected"] == pytest.approx(5.0)
    assert flat["trend_per_month"] == pytest.approx(0.0)
    # Least squares over 12 month ends (Feb 2024 … 18 Jan 2025) of 0,…,0,1,2,3,4: about 0.31 a month.
    late = gd_tech(MONTHLY_RECENT, EARLY)
    assert late["trend_per_month"] == pytest.approx(0.31, abs=0.02)
    assert late["projected"] == pytest.approx(4 + late["trend_per_month"] * 347 / (365.2425 / 12))
    steady = gd_tech(MONTHLY_RECENT, EARLY, thresholds=Thresholds.from_mapping(SHORT_WINDOW))
    assert steady["trend_per_month"] > 0.9
    assert steady["projected"] >= 10
    assert steady["projected_percent"] == pytest.approx(steady["projected"] * 10)


def test_target_met_early_records_the_month_it_was_reached():
    r = gd_tech(["2024-03-01"] * 10, EARLY)
    assert r["status"] == "met"
    assert r["met_on"] == dt.date(2024, 3, 31)
    assert r["required_rate"] == 0


def test_zero_progress_needs_the_whole_target_in_the_time_left():
    r = gd_tech([], EARLY)
    assert (r["actual"], r["percent"], r["projected"]) == (0, 0, 0)
    assert r["required_rate"] == pytest.approx(10 / (347 / (365.2425 / 12)))


def test_deadline_passed_is_judged_on_the_value_at_the_deadline():
    as_of = dt.date(2026, 11, 28)
    late = gd_tech(["2024-05-01"] * 7 + ["2026-03-10"] * 3, as_of)
    # Reported as it ended (issue 13): 7 at the deadline, 70 %; the 3 that came after are kept apart.
    assert (late["actual"], late["percent"], late["actual_at_deadline"]) == (7, 70, 7)
    assert (late["actual_now"], late["after_deadline"], late["passed"]) == (10, 3, True)
    assert late["status"] == "missed"
    assert late["met_on"] == dt.date(2026, 3, 31)
    for gone in ("projected", "required_rate", "pace_percent", "pace_value", "gap_items", "gap_pp",
                 "projected_percent", "trend_per_month"):
        assert math.isnan(late[gone]), gone
    on_time = gd_tech(["2024-05-01"] * 10, as_of)
    assert on_time["status"] == "met"


def test_qualifiers_about_and_at_least_are_met_at_the_number():
    data = dataset(items=[item("浙江省", "platform", f"平台{i}", "2024-06-01") for i in range(80)],
                   targets=[target("浙江省", "platform", 80, "2027-12-31", qualifier="about", text="约80", unit="个"),
                            target("浙江省", "enterprise", 100, "2027-12-31", qualifier="ge", text="≥100", unit="家")])
    data.items = pd.concat([data.items, conform(pd.DataFrame(
        [item("浙江省", "enterprise", f"企业{i}", "2024-06-01") for i in range(100)]), "items")], ignore_index=True)
    p = compute_progress(data, as_of=EARLY)
    assert row(p, "浙江省", "platform")["status"] == "met"
    assert row(p, "浙江省", "enterprise")["status"] == "met"


# ---- dates ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("date,precision,as_of,counted", [
    ("2025-01-01", "month", dt.date(2025, 1, 18), 0),   # January counts at 31 January
    ("2025-01-01", "month", dt.date(2025, 1, 31), 1),
    ("2024-01-01", "year", dt.date(2024, 12, 30), 0),   # 2024 counts at 31 December 2024
    ("2024-01-01", "year", dt.date(2024, 12, 31), 1),
    ("2025-01-18", "day", dt.date(2025, 1, 18), 1),     # on the as-of day counts
    ("2025-01-19", "day", dt.date(2025, 1, 18), 0),
])
def test_month_and_year_precision_count_at_the_end_of_the_period(date, precision, as_of, counted):
    data = dataset(items=[item("广东省", "tech", "技术", date, precision=precision)])
    assert row(compute_progress(data, as_of=as_of), "广东省", "tech")["actual"] == counted


def test_only_achieved_items_count():
    data = dataset(items=[item("广东省", "tech", "甲", "2024-06-01"),
                          item("广东省", "tech", "乙", "2024-06-01", status="in_progress"),
                          item("广东省", "tech", "丙", None, status="planned")])
    assert row(compute_progress(data, as_of=EARLY), "广东省", "tech")["actual"] == 1


# ---- targets: 一批, provincial plans, money, two deadlines ------------------------------------------------------
def test_batch_target_has_no_status_but_actual_and_trend():
    data = dataset(items=[item("广东省", "incubator", f"孵化器{i}", "2024-09-01") for i in range(3)])
    p = compute_progress(data, as_of=EARLY)
    r = row(p, "national", "incubator")
    assert r["status"] == "no_target" and math.isnan(r["target"]) and r["target_text"] == "一批"
    assert r["actual"] == 3 and math.isnan(r["percent"])
    s = p.series[(p.series["scope"] == "national") & (p.series["metric"] == "incubator")]
    assert s["cumulative"].iloc[-1] == 3 and s["cumulative"].is_monotonic_increasing


def test_provincial_money_target_with_its_own_2026_deadline():
    data = dataset(totals=[total("江苏省", "industry_scale", "2024-01-01", 100.0),
                           total("江苏省", "industry_scale", "2025-06-30", 250.0)],
                   targets=[target("江苏省", "industry_scale", 400, "2026-12-31", unit="亿元", kind="value")])
    r = row(compute_progress(data, as_of=dt.date(2025, 6, 30)), "江苏省", "industry_scale")
    elapsed = 529 / 1078  # days since the baseline / days from the baseline to 2026-12-31
    assert (r["unit"], r["kind"], r["deadline"]) == ("亿元", "value", dt.date(2026, 12, 31))
    assert r["actual"] == 250 and r["percent"] == pytest.approx(62.5)
    # Value metrics start from the value reported at the baseline (100 亿元), not from zero.
    assert r["pace_value"] == pytest.approx(100 + 300 * elapsed)
    assert r["gap_items"] == pytest.approx(250 - (100 + 300 * elapsed))
    assert r["status"] == "on_track"


def test_one_metric_with_2027_and_2030_deadlines_gives_one_row_each():
    data = dataset(items=[item("浙江省", "platform", f"平台{i}", "2024-06-01") for i in range(30)],
                   targets=[target("浙江省", "platform", 50, "2027-12-31", unit="个"),
                            target("浙江省", "platform", 120, "2030-12-31", unit="个")])
    p = compute_progress(data, as_of=EARLY)
    rows = p.rows[(p.rows["scope"] == "浙江省") & (p.rows["metric"] == "platform")]
    assert list(rows["deadline"]) == [dt.date(2027, 12, 31), dt.date(2030, 12, 31)]
    assert list(rows["actual"]) == [30, 30]
    assert list(rows["percent"]) == pytest.approx([60.0, 25.0])
    assert rows["pace_percent"].iloc[0] > rows["pace_percent"].iloc[1]


def test_custom_metric_of_a_province_keeps_its_id_and_name():
    data = dataset(targets=[target("江苏省", "custom_de7a6236", 10, "2026-12-31", unit="个", name_zh="科技园区和先导区")])
    r = row(compute_progress(data, as_of=EARLY), "江苏省", "custom_de7a6236")
    assert r["name_zh"] == "科技园区和先导区" and r["target"] == 10 and r["actual"] == 0
    # No English name is known for it: English views say what it is and keep the province's own name.
    assert r["name_en"] == "Provincial metric: 科技园区和先导区"


def test_a_provincial_metric_the_catalog_lists_has_its_catalog_english_name():
    data = dataset(targets=[target("江苏省", "tech_park", 3, "2026-12-31", unit="个", name_zh="未来产业科技园")])
    r = row(compute_progress(data, as_of=EARLY), "江苏省", "tech_park")
    assert r["name_en"] == "Future-industry technology parks"


def test_province_without_its_own_target_shows_its_share_of_the_national_one():
    data = dataset(items=[item("广东省", "standard", f"标准{i}", "2024-06-01", code=f"GB/T {i}-2024")
                          for i in range(4)])
    r = row(compute_progress(data, as_of=EARLY), "广东省", "standard")
    assert r["target_source"] == "none" and r["status"] == "no_target" and math.isnan(r["target"])
    assert r["contribution_percent"] == pytest.approx(4.0)
    assert r["deadline"] == D2025


# ---- registers and totals -------------------------------------------------------------------------------------
def test_register_wins_over_a_total_and_the_mismatch_is_a_warning():
    data = dataset(items=[item("广东省", "tech", f"技术{i}", "2024-06-01") for i in range(3)],
                   totals=[total("广东省", "tech", "2024-12-31", 5)])
    p = compute_progress(data, as_of=EARLY)
    assert row(p, "广东省", "tech")["actual"] == 3
    assert row(p, "广东省", "tech")["basis"] == "register"
    w = p.warnings.iloc[0]
    assert (w["code"], w["province"], w["metric"], w["register_count"], w["total_value"]) == \
        ("register_total_conflict", "广东省", "tech", 3, 5)
    assert "3" in w["message_zh"] and "5" in w["message_en"]


def test_a_province_reporting_only_totals_counts_its_latest_total():
    data = dataset(items=[item("广东省", "tech", "甲", "2024-06-01")],
                   totals=[total("江苏省", "tech", "2024-06-30", 4), total("江苏省", "tech", "2024-12-31", 7),
                           total("江苏省", "tech", "2025-06-30", 9)])
    p = compute_progress(data, as_of=EARLY)
    assert row(p, "江苏省", "tech")["actual"] == 7
    assert row(p, "江苏省", "tech")["basis"] == "totals"
    assert row(p, "national", "tech")["actual"] == 8
    assert p.warnings.empty


# ---- national roll-up without double counting -------------------------------------------------------------------
def shared_standards() -> Dataset:
    return dataset(items=[
        item("广东省", "standard", "标准甲", "2024-05-01", code="GB/T 1-2024"),
        item("广东省", "standard", "标准乙", "2024-06-01", code="GB/T 2-2024"),
        item("江苏省", "standard", "标准甲", "2024-07-01", code="GB/T1-2024"),  # same number, other spacing
        item("浙江省", "standard", "标准 甲", "2024-08-01"),                    # no number: matched by name
    ], targets=[target("广东省", "tech", 30, "2025-12-31"), target("江苏省", "tech", 40, "2025-12-31")])


def test_items_shared_by_provinces_count_once_nationally():
    p = compute_progress(shared_standards(), as_of=EARLY)
    assert row(p, "national", "standard")["actual"] == 2
    sums = p.plain_sums.set_index("metric").loc["standard"]
    assert (sums["sum_of_provinces"], sums["national_distinct"], sums["double_counted"]) == (4, 2, 2)
    shared = p.shared_items
    assert len(shared) == 1
    assert shared.iloc[0]["n_provinces"] == 3 and shared.iloc[0]["provinces"] == "广东省、江苏省、浙江省"
    # The earliest report dates the item: the national series has it from May 2024.
    s = p.series[(p.series["scope"] == "national") & (p.series["metric"] == "standard")].set_index("month")
    assert s.loc[pd.Timestamp("2024-05-31"), "cumulative"] == 1


def test_counted_items_are_the_rows_behind_the_figure():
    data = shared_standards()
    rows = counted_items(data, None, "national", "national", "standard", EARLY)
    assert len(rows) == 4 and rows["counted"].sum() == 2
    assert set(rows.loc[rows["counted"], "name"]) == {"标准甲", "标准乙"}
    prov = counted_items(data, None, "province", "浙江省", "standard", EARLY)
    assert list(prov["counted"]) == [True]


def test_overclaim_checks_targets_short_of_the_national_one_and_claims_beyond_distinct_items():
    p = compute_progress(shared_standards(), as_of=EARLY)
    checks = p.overclaims.set_index(["check", "metric"])
    short = checks.loc[("targets_below_national", "tech")]
    assert (short["provincial_sum"], short["national_target"], short["n_provinces"]) == (70, 100, 2)
    claims = checks.loc[("claims_exceed_distinct", "standard")]
    assert (claims["provincial_sum"], claims["national_distinct"]) == (4, 2)
    assert "70" in short["message_zh"] and "100" in short["message_en"]


def test_direction_and_flagship_scopes_count_national_distinct_items():
    data = dataset(items=[
        item("广东省", "product", "机器人甲", "2024-05-01", direction="manufacturing", flagship="humanoid_robot"),
        item("江苏省", "product", "机器人甲", "2024-06-01", direction="manufacturing", flagship="humanoid_robot"),
        item("江苏省", "product", "量子机", "2024-06-01", direction="information", flagship="quantum_computer")])
    p = compute_progress(data, as_of=EARLY)
    d = p.rows[p.rows["scope_type"] == "direction"].set_index(["scope", "metric"])
    assert d.loc[("manufacturing", "product"), "actual"] == 1
    assert d.loc[("information", "product"), "actual"] == 1
    assert d.loc[("manufacturing", "product"), "target_source"] == "none"
    assert d.loc[("manufacturing", "product"), "contribution_percent"] == pytest.approx(1.0)
    f = p.rows[p.rows["scope_type"] == "flagship"].set_index(["scope", "metric"])
    assert f.loc[("humanoid_robot", "product"), "actual"] == 1


# ---- qualitative goals and tasks ----------------------------------------------------------------------------------
def test_goal_and_task_levels_are_distributed_across_provinces_with_evidence():
    data = dataset(assessments=[
        {"province": "广东省", "goal": "q2025_model", "level": "achieved", "evidence": "已出台方案"},
        {"province": "江苏省", "goal": "q2025_model", "level": "in_progress", "evidence": ""},
        {"province": "江苏省", "goal": "q2025_model", "level": "basically", "evidence": "更新"},  # latest wins
    ], tasks=[{"province": "广东省", "task": 7, "level": "not_started"}])
    p = compute_progress(data, as_of=EARLY)
    g = p.goals.set_index("goal").loc["q2025_model"]
    assert (g["achieved"], g["basically"], g["in_progress"], g["n_provinces"]) == (1, 1, 0, 2)
    assert g["mean_score"] == pytest.approx(2.5)
    assert len(p.goals) == 12 and len(p.tasks) == 16
    assert p.tasks.set_index("task").loc[7, "not_started"] == 1
    ev = p.goal_evidence.set_index("province")
    assert ev.loc["江苏省", "evidence"] == "更新"


# ---- thresholds, status definitions, output shape --------------------------------------------------------------
def test_thresholds_default_from_the_status_file_and_can_be_changed():
    th = Thresholds.default()
    assert (th.on_track_pace_ratio, th.at_risk_pace_ratio, th.projection_window_months) == (1.0, 0.8, 12)
    lenient = Thresholds.from_mapping({"at_risk_pace_ratio": 0.5})
    assert gd_tech(["2024-02-01"] * 3, EARLY, thresholds=lenient)["status"] == "at_risk"
    with pytest.raises(ValueError, match="unknown threshold"):
        Thresholds.from_mapping({"no_such": 1})


def test_status_definitions_use_the_shared_palette_and_labels():
    defs = {d["id"]: d for d in status_definitions()}
    assert tuple(defs) == ("met", "on_track", "at_risk", "off_track", "missed", "no_target")
    assert set(defs) == set(STATUS_IDS)
    assert status_colours() == {"met": "#009E73", "on_track": "#56B4E9", "at_risk": "#E69F00",
                                "off_track": "#D55E00", "missed": "#CC79A7", "no_target": "#999999"}
    assert [defs[s]["name_zh"] for s in ("met", "missed", "on_track", "at_risk", "off_track", "no_target")] == \
        ["已达标", "未完成", "正常", "预警", "滞后", "无量化目标"]


def test_rows_have_the_contract_columns_and_every_scope():
    p = compute_progress(shared_standards(), as_of=EARLY)
    assert list(p.rows.columns) == ROW_COLUMNS
    assert set(p.rows["scope_type"]) == {"national", "province", "direction", "flagship"}
    assert set(p.rows["status"]) <= set(STATUS_IDS)
    assert list(p.series.columns) == ["scope_type", "scope", "metric", "month", "cumulative"]
    rec = p.records()[0]
    assert rec["deadline"] == "2025-12-31" and rec["target"] is None  # incubator: 一批
    json.dumps(p.records())


def test_empty_dataset_gives_zero_rows_for_every_national_metric():
    p = compute_progress(Dataset(), as_of=EARLY)
    nat = p.rows[p.rows["scope_type"] == "national"]
    assert len(nat) == 9 and (nat["actual"] == 0).all()
    assert p.shared_items.empty and p.warnings.empty


# ---- properties -------------------------------------------------------------------------------------------------
PROVINCES = ["广东省", "江苏省", "浙江省"]
METRICS = ["tech", "standard", "incubator"]

random_items = st.lists(st.tuples(
    st.sampled_from(PROVINCES), st.sampled_from(METRICS), st.integers(0, 6), st.booleans(),
    st.dates(dt.date(2023, 6, 1), dt.date(2026, 12, 31)), st.sampled_from(["day", "month", "year"]),
    st.sampled_from(["achieved", "achieved", "in_progress"])), max_size=40)


def random_dataset(rows) -> Dataset:
    items = [item(p, m, f"成果{n}", d.isoformat(), code=f"C{n}" if coded else "", precision=prec, status=s)
             for p, m, n, coded, d, prec, s in rows]
    targets = [target("广东省", "tech", 5, "2026-12-31"), target("江苏省", "standard", 3, "2025-12-31")]
    return dataset(items=items, targets=targets)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_items, st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), st.integers(0, 400))
def test_actual_never_decreases_as_the_as_of_date_moves_later(rows, as_of, days_later):
    data = random_dataset(rows)
    key = ["scope_type", "scope", "metric", "deadline"]
    early = compute_progress(data, as_of=as_of).rows.set_index(key)["actual"]
    late = compute_progress(data, as_of=as_of + dt.timedelta(days=days_later)).rows.set_index(key)["actual"]
    assert (late.loc[early.index].to_numpy() >= early.to_numpy()).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_items, st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)))
def test_national_distinct_count_never_exceeds_the_sum_of_provinces(rows, as_of):
    p = compute_progress(random_dataset(rows), as_of=as_of)
    assert (p.plain_sums["national_distinct"] <= p.plain_sums["sum_of_provinces"]).all()
    for scope_type in ("direction", "flagship"):
        sub = p.rows[p.rows["scope_type"] == scope_type]
        nat = p.rows[p.rows["scope_type"] == "national"].set_index("metric")["actual"]
        assert all(a <= nat[m] for m, a in zip(sub["metric"], sub["actual"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_items, st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)))
def test_percent_is_actual_over_target(rows, as_of):
    r = compute_progress(random_dataset(rows), as_of=as_of).rows
    r = r[r["target"] > 0]
    assert len(r) > 0
    np.testing.assert_allclose(r["percent"], r["actual"] / r["target"] * 100)


# ---- the status command --------------------------------------------------------------------------------------------
def write_workbook(path, province: str, items: list[tuple], targets: list[tuple]) -> None:
    """A small provincial workbook with the template's sheet names and headers (metrics/data/workbook.yaml)."""
    from openpyxl import Workbook

    wb = Workbook()
    info = wb.active
    info.title = "基本信息"
    info.append(["省份", province])
    info.append(["统计截止日期", "2025-01-18"])
    reg = wb.create_sheet("成果清单")
    reg.append(["省份", "指标", "名称", "编号", "方向", "标志性产品类别", "牵头单位", "状态", "完成日期", "证明材料", "备注"])
    for metric, name, code, date in items:
        reg.append([province, metric, name, code, "", "", "某单位", "已完成", date, "", ""])
    tg = wb.create_sheet("目标设定")
    tg.append(["省份", "指标", "目标值", "单位", "截止日期", "说明"])
    for metric, value, unit, deadline in targets:
        tg.append([province, metric, value, unit, deadline, ""])
    wb.save(path)


def run_status(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "metrics", "status", *args], capture_output=True, text=True,
                          encoding="utf-8")


@pytest.fixture
def two_workbooks(tmp_path):
    gd, js = tmp_path / "gd.xlsx", tmp_path / "js.xlsx"
    write_workbook(gd, "广东省", [("关键标准", "标准甲", "GB/T 1-2024", "2024-05-01"),
                                  ("关键标准", "标准乙", "GB/T 2-2024", "2024-06-01")],
                   [("前沿关键核心技术", "30项以上", "项", "2025")])
    write_workbook(js, "江苏省", [("关键标准", "标准甲", "GB/T 1-2024", "2024-07-01")], [])
    return gd, js


def test_status_command_prints_json_rows_from_files(two_workbooks):
    gd, js = two_workbooks
    out = run_status(str(gd), str(js), "--as-of", "2025-01-18", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    by = {(r["scope"], r["metric"], r["deadline"]): r for r in rows}
    nat = by[("national", "standard", "2025-12-31")]
    assert (nat["actual"], nat["target"], nat["status"], nat["unit"]) == (2, 100, "off_track", "项")
    assert by[("广东省", "standard", "2025-12-31")]["actual"] == 2
    own = by[("广东省", "tech", "2025-12-31")]
    assert (own["target"], own["qualifier"], own["target_source"]) == (30, "ge", "provincial")
    assert {r["scope_type"] for r in rows} == {"national", "province"}
    for field in ("scope", "metric", "name_zh", "deadline", "actual", "target", "percent", "pace_percent",
                  "projected", "status", "unit", "scope_type"):
        assert field in nat


def test_status_command_filters_a_province_and_prints_a_table(two_workbooks):
    gd, js = two_workbooks
    out = run_status(str(gd), str(js), "--as-of", "2025-01-18", "--province", "江苏", "--lang", "en")
    assert out.returncode == 0, out.stderr
    assert "As of 2025-01-18" in out.stdout and "Jiangsu" in out.stdout and "Guangdong" not in out.stdout
    everything = json.loads(run_status(str(gd), "--as-of", "2025-01-18", "--json", "--all-scopes").stdout)
    assert {"direction", "flagship"} <= {r["scope_type"] for r in everything}


def test_status_command_reads_the_store_when_no_file_is_given(two_workbooks, tmp_path):
    from metrics.ingest import read_file
    from metrics.store import Store

    gd, _ = two_workbooks
    url = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    content = gd.read_bytes()
    Store(url).save_submission(read_file(content, "gd.xlsx"), content, "gd.xlsx")
    out = run_status("--db", url, "--as-of", "2025-01-18", "--json")
    assert out.returncode == 0, out.stderr
    rows = {(r["scope"], r["metric"]): r for r in json.loads(out.stdout) if r["deadline"] == "2025-12-31"}
    assert rows[("national", "standard")]["actual"] == 2


@pytest.mark.parametrize("args,message", [
    (["--as-of", "2025-13-01"], "YYYY-MM-DD"),
    (["--province", "亚特兰蒂斯"], "Unknown region"),
    (["no-such-file.xlsx"], "Cannot read"),
])
def test_status_command_refuses_bad_arguments_in_both_languages(args, message):
    out = run_status(*args)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr
