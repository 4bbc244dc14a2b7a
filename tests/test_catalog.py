"""The catalog matches the policy text and fails readably when a data file is broken."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from metrics.catalog import DEFAULT_FILES, CatalogError, load_catalog_from, load_overlay_file, parse_overlay

NATIONAL_TABLE = [
    ("incubator", "未来产业孵化器", None, "2025-12-31"),
    ("pilot_zone", "未来产业先导区", None, "2025-12-31"),
    ("tech", "前沿关键核心技术", 100, "2025-12-31"),
    ("product", "标志性产品", 100, "2025-12-31"),
    ("enterprise", "领军企业", 100, "2025-12-31"),
    ("scenario", "典型应用场景", 100, "2025-12-31"),
    ("standard", "关键标准", 100, "2025-12-31"),
    ("service_org", "专业服务机构", 100, "2025-12-31"),
    ("eco_leader", "生态主导型领军企业", None, "2027-12-31"),
]


@pytest.mark.parametrize("metric_id,name_zh,target,deadline", NATIONAL_TABLE)
def test_national_countable_targets_match_the_policy(catalog, metric_id, name_zh, target, deadline):
    m = catalog.metric(metric_id)
    assert m.name_zh == name_zh
    assert m.kind == "count"
    spec = catalog.national_target(metric_id)
    assert spec.value == target
    assert spec.is_batch == (target is None)
    assert spec.deadline.isoformat() == deadline


def test_policy_text_shipped_is_the_shared_policy(catalog, repo_root):
    shared = sorted((repo_root.parent / "shared" / "policy").glob("*.txt"))
    if shared:  # beside a checkout the policy folder is present; the shipped copy must equal it
        assert catalog.policy_text() == shared[0].read_text(encoding="utf-8")
    assert catalog.policy.number in catalog.policy_text()
    assert catalog.policy.date == dt.date(2024, 1, 18)


def test_every_metric_clause_is_quoted_from_the_policy(catalog):
    text = catalog.policy_text()
    for m in catalog.all_metrics:
        clause = m.source_clause
        assert clause is not None, m.id
        assert clause.quote in text, (m.id, clause.quote)
        for t in m.targets:
            if t.clause:
                assert t.clause.quote in text, (m.id, t.clause.quote)


def test_qualitative_goals_cover_section_three(catalog):
    goals = catalog.qualitative_metrics
    by_year = {2025: [], 2027: []}
    for g in goals:
        by_year[g.targets[0].deadline.year].append(g.id)
        assert g.targets[0].deadline in (dt.date(2025, 12, 31), dt.date(2027, 12, 31))
    assert len(by_year[2025]) == 4
    assert len(by_year[2027]) == 8


def test_six_directions_with_their_fields(catalog):
    assert [d.id for d in catalog.directions] == ["manufacturing", "information", "materials", "energy", "space", "health"]
    text = catalog.policy_text()
    for d in catalog.directions:
        assert d.quote in text
        assert d.name_zh in text
        assert all(f in text for f in d.fields), d.id


def test_ten_flagship_categories(catalog):
    assert len(catalog.flagship) == 10
    text = catalog.policy_text()
    for f in catalog.flagship:
        assert f.quote in text and f.name_zh + "。" in text


def test_sixteen_tasks_in_six_groups(catalog):
    text = catalog.policy_text()
    assert [t.number for t in catalog.tasks] == list(range(1, 17))
    for t in catalog.tasks:
        assert f"{t.number}.{t.name_zh}" in text
    for g in catalog.task_groups:
        assert f"{g.roman}{g.name_zh}" in text
    # every task sits in the group whose heading precedes it in the text
    for t in catalog.tasks:
        group = next(g for g in catalog.task_groups if g.id == t.group)
        assert text.index(f"{group.roman}{group.name_zh}") < text.index(f"{t.number}.{t.name_zh}")


def test_regions_are_the_ones_the_policy_addresses(catalog):
    kinds = [r.kind for r in catalog.regions]
    assert sum(k in ("province", "autonomous_region", "municipality") for k in kinds) == 31
    assert sorted(r.name for r in catalog.regions if r.kind == "plan_city") == sorted(["大连市", "青岛市", "宁波市", "厦门市", "深圳市"])
    assert [r.name for r in catalog.regions if r.kind == "corps"] == ["新疆生产建设兵团"]
    assert "计划单列市、新疆生产建设兵团" in catalog.policy_text()


@pytest.mark.parametrize("typed,canonical", [
    ("广东", "广东省"), ("广东省", "广东省"), ("Guangdong", "广东省"), ("粤", "广东省"), ("  广 东 ", "广东省"),
    ("GUANGDONG", "广东省"), ("内蒙古", "内蒙古自治区"), ("Inner Mongolia", "内蒙古自治区"), ("上海", "上海市"),
    ("深圳", "深圳市"), ("兵团", "新疆生产建设兵团"), ("440000", "广东省"), ("火星", None), ("", None),
])
def test_region_aliases_resolve(catalog, typed, canonical):
    assert catalog.resolve_province(typed) == canonical


@pytest.mark.parametrize("typed,metric_id", [
    ("关键标准", "standard"), ("标准", "standard"), ("standard", "standard"), ("Key Standards", "standard"),
    ("领军企业", "enterprise"), ("tech", "tech"), ("前沿关键核心技术", "tech"), ("典型应用场景", "scenario"),
    ("专业服务机构", "service_org"), ("孵化器", "incubator"), ("产业规模", "industry_scale"), ("平台", "platform"),
    ("人才团队", "talent_team"), ("不存在的指标", None),
])
def test_metric_aliases_resolve(catalog, typed, metric_id):
    assert catalog.resolve_metric(typed) == metric_id


def test_other_dimensions_resolve(catalog):
    assert catalog.resolve("direction", "未来健康") == "health"
    assert catalog.resolve("flagship", "人形机器人") == "humanoid_robot"
    assert catalog.resolve("status", "已认定") == "achieved"
    assert catalog.resolve("status", "在建") == "in_progress"
    assert catalog.resolve("level", "基本实现") == "basically"
    assert catalog.resolve("task", "13") == "13"


def test_provincial_overlay_with_own_years_metrics_and_qualifiers(catalog):
    overlay = parse_overlay({
        "province": "江苏",
        "metrics": [{"name_zh": "未来产业营收", "unit": "亿元", "kind": "value"}],
        "targets": [
            {"metric": "tech", "value": "100项以上", "deadline": 2026},
            {"metric": "未来产业营收", "value": "1000亿元", "deadline": 2026},
            {"metric": "platform", "value": "80个左右", "deadline": 2027},
            {"metric": "platform", "value": "约120", "deadline": 2030},
            {"metric": "talent_team", "value": "≥80", "deadline": "2027"},
        ],
    }, catalog)
    assert overlay.province == "江苏省"
    by = {(t.metric, t.deadline.year): t for t in overlay.targets}
    assert by[("tech", 2026)].value == 100 and by[("tech", 2026)].qualifier == "ge"
    assert by[("platform", 2027)].qualifier == "about" and by[("platform", 2030)].value == 120
    assert by[("talent_team", 2027)].qualifier == "ge"
    custom_id = overlay.metrics[0].id
    assert custom_id.startswith("custom_") and by[(custom_id, 2026)].value == 1000
    merged = catalog.with_overlay(overlay)
    assert [t.deadline.year for t in merged.metric("platform").targets] == [2027, 2030]
    assert merged.metric(custom_id).unit == "亿元"
    # the national catalog is untouched and the national target stays first
    assert catalog.metric("tech").targets[-1].province is None
    assert merged.national_target("tech").value == 100


@pytest.mark.parametrize("data,needle", [
    ({"province": "火星", "targets": []}, "province"),
    ({"province": "江苏", "targets": [{"metric": "nonexistent", "value": 1, "deadline": 2026}]}, "nonexistent"),
    ({"province": "江苏", "targets": [{"metric": "tech", "value": 1, "deadline": 2023}]}, "deadline"),
    ({"province": "江苏", "targets": [{"metric": "tech", "value": "-5", "deadline": 2026}]}, "value"),
    ({"province": "江苏", "targets": [{"metric": "tech", "value": 5, "deadline": 2026},
                                     {"metric": "tech", "value": 6, "deadline": 2026}]}, "two targets"),
    ({"province": "江苏", "targets": [{"metric": "q2025_model", "value": 5, "deadline": 2026}]}, "qualitative"),
])
def test_invalid_overlay_is_rejected_with_a_reason(catalog, data, needle):
    with pytest.raises(CatalogError) as err:
        parse_overlay(data, catalog, "plan.yaml")
    assert "plan.yaml" in str(err.value) and needle in str(err.value)


def test_overlay_file_is_read(tmp_path, catalog):
    path = tmp_path / "guangdong.yaml"
    path.write_text("province: 广东\ntargets:\n  - {metric: 标准, value: 30项, deadline: 2026}\n", encoding="utf-8")
    overlay = load_overlay_file(path, catalog)
    assert overlay.targets[0].metric == "standard" and overlay.targets[0].value == 30


def _broken_copy(tmp_path: Path, file: str, mutate) -> dict[str, Path]:
    files = {}
    for k, p in DEFAULT_FILES.items():
        dst = tmp_path / p.name
        shutil.copy(p, dst)
        files[k] = dst
    path = files[file]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return files


@pytest.mark.parametrize("file,mutate,entry,field", [
    ("catalog", lambda d: d["metrics"][2].update(kind="amount"), "id 'tech'", "kind"),
    ("catalog", lambda d: d["metrics"][3]["targets"][0].update(deadline="next year"), "id 'product'", "targets.0.deadline"),
    ("catalog", lambda d: d["metrics"][4].pop("name_zh"), "id 'enterprise'", "name_zh"),
    ("catalog", lambda d: d["metrics"][5]["targets"][0].update(value=-1), "id 'scenario'", "targets.0.value"),
    ("regions", lambda d: d["regions"][0].update(code="11"), "regions[0]", "code"),
    ("dimensions", lambda d: d["flagship"][0].update(direction="nowhere"), "flagship", "nowhere"),
])
def test_broken_catalog_names_file_entry_and_field(tmp_path, file, mutate, entry, field):
    files = _broken_copy(tmp_path, file, mutate)
    with pytest.raises(CatalogError) as err:
        load_catalog_from(files)
    message = str(err.value)
    assert DEFAULT_FILES[file].name in message or file == "dimensions"
    assert entry in message and field in message


def test_unparseable_yaml_names_the_file(tmp_path):
    files = dict(DEFAULT_FILES)
    bad = tmp_path / "catalog.yaml"
    bad.write_text("metrics: [unclosed\n", encoding="utf-8")
    files["catalog"] = bad
    with pytest.raises(CatalogError, match="catalog.yaml"):
        load_catalog_from(files)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "metrics", *args], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=120)


def test_cli_catalog_json_lists_the_national_table():
    out = _cli("catalog", "--json")
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    # One record per metric and deadline (the successor plans add 2027 ones): the policy's first.
    by_id: dict = {}
    for r in records:
        if r["province"] is None:
            by_id.setdefault(r["id"], r)
    for metric_id, name_zh, target, deadline in NATIONAL_TABLE:
        r = by_id[metric_id]
        assert (r["name_zh"], r["target"], r["deadline"], r["kind"]) == (name_zh, target, deadline, "count")
        assert {"id", "name_zh", "name_en", "unit", "kind", "target", "deadline", "clause"} <= r.keys()
        assert r["clause"]["quote"]
    assert by_id["tech"]["unit"] == "项" and by_id["enterprise"]["unit"] == "家"
    assert sum(r["kind"] == "qualitative" for r in records) == 12


def test_cli_catalog_prints_a_readable_table_in_both_languages():
    zh = _cli("catalog")
    assert zh.returncode == 0 and "关键标准" in zh.stdout and "制定百项关键标准" in zh.stdout and "一批" in zh.stdout
    en = _cli("catalog", "--lang", "en")
    assert en.returncode == 0 and "Key standards" in en.stdout and "a batch" in en.stdout


def test_cli_catalog_with_overlay_and_with_a_broken_overlay(tmp_path):
    good = tmp_path / "plan.yaml"
    good.write_text("province: 浙江\ntargets:\n  - {metric: tech, value: 50项以上, deadline: 2027}\n", encoding="utf-8")
    out = _cli("catalog", "--json", "--overlay", str(good))
    rows = [r for r in json.loads(out.stdout) if r["province"] == "浙江省"]
    assert len(rows) == 1 and rows[0]["target"] == 50 and rows[0]["deadline"] == "2027-12-31"
    bad = tmp_path / "bad.yaml"
    bad.write_text("province: 浙江\ntargets:\n  - {metric: nope, value: 5, deadline: 2027}\n", encoding="utf-8")
    out = _cli("catalog", "--overlay", str(bad))
    assert out.returncode == 2 and "bad.yaml" in out.stderr and "Traceback" not in out.stderr
