"""A small hand-computed case shared by the chart and report tests.

As of 2025-06-30, 广东省 reports three achieved technologies (one named like a spreadsheet formula,
one with ``+1+1``, one with ``<script>`` as evidence); 江苏省 reports the same 量子芯片A (one item
shared by two provinces, counted once nationally), one in-progress technology (not counted) and one
landmark product. Hand-computed national figures:

- tech: 3 distinct achieved items of a target of 100 -> 3 %; pace from the policy date 2024-01-18 to
  the deadline 2025-12-31 is 529 / 713 days = 74.19 %, so 71.2 percentage points behind: 滞后 (off_track).
- product: 1 item -> 1 %, 73.2 points behind.
- 广东省 contributes 3 % of the national tech target, 江苏省 1 %.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.model import Dataset, conform

AS_OF = dt.date(2025, 6, 30)
FORMULA_NAME = '=HYPERLINK("http://x","y")'
PLUS_NAME = "+1+1"
SCRIPT = "<script>alert(1)</script>"
SENTENCE_ZH = "截至2025年6月30日,全国累计突破前沿关键核心技术3项,完成2025年目标的3%,落后时间进度71.2个百分点,状态:滞后。"
SENTENCE_EN = ("As of 30 June 2025, the country had made breakthroughs in 3 technologies (Frontier key core "
               "technologies), 3% of the 2025 target, 71.2 percentage points behind the time-elapsed pace; "
               "status: Off track.")
PACE = 529 / 713 * 100


def _item(**values):
    base = dict(code="", direction="", flagship="", status="achieved", date_precision="day", evidence="",
                sheet="项目清单", lead_unit="")
    return {**base, **values}


def hand_dataset() -> Dataset:
    items = [
        _item(province="广东省", metric="tech", name="量子芯片A", direction="information", date="2024-06-10",
              evidence="鉴定证书", key="量子芯片a", source="gd.xlsx", row=2),
        _item(province="广东省", metric="tech", name=FORMULA_NAME, direction="manufacturing", date="2025-03-01",
              evidence=SCRIPT, key="k2", source="gd.xlsx", row=3),
        _item(province="广东省", metric="tech", name=PLUS_NAME, direction="manufacturing", date="2025-05-01",
              evidence="验收报告", key="k3", source="gd.xlsx", row=4),
        _item(province="江苏省", metric="tech", name="量子芯片A", direction="information", date="2024-09-01",
              key="量子芯片a", source="js.xlsx", row=2),
        _item(province="江苏省", metric="tech", name="在研项目", status="in_progress", date="2025-02-01",
              key="在研项目", source="js.xlsx", row=3),
        _item(province="江苏省", metric="product", name="人形机器人X", direction="manufacturing",
              flagship="humanoid_robot", date="2025-02-01", key="人形机器人x", source="js.xlsx", row=4),
    ]
    assessments = [
        dict(province="广东省", goal="q2025_model", level="achieved", evidence="已形成模式", source="gd.xlsx",
             sheet="定性目标", row=2),
        dict(province="江苏省", goal="q2025_model", level="in_progress", evidence="推进中", source="js.xlsx",
             sheet="定性目标", row=2),
    ]
    tasks = [dict(province="广东省", task=1, level="basically", evidence="任务一佐证", source="gd.xlsx",
                  sheet="重点任务", row=2)]
    sources = [
        {"label": "gd.xlsx", "province": "广东省", "as_of": "2025-06-30", "uploaded_at": "2025-07-01T09:00:00",
         "sha256": "ab" * 32},
        {"label": "js.xlsx", "province": "江苏省", "as_of": "2025-06-30", "uploaded_at": "2025-07-02T10:00:00",
         "sha256": "cd" * 32},
    ]
    return Dataset(items=conform(pd.DataFrame(items), "items"),
                   assessments=conform(pd.DataFrame(assessments), "assessments"),
                   tasks=conform(pd.DataFrame(tasks), "tasks"), sources=sources)


def hand_progress():
    from metrics.progress import compute_progress

    data = hand_dataset()
    return data, compute_progress(data, as_of=AS_OF)
