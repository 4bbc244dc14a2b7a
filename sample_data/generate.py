"""Fictional sample workbooks (示例数据) and a large synthetic national set, from a fixed seed.

``write_samples(out_dir)`` rebuilds the committed sample files; ``synthetic_workbook(path, N)``
writes one workbook with N items for each of the 31 provinces (benchmarks);
``sample_files()`` lists the committed good samples.
Run ``python -m sample_data.generate [--out DIR] [--synthetic N]``.
Every name, code and number here is invented.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import re
import sys
import zipfile
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from metrics.catalog import Catalog, load_catalog  # noqa: E402
from metrics.text import item_key  # noqa: E402
from metrics.workbook_spec import headers, sheet_name  # noqa: E402
from metrics.xlsx_safe import safe_cell_text  # noqa: E402

SAMPLE_DIR = Path(__file__).resolve().parent
SEED = 42
SAMPLE_MARK = "示例数据"
SAMPLE_NOTE = "示例数据:本文件中的单位、名称、编号和数字均为虚构,仅用于演示。"
SYNTHETIC_AS_OF = dt.date(2026, 10, 31)

# ---- identifiers ------------------------------------------------------------------------------
# GB 32100-2015 统一社会信用代码: 31 characters (no I, O, S, V, Z), weights 3^i mod 31.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
# GB 11714 组织机构代码 (characters 9-17 of the credit code): weights and mod-11 check.
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def org_code_check(body: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, ORG_WEIGHTS))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def credit_code_check(first17: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters of a credit code."""
    total = sum(USCC_CHARS.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def credit_code(rng: random.Random, division: str, kind: str = "enterprise") -> str:
    """A made-up but well-formed 18-character 统一社会信用代码 registered in ``division``."""
    prefix = {"enterprise": "91", "institution": rng.choice(["12", "52", "91"])}[kind]
    if rng.random() < 0.5:
        # Codes issued after 2015 carry MA + 6 characters in place of the old organisation code.
        body = "MA" + "".join(rng.choice(USCC_CHARS[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = prefix + division + body + org_code_check(body)
    return first17 + credit_code_check(first17)


def standard_number(rng: random.Random, year: int) -> str:
    """A made-up national (GB/T) or group (T/…) standard number of ``year``."""
    if rng.random() < 0.55:
        return f"GB/T {rng.randint(40000, 49999)}-{year}"
    org = rng.choice(["CESA", "CAS", "CIE", "CSAE", "CMIF", "CCSA", "CIMA", "CAAM"])
    return f"T/{org} {rng.randint(1, 1999)}-{year}"


# ---- vocabulary (all invented) ----------------------------------------------------------------
BRAND = list("华盛智远星瀚中天恒昊博睿宏启泰新腾锐凌芯源量光磐钧海岳峰鼎曜科创微融云极衡")
CITY_SUFFIX = ["新区", "高新区", "经开区", "科学城", "湾区", "城区"]
TECH_WORDS = ["关键技术", "核心算法", "共性技术", "前沿技术", "底层技术", "核心器件技术", "集成技术", "测试验证技术"]
PRODUCT_WORDS = ["样机", "整机", "系统", "平台", "模组", "装备", "芯片", "终端"]
SCENARIO_SECTORS = ["汽车制造", "电子信息", "石化化工", "钢铁", "医疗服务", "智慧城市", "能源电力", "港口物流", "农业生产", "文化旅游"]
STD_WORDS = ["通用技术要求", "测试方法", "术语和定义", "安全要求", "评价规范", "接口规范", "数据格式"]
ORG_WORDS = ["中试服务中心", "检验检测中心", "知识产权服务中心", "技术转移中心", "产业创新服务中心", "概念验证中心"]
UNIVERSITIES = ["某理工大学", "某科技大学", "某工业大学", "某交通大学", "某师范大学"]
INSTITUTES = ["某研究院", "某创新研究院", "某产业技术研究院", "某实验室"]
STAGES = ["", "", "", "(一期)", "(二期)", "(三期)"]

# Share of items by metric in a realistic register (countable national metrics).
METRIC_WEIGHTS = {"tech": 20, "product": 20, "enterprise": 12, "scenario": 16, "standard": 12,
                  "service_org": 8, "incubator": 5, "pilot_zone": 3, "eco_leader": 4}


def national_regions(catalog: Catalog) -> list[Any]:
    """The 31 provinces, autonomous regions and municipalities, in catalog order."""
    return [r for r in catalog.regions if r.kind in ("province", "autonomous_region", "municipality")]


def random_date(rng: random.Random, start: dt.date, end: dt.date, skew: float = 1.6) -> dt.date:
    """A date between start and end, more often late than early (work picks up over time)."""
    span = (end - start).days
    return start + dt.timedelta(days=int(span * rng.random() ** (1 / skew)))


class ItemMaker:
    """Makes invented register rows for one province, unique by (metric, key) within it."""

    def __init__(self, rng: random.Random, catalog: Catalog, region: Any, start: dt.date, end: dt.date,
                 used_codes: set[str], focus: tuple[str, ...] = ()):
        self.rng, self.catalog, self.region = rng, catalog, region
        # Directions the province concentrates on: most of its items fall in them.
        self.focus = [d for d in catalog.directions if d.id in focus]
        self.focus_flagship = [f for f in catalog.flagship if f.direction in focus]
        self.start, self.end = start, end
        self.used_codes = used_codes
        self.seen: set[tuple[str, str]] = set()
        self.metrics = list(METRIC_WEIGHTS)
        self.weights = list(METRIC_WEIGHTS.values())
        self.divisions = [region.code[:2] + f"{c:02d}{d:02d}" for c in range(1, 10) for d in (0, 2, 3, 5)]

    def brand(self) -> str:
        return "".join(self.rng.sample(BRAND, 2))

    def place(self) -> str:
        return self.region.short + self.rng.choice(CITY_SUFFIX)

    def unique_code(self, make) -> str:
        for _ in range(50):
            code = make()
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code
        # The space is nearly full: 31 × 20,000 items draw ~74,000 standard numbers from ~78,000, so
        # retrying grows without bound. Number a part of the last draw instead (GB/T 41234.2-2026).
        base, part = code, 1
        while code in self.used_codes:
            part += 1
            code = re.sub(r"-(\d{4})$", rf".{part}-\1", base) if base.count("-") == 1 else f"{base}{part}"
        self.used_codes.add(code)
        return code

    def item(self, metric: str | None = None, statuses: tuple[float, float] = (0.86, 0.95),
             month_share: float = 0.08) -> dict[str, Any]:
        """One register row (values as a user would write them)."""
        rng, cat = self.rng, self.catalog
        metric = metric or rng.choices(self.metrics, self.weights)[0]
        focused = bool(self.focus) and rng.random() < 0.75
        flagships = self.focus_flagship if focused else cat.flagship
        flagship = (rng.choice(flagships) if flagships and metric in ("product", "tech", "scenario")
                    and rng.random() < 0.6 else None)
        directions = self.focus if focused else cat.directions
        direction = cat.direction_by_id[flagship.direction] if flagship else rng.choice(directions)
        field = rng.choice(direction.fields)
        r = rng.random()
        status = "已完成" if r < statuses[0] else "推进中" if r < statuses[1] else "计划中"
        date: Any = None
        year = rng.randint(self.start.year, self.end.year)
        if status == "已完成":
            d = random_date(rng, self.start, self.end)
            date, year = (f"{d.year}年{d.month}月" if rng.random() < month_share else d), d.year
        elif rng.random() < 0.05:
            status = ""  # left blank: counts as achieved, so it needs a date
            date = random_date(rng, self.start, self.end)
            year = date.year
        code = ""
        brand = self.brand()
        if metric in ("enterprise", "eco_leader"):
            name = f"{self.region.short}{brand}{field[:2]}科技有限公司"
            if metric == "eco_leader":
                name = name.replace("科技有限公司", "集团股份有限公司")
            if rng.random() < 0.9:
                code = self.unique_code(lambda: credit_code(rng, rng.choice(self.divisions)))
            lead = name
        elif metric == "service_org":
            name = f"{self.place()}{field}{rng.choice(ORG_WORDS)}"
            if rng.random() < 0.85:
                code = self.unique_code(lambda: credit_code(rng, rng.choice(self.divisions), "institution"))
            lead = name
        elif metric == "standard":
            name = f"{field}{rng.choice(STD_WORDS)}"
            code = self.unique_code(lambda: standard_number(rng, year))
            lead = f"{brand}{rng.choice(INSTITUTES)}"
        elif metric == "tech":
            # Provinces name their projects after the team that does them: names do not repeat across provinces.
            name = f"{field}{rng.choice(TECH_WORDS)}攻关项目({self.region.short}{brand})"
            lead = rng.choice([f"{brand}{rng.choice(INSTITUTES)}", rng.choice(UNIVERSITIES), f"{brand}科技有限公司"])
        elif metric == "product":
            base = flagship.name_zh if flagship else field
            name = f"{self.region.short}{brand}{base}{rng.choice(PRODUCT_WORDS)}"
            lead = f"{brand}科技有限公司"
        elif metric == "scenario":
            name = f"{self.region.short}{brand}{field}在{rng.choice(SCENARIO_SECTORS)}领域的应用场景"
            lead = f"{brand}科技有限公司"
        elif metric == "incubator":
            name = f"{self.place()}{field}未来产业孵化器"
            lead = rng.choice(UNIVERSITIES)
        else:  # pilot_zone
            name = f"{self.place()}{direction.name_zh}产业先导区"
            lead = f"{self.place()}管委会"
        name = self.unique_name(metric, name, code)
        return {
            "省份": self.region.name,
            "指标": cat.metric(metric).name_zh,
            "名称": name,
            "编号": code,
            "方向": direction.name_zh,
            "标志性产品类别": flagship.name_zh if flagship else "",
            "牵头单位": lead,
            "状态": status,
            "完成日期": date,
            "证明材料": f"{self.region.short}工信发〔{year}〕{rng.randint(1, 300)}号" if status == "已完成" else "",
            "备注": "",
        }

    def unique_name(self, metric: str, name: str, code: str) -> str:
        """The name, numbered when this province already has an item of that name."""
        n = 1
        candidate = name
        while (metric, item_key(candidate)) in self.seen:
            n += 1
            stage = STAGES[n] if n < len(STAGES) and STAGES[n] else f"({n}号)"
            candidate = f"{name}{stage}"
        self.seen.add((metric, item_key(candidate)))
        if code:
            self.seen.add((metric, "code:" + code))
        return candidate

    def take(self, row: dict[str, Any], metric: str) -> bool:
        """Record a row shared from another province; False when this province already has it."""
        k = (metric, item_key(row["名称"]))
        ck = (metric, "code:" + row["编号"]) if row["编号"] else None
        if k in self.seen or (ck and ck in self.seen):
            return False
        self.seen.add(k)
        if ck:
            self.seen.add(ck)
        return True


def region_items(rng: random.Random, catalog: Catalog, regions: list[Any], n: int, start: dt.date,
                 end: dt.date, shared_share: float = 0.03) -> dict[str, list[dict[str, Any]]]:
    """n register rows for each region; about ``shared_share`` of each are items of another region."""
    used_codes: set[str] = set()
    makers = {r.name: ItemMaker(rng, catalog, r, start, end, used_codes) for r in regions}
    rows = {r.name: [makers[r.name].item() for _ in range(n)] for r in regions}
    if len(regions) < 2:
        return rows
    name_to_metric = {m.name_zh: m.id for m in catalog.metrics}
    for r in regions:
        own = rows[r.name]
        k = int(round(n * shared_share))
        slots = rng.sample(range(n), k) if k else []
        for slot in slots:
            for _ in range(20):
                other = rng.choice([x for x in regions if x.name != r.name])
                src = rng.choice(rows[other.name])
                metric = name_to_metric[src["指标"]]
                if src.get("_shared") or not makers[r.name].take(src, metric):
                    continue
                # Same item (same code, or same name where it has none), reported by both provinces.
                own[slot] = {**src, "省份": r.name, "牵头单位": src["牵头单位"], "_shared": True,
                             "备注": f"与{other.short}共建"}
                break
    return rows


def totals_rows(rng: random.Random, region: Any, as_of: dt.date) -> list[dict[str, Any]]:
    """指标汇总 rows: money and provincial metrics reported as numbers, at several dates."""
    out = []
    scale = rng.uniform(80, 900)
    for d in (dt.date(2024, 12, 31), dt.date(2025, 12, 31), as_of):
        out.append({"省份": region.name, "指标": "产业规模", "截至日期": d, "累计值": round(scale, 1),
                    "备注": "单位:亿元"})
        scale *= rng.uniform(1.08, 1.35)
    platforms, teams = rng.randint(5, 30), rng.randint(5, 40)
    for d in (dt.date(2025, 6, 30), as_of):
        out.append({"省份": region.name, "指标": "创新平台", "截至日期": d, "累计值": platforms, "备注": ""})
        out.append({"省份": region.name, "指标": "人才团队", "截至日期": d, "累计值": teams, "备注": ""})
        platforms += rng.randint(1, 15)
        teams += rng.randint(1, 20)
    return out


def targets_rows(rng: random.Random, region: Any, n_items: int) -> list[dict[str, Any]]:
    """目标设定 rows as people write them: qualifiers, units in the value, bare years."""
    per = max(1, n_items // 10)
    return [
        {"省份": region.name, "指标": "前沿关键核心技术", "目标值": f"{per * 2}项以上", "单位": "项", "截止日期": 2026,
         "说明": "省级未来产业行动方案"},
        {"省份": region.name, "指标": "标志性产品", "目标值": per * 2, "单位": "项", "截止日期": 2026, "说明": ""},
        {"省份": region.name, "指标": "领军企业", "目标值": f"约{per}", "单位": "家", "截止日期": "2027-12-31", "说明": ""},
        {"省份": region.name, "指标": "产业规模", "目标值": f"{rng.randint(5, 30) * 100}亿元", "单位": "亿元",
         "截止日期": 2027, "说明": "省级规划"},
        {"省份": region.name, "指标": "创新平台", "目标值": f"{rng.randint(3, 10) * 10}个左右", "单位": "个",
         "截止日期": 2030, "说明": ""},
    ]


GOAL_EVIDENCE = ["已出台专项政策并建立工作专班", "重点领域取得阶段性成果", "正在组织实施相关工程", "已纳入年度重点工作"]
TASK_EVIDENCE = ["印发实施方案,建立项目库", "组织开展揭榜挂帅,支持项目若干", "建设中试平台并投入运行",
                 "举办供需对接活动,发布场景清单", "制定地方标准并推动转化为团体标准"]


def goal_rows(rng: random.Random, catalog: Catalog, region: Any) -> list[dict[str, Any]]:
    """定性目标 self-assessment rows, one per qualitative goal."""
    levels = [lv.name_zh for lv in catalog.levels]
    return [{"省份": region.name, "目标": g.name_zh, "进展程度": rng.choices(levels, [2, 4, 5, 1])[0],
             "佐证": rng.choice(GOAL_EVIDENCE)} for g in catalog.qualitative_metrics]


def task_rows(rng: random.Random, catalog: Catalog, region: Any) -> list[dict[str, Any]]:
    """任务进展 rows, one per key task."""
    levels = [lv.name_zh for lv in catalog.levels]
    return [{"省份": region.name, "任务序号": f"{t.number}.{t.name_zh}",
             "进展程度": rng.choices(levels, [3, 4, 4, 1])[0], "工作进展": rng.choice(TASK_EVIDENCE)}
            for t in catalog.tasks]


# ---- writing ----------------------------------------------------------------------------------
def _append(ws: Any, keys: list[str], rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        ws.append([safe_cell_text(row.get(k)) if row.get(k) not in ("", None) else None for k in keys])


def _write_sheets(wb: Workbook, info: dict[str, Any], guide: list[str], frames: dict[str, list[dict[str, Any]]],
                  ) -> None:
    """Write the guide, info and table sheets of a workbook (write-only friendly)."""
    ws = wb.create_sheet(sheet_name("guide"))
    for line in guide:
        ws.append([safe_cell_text(line)])
    ws = wb.create_sheet(sheet_name("info"))
    for label in headers("info"):
        value = info.get(label)
        ws.append([label, safe_cell_text(value) if value not in ("", None) else None])
    for key in ("items", "totals", "targets", "goals", "tasks"):
        ws = wb.create_sheet(sheet_name(key))
        keys = headers(key)
        ws.append(keys)
        _append(ws, keys, frames.get(key, []))


def synthetic_workbook(path: str | Path, items_per_region: int = 2000, regions: int = 31, seed: int = SEED) -> Path:
    """Write one large fictional national workbook: ``items_per_region`` items for each of
    ``regions`` provinces, with totals, targets, goals and tasks for every province."""
    path = Path(path)
    rng = random.Random(seed)
    catalog = load_catalog()
    chosen = national_regions(catalog)[:regions]
    items = region_items(rng, catalog, chosen, items_per_region, dt.date(2024, 1, 1), SYNTHETIC_AS_OF)
    frames: dict[str, list[dict[str, Any]]] = {"items": [], "totals": [], "targets": [], "goals": [], "tasks": []}
    for r in chosen:
        frames["items"].extend(items[r.name])
        frames["totals"].extend(totals_rows(rng, r, SYNTHETIC_AS_OF))
        frames["targets"].extend(targets_rows(rng, r, items_per_region))
        frames["goals"].extend(goal_rows(rng, catalog, r))
        frames["tasks"].extend(task_rows(rng, catalog, r))
    wb = Workbook(write_only=True)
    guide = [f"{SAMPLE_MARK}:全国合成数据集({len(chosen)}个省级地区 × 每地{items_per_region}项成果)", SAMPLE_NOTE]
    info = {"统计截止日期": SYNTHETIC_AS_OF, "填报单位": f"{SAMPLE_MARK}(虚构)", "联系人": "示例", "联系电话": "010-00000000"}
    _write_sheets(wb, info, guide, frames)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# ---- the committed sample files -------------------------------------------------------------------
SAMPLE_AS_OF = dt.date(2026, 9, 30)
FLAWED_FILE = "示例数据_问题示例_校验演示.xlsx"
# Every error the flawed workbook is built to show (codes of metrics/data/problems.yaml).
FLAWED_CODES = ("unknown_metric", "unknown_province", "unknown_direction", "unknown_status", "bad_identifier",
                "bad_date", "bad_number", "negative_value", "future_date", "duplicate_item", "missing_value")

# province, directions it concentrates on, number of items, form of the file.
SAMPLES = (
    ("广东省", ("information", "manufacturing"), 70, "template"),
    ("江苏省", ("manufacturing", "materials"), 80, "template"),
    ("浙江省", ("health", "information"), 60, "template"),
    ("安徽省", ("energy", "information"), 50, "template"),
    ("上海市", ("information", "space"), 60, "csv_gbk"),
    ("北京市", ("information", "health"), 60, "own"),
)


def sample_file_name(province: str, form: str) -> str:
    """The file name of a province's sample: 示例数据 first, so nobody takes it for real data."""
    return {"template": f"{SAMPLE_MARK}_{province}_进展填报.xlsx", "csv_gbk": f"{SAMPLE_MARK}_{province}_成果清单_GBK.csv",
            "own": f"{SAMPLE_MARK}_{province}_自有格式.xlsx"}[form]


def _province_targets(province: str, n: int) -> list[dict[str, Any]]:
    """目标设定 rows of a sample province, as its plan would word them."""
    if province == "江苏省":
        return [
            {"指标": "前沿关键核心技术", "目标值": "100项", "单位": "项", "截止日期": 2026, "说明": "省未来产业行动方案(虚构)"},
            {"指标": "标志性产品", "目标值": "100项", "单位": "项", "截止日期": 2026, "说明": "省未来产业行动方案(虚构)"},
            {"指标": "科技园区和先导区", "目标值": "10个", "单位": "个", "截止日期": 2026, "说明": "自定义指标"},
            {"指标": "产业规模", "目标值": "1000亿元", "单位": "亿元", "截止日期": 2026, "说明": "省未来产业行动方案(虚构)"},
            {"指标": "产业规模", "目标值": "2000亿元以上", "单位": "亿元", "截止日期": 2030, "说明": "远景目标(虚构)"},
        ]
    if province == "浙江省":
        return [
            {"指标": "创新平台", "目标值": "80个左右", "单位": "个", "截止日期": 2027, "说明": "省未来产业先导区建设方案(虚构)"},
            {"指标": "创新平台", "目标值": "150个以上", "单位": "个", "截止日期": 2030, "说明": ""},
            {"指标": "人才团队", "目标值": "约80", "单位": "个", "截止日期": 2027, "说明": ""},
            {"指标": "人才团队", "目标值": "≥150", "单位": "个", "截止日期": "2030-12-31", "说明": ""},
            {"指标": "领军企业", "目标值": 20, "单位": "家", "截止日期": 2027, "说明": ""},
        ]
    return [
        {"指标": "前沿关键核心技术", "目标值": f"{max(10, n // 3)}项以上", "单位": "项", "截止日期": 2026, "说明": ""},
        {"指标": "产业规模", "目标值": f"{n * 10}亿元", "单位": "亿元", "截止日期": 2027, "说明": ""},
    ]


def _province_totals(rng: random.Random, region: Any, as_of: dt.date) -> list[dict[str, Any]]:
    """指标汇总 rows of a sample province: quarterly industry scale, platforms and talent teams."""
    out = []
    scale, platforms, teams = rng.uniform(200, 500), rng.randint(10, 25), rng.randint(10, 30)
    d = dt.date(2024, 3, 31)
    while d <= as_of:
        out.append({"省份": region.name, "指标": "产业规模", "截至日期": d, "累计值": round(scale, 1), "备注": "亿元"})
        if d.month in (6, 12):
            out.append({"省份": region.name, "指标": "创新平台", "截至日期": d, "累计值": platforms, "备注": ""})
            out.append({"省份": region.name, "指标": "人才团队", "截至日期": d, "累计值": teams, "备注": ""})
            platforms += rng.randint(3, 9)
            teams += rng.randint(3, 10)
        scale *= rng.uniform(1.03, 1.09)
        month = d.month + 3
        d = (dt.date(d.year + (month > 12), (month - 1) % 12 + 1, 1) + dt.timedelta(days=32)).replace(day=1)
        d -= dt.timedelta(days=1)
    return out


def _keyed(sheet: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows keyed by header (省份 …) turned into rows keyed by column key (province …)."""
    from metrics.workbook_spec import column_keys

    pairs = list(zip(headers(sheet), column_keys(sheet)))
    return [{k: row.get(h) for h, k in pairs} for row in rows]


def _info(region: Any, as_of: dt.date) -> dict[str, Any]:
    return {"province": region.name, "as_of": as_of, "reporter": f"{SAMPLE_MARK}(虚构):{region.short}示例填报单位",
            "contact": "示例联系人", "phone": "000-00000000"}


def _sample_rows(rng: random.Random, catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """Register rows of every sample province, with some items shared between provinces."""
    used: set[str] = set()
    makers, rows = {}, {}
    for province, focus, n, _ in SAMPLES:
        region = catalog.region_by_name[province]
        makers[province] = ItemMaker(rng, catalog, region, dt.date(2024, 1, 1), SAMPLE_AS_OF, used, focus)
        rows[province] = [makers[province].item(month_share=0.1) for _ in range(n)]
    name_to_metric = {m.name_zh: m.id for m in catalog.metrics}
    # Items reported by two provinces (joint projects of the Yangtze delta, Beijing with Guangdong).
    for src, dst, k in (("上海市", "江苏省", 2), ("上海市", "浙江省", 2), ("江苏省", "安徽省", 2), ("北京市", "广东省", 2)):
        achieved = [r for r in rows[src] if r["状态"] == "已完成" and not r.get("_shared")]
        for row in rng.sample(achieved, k):
            if makers[dst].take(row, name_to_metric[row["指标"]]):
                rows[dst].append({**row, "省份": dst, "_shared": True,
                                  "备注": f"与{catalog.region_by_name[src].short}联合完成"})
    return rows


def _write_template_sample(path: Path, rng: random.Random, catalog: Catalog, region: Any,
                           items: list[dict[str, Any]], n: int) -> None:
    from metrics.template import render_workbook

    levels = [lv.name_zh for lv in catalog.levels]
    goals = goal_rows(rng, catalog, region)
    for g in goals:
        g["进展程度"] = rng.choices(levels, [2, 4, 5, 1])[0]
    rows = {
        "items": _keyed("items", ({**r, "省份": None} if not r.get("_shared") else r for r in items)),
        "totals": _keyed("totals", ({**r, "省份": None} for r in _province_totals(rng, region, SAMPLE_AS_OF))),
        "targets": _keyed("targets", _province_targets(region.name, n)),
        "goals": _keyed("goals", ({**g, "省份": None} for g in goals)),
        "tasks": _keyed("tasks", ({**r, "省份": None} for r in task_rows(rng, catalog, region))),
    }
    content = render_workbook(rows, info=_info(region, SAMPLE_AS_OF), catalog=catalog, notice=SAMPLE_NOTE)
    path.write_bytes(content)


def _write_csv_sample(path: Path, items: list[dict[str, Any]]) -> None:
    """The register alone as CSV in GBK, the way many offices still export it."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    keys = headers("items")
    w.writerow(keys)
    for r in items:
        d = r.get("完成日期")
        out = {**r, "完成日期": d.isoformat() if isinstance(d, dt.date) else (d or "")}
        w.writerow(["" if out.get(k) is None else str(out.get(k)) for k in keys])
    path.write_bytes(buf.getvalue().encode("gbk"))


def _write_own_sample(path: Path, rng: random.Random, catalog: Catalog, region: Any,
                      items: list[dict[str, Any]]) -> None:
    """A province's own workbook: title rows above the header, its own header words and date styles."""
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "成果明细"
    heads = ["地区", "指标类别", "成果名称", "代码", "所属领域", "产品类别", "承担单位", "进展状态", "完成时间", "佐证材料", "备注"]
    ws.append([f"{region.name}未来产业发展成果明细表({SAMPLE_MARK},虚构)"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"填报单位:{SAMPLE_MARK}(虚构)    统计截止:{SAMPLE_AS_OF.year}年{SAMPLE_AS_OF.month}月{SAMPLE_AS_OF.day}日"])
    ws.append(heads)
    styles = [lambda d: f"{d.year}/{d.month}/{d.day}", lambda d: f"{d.year}.{d.month}.{d.day}",
              lambda d: f"{d.year}年{d.month}月{d.day}日", lambda d: d]
    src = headers("items")
    for r in items:
        d = r.get("完成日期")
        if isinstance(d, dt.date):
            d = rng.choice(styles)(d)
        row = {**r, "完成日期": d}
        ws.append([safe_cell_text(row.get(k)) if row.get(k) not in ("", None) else None for k in src])
    ws2 = wb.create_sheet("汇总表")
    ws2.append(["地区", "指标名称", "统计日期", "数量", "说明"])
    for r in _province_totals(rng, region, SAMPLE_AS_OF):
        ws2.append([r["省份"], r["指标"], r["截至日期"], r["累计值"], r["备注"] or None])
    ws3 = wb.create_sheet("重点任务进展")
    ws3.append(["地区", "任务序号", "自评等级", "主要工作"])
    for r in task_rows(rng, catalog, region):
        ws3.append([r["省份"], int(r["任务序号"].split(".")[0]), r["进展程度"], r["工作进展"]])
    wb.save(path)


def _write_flawed_sample(path: Path, catalog: Catalog) -> None:
    """A workbook with one of each common mistake, to show the validation report off."""
    from openpyxl.styles import Font

    rng = random.Random(SEED + 1)
    region = catalog.region_by_name["湖北省"]
    as_of = dt.date(2026, 6, 30)
    good = ItemMaker(rng, catalog, region, dt.date(2024, 1, 1), as_of, set())
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name("info")
    for label, value in zip(headers("info"), [region.name, as_of, f"{SAMPLE_MARK}(虚构):问题示例", "示例联系人", "000-00000000"]):
        ws.append([label, value])
    ws = wb.create_sheet(sheet_name("items"))
    heads = headers("items") + ["内部编码"]  # an extra column the workbook does not define
    ws.append([f"{region.name}未来产业成果清单({SAMPLE_MARK}:故意含错误,用于演示校验报告)"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["(单位:项)"])
    ws.append(heads)
    rows = [good.item(statuses=(1.0, 1.0), month_share=0) for _ in range(8)]
    ent = good.item(metric="enterprise", statuses=(1.0, 1.0), month_share=0)
    code = ent["编号"] or credit_code(rng, "420100")
    wrong = USCC_CHARS[(USCC_CHARS.index(code[-1]) + 1) % 31]
    flawed = [
        {**rows[0], "指标": "元宇宙应用", "备注": "未知指标"},
        {**rows[1], "完成日期": "2025-13-45", "备注": "日期不存在"},
        {**rows[2], "完成日期": "去年年底", "备注": "无法识别的日期"},
        {**ent, "编号": code[:-1] + wrong, "备注": "统一社会信用代码校验位错误"},
        {**rows[3], "名称": None, "备注": "缺少名称"},
        {**rows[4], "省份": "火星省", "备注": "未知省份"},
        {**rows[5], "完成日期": dt.date(2026, 8, 15), "备注": "晚于统计截止日期"},
        {**rows[6], "方向": "未来农业", "备注": "未知方向"},
        {**rows[7], "状态": "搁置", "备注": "未知状态"},
    ]
    dup = good.item(metric="tech", statuses=(1.0, 1.0), month_share=0)
    clean = [good.item(statuses=(1.0, 1.0), month_share=0) for _ in range(6)]
    for r in [*clean[:3], dup, *flawed, {**dup, "备注": "重复填报"}, *clean[3:]]:
        ws.append([safe_cell_text(r.get(k)) if r.get(k) not in ("", None) else None for k in headers("items")]
                  + ["X-001"])
    ws = wb.create_sheet(sheet_name("totals"))
    ws.append(headers("totals"))
    ws.append([None, "产业规模", dt.date(2025, 12, 31), 350.5, None])
    ws.append([None, "创新平台", dt.date(2025, 12, 31), -5, "负数"])
    ws.append([None, "人才团队", dt.date(2025, 12, 31), "十几个", "无法识别的数字"])
    ws = wb.create_sheet(sheet_name("targets"))
    ws.append(headers("targets"))
    ws.append([None, "前沿关键核心技术", "50项以上", "项", 2026, None])
    ws.append([None, "标志性产品", "30项", "项", None, "缺少截止日期"])
    wb.save(path)


FIXED_TIME = (2026, 1, 1, 0, 0, 0)
_W3CDTF = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z")


def stable_xlsx(content: bytes) -> bytes:
    """The same workbook with fixed timestamps, so that one seed always gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _W3CDTF.sub(b"2026-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _stabilise(path: Path) -> None:
    if path.suffix == ".xlsx":
        path.write_bytes(stable_xlsx(path.read_bytes()))


def write_samples(out_dir: str | Path = SAMPLE_DIR, seed: int = SEED) -> list[Path]:
    """Rebuild every sample file in ``out_dir`` from the seed; returns the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    catalog = load_catalog()
    items = _sample_rows(rng, catalog)
    written = []
    for province, _, n, form in SAMPLES:
        region = catalog.region_by_name[province]
        path = out_dir / sample_file_name(province, form)
        rows = [{k: v for k, v in r.items() if k != "_shared"} | ({"_shared": True} if r.get("_shared") else {})
                for r in items[province]]
        if form == "template":
            _write_template_sample(path, rng, catalog, region, rows, n)
        elif form == "csv_gbk":
            _write_csv_sample(path, rows)
        else:
            _write_own_sample(path, rng, catalog, region, rows)
        _stabilise(path)
        written.append(path)
    flawed = out_dir / FLAWED_FILE
    _write_flawed_sample(flawed, catalog)
    _stabilise(flawed)
    written.append(flawed)
    return written


def sample_files(directory: str | Path = SAMPLE_DIR) -> list[Path]:
    """The committed good sample files (not the flawed one), in a stable order."""
    directory = Path(directory)
    return [directory / sample_file_name(p, form) for p, _, _, form in SAMPLES
            if (directory / sample_file_name(p, form)).exists()]


def flawed_file(directory: str | Path = SAMPLE_DIR) -> Path:
    """The deliberately flawed workbook that shows the validation report off."""
    return Path(directory) / FLAWED_FILE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample_data.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(SAMPLE_DIR), help="directory for the sample files")
    parser.add_argument("--synthetic", type=int, metavar="N",
                        help="instead, write the synthetic national workbook with N items per province")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.synthetic is not None:
        if args.synthetic < 1:
            parser.error("--synthetic needs a positive number of items")
        path = synthetic_workbook(Path(args.out) / f"{SAMPLE_MARK}_全国合成_{args.synthetic}.xlsx",
                                  args.synthetic, seed=args.seed)
        print(path)
        return 0
    for path in write_samples(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
