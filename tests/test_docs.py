"""Documentation that cannot drift: the README's settings table is the settings registry, every problem
code is documented in docs/, and the worked example of docs/progress.md is what the engine computes."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from metrics.problems import problem_specs
from metrics.progress import compute_progress
from metrics.settings import REPO_ROOT, SETTINGS
from tests.test_progress import dataset, item, row, target

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PROGRESS_DOC = (ROOT / "docs" / "progress.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text under a ``##`` heading, up to the next one."""
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    return text[start:end if end >= 0 else None]


# ---- settings ---------------------------------------------------------------------------------------------
def readme_settings() -> dict[str, tuple[str, str]]:
    """name -> (default, meaning) of the README's settings table."""
    out = {}
    for line in section(README, "## Settings (设置)").splitlines():
        m = re.match(r"^\| `([A-Z_]+)` \| (.*?) \| (.*) \|$", line)
        if m:
            default = "" if m.group(2) == "(none)" else m.group(2).strip("`").replace("<repo>", str(REPO_ROOT))
            out[m.group(1)] = (default, m.group(3))
    return out


def test_the_readme_settings_table_is_the_settings_registry():
    table = readme_settings()
    assert list(table) == list(SETTINGS)  # same settings, same order
    assert table == {s.name: (s.default, s.help) for s in SETTINGS.values()}
    assert {"TRACKER_SAMPLE_DATA", "TRACKER_TIMEZONE"} <= set(table)


def test_every_setting_the_code_reads_is_in_the_registry():
    """No TRACKER_* variable is read past the registry (it would be missing from the table)."""
    read = set()
    for path in [*ROOT.glob("metrics/**/*.py"), *ROOT.glob("app_support/*.py"), ROOT / "dashboard.py"]:
        read |= set(re.findall(r"""environ(?:\.get)?\(?\[?["'](TRACKER_[A-Z_]+)""", path.read_text(encoding="utf-8")))
    assert read <= set(SETTINGS), read - set(SETTINGS)


# ---- problem codes ----------------------------------------------------------------------------------------
def test_every_problem_code_is_documented():
    docs = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", docs, flags=re.M))
    assert set(problem_specs()) <= documented, sorted(set(problem_specs()) - documented)


def test_every_problem_has_a_message_in_both_languages_and_a_fix_in_both_or_neither():
    for code, spec in problem_specs().items():
        assert spec["severity"] in ("error", "warning", "info") and spec["message_zh"] and spec["message_en"], code
        assert ("fix_zh" in spec) == ("fix_en" in spec), code


# ---- the worked example of docs/progress.md --------------------------------------------------------------
EXAMPLE = section(PROGRESS_DOC, "## Worked example")
AS_OF = dt.date(2025, 1, 18)


def documented_figures() -> dict[str, str]:
    """`column` = … = value pairs of the example's list, the value as written (the last number)."""
    out = {}
    for name, expr in re.findall(r"`([a-z_]+)` = ([^,;\n(]+)", EXAMPLE):
        numbers = re.findall(r"[−-]?\d+(?:\.\d+)?", expr)
        out[name] = numbers[-1].replace("−", "-")
    return out


def gd_tech(n_items: int) -> dict:
    """The example: 广东省's own "10项以上 by 2025" and ``n_items`` technologies of February 2024."""
    data = dataset(items=[item("广东省", "tech", f"技术{i}", "2024-02", precision="month") for i in range(n_items)],
                   targets=[target("广东省", "tech", 10, "2025-12-31", qualifier="ge", text="10项以上")])
    return row(compute_progress(data, as_of=AS_OF), "广东省", "tech")


def test_the_worked_example_is_what_the_engine_computes():
    figures = documented_figures()
    assert set(figures) == {"pace_percent", "pace_value", "actual", "percent", "gap_items", "gap_pp",
                            "required_rate", "projected"}
    r = gd_tech(5)
    for name, written in figures.items():
        places = len(written.partition(".")[2])
        assert round(float(r[name]), places) == pytest.approx(float(written)), name
    status = re.search(r"\*\*([a-z_]+)\*\* \(", EXAMPLE).group(1)
    assert r["status"] == status == "at_risk"


def test_the_worked_example_other_counts_give_the_statuses_it_names():
    m = re.search(r"With (\d+) items it would be (\w+); with (\d+), (\w+); with (\d+), (\w+)\.", EXAMPLE)
    pairs = [(int(m.group(i)), m.group(i + 1)) for i in (1, 3, 5)]
    assert pairs == [(3, "off_track"), (6, "on_track"), (10, "met")]
    assert [gd_tech(n)["status"] for n, _ in pairs] == [s for _, s in pairs]


def test_the_worked_example_of_the_national_roll_up():
    """江苏省 GB/T 1-2024 标准甲, 浙江省 标准 甲 without a number, 广东省 GB/T 1-2024 and GB/T 2-2024."""
    assert "2 + 1 + 1 = 4 standards, the nation counts 2" in EXAMPLE
    data = dataset(items=[
        item("江苏省", "standard", "标准甲", "2024-06-01", code="GB/T 1-2024"),
        item("浙江省", "standard", "标准 甲", "2024-06-01"),
        item("广东省", "standard", "标准甲", "2024-06-01", code="GB/T 1-2024"),
        item("广东省", "standard", "标准乙", "2024-06-01", code="GB/T 2-2024"),
    ])
    p = compute_progress(data, as_of=AS_OF)
    first = p.rows[p.rows["metric"] == "standard"].drop_duplicates("scope")
    actual = dict(zip(first["scope"], first["actual"]))
    assert [actual[s] for s in ("广东省", "江苏省", "浙江省", "national")] == [2, 1, 1, 2]
    shared = p.shared_items[p.shared_items["metric"] == "standard"]
    assert shared[["code", "provinces"]].values.tolist() == [["GB/T 1-2024", "广东省、江苏省、浙江省"]]
    claims = p.overclaims[(p.overclaims["check"] == "claims_exceed_distinct") & (p.overclaims["metric"] == "standard")]
    assert claims[["provincial_sum", "national_distinct"]].values.tolist() == [[4, 2]]
