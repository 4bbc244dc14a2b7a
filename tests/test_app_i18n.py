"""Every label the dashboard shows is in the translation table, in Chinese and English."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from metrics.i18n import translations
from metrics.schema import SUBMISSION_STATES
from app_support.change_tables import DIFF_TABLES

ROOT = Path(__file__).resolve().parents[1]
# The dashboard's own files (app_support/login.py belongs to the accounts work and its auth_ keys).
APP_FILES = [ROOT / "dashboard.py", *sorted((ROOT / "app_pages").glob("*.py")),
             *sorted(p for p in (ROOT / "app_support").glob("*.py") if p.name != "login.py")]


def test_every_app_entry_has_exactly_a_chinese_and_an_english_text():
    # A stray ASCII comma in a YAML flow mapping silently cuts a text in two: check the shape.
    data = yaml.safe_load((ROOT / "metrics" / "data" / "i18n" / "app.yaml").read_text(encoding="utf-8"))
    bad = {k: v for k, v in data.items()
           if not k.startswith("app_") or not isinstance(v, dict) or set(v) != {"zh", "en"}
           or not all(isinstance(x, str) and x.strip() for x in v.values())}
    assert bad == {}


@pytest.mark.parametrize("path", APP_FILES, ids=[p.name for p in APP_FILES])
def test_every_key_a_page_names_is_translated(path):
    text = path.read_text(encoding="utf-8")
    keys = set(re.findall(r"""\bt\(\s*["'](\w+)["']""", text))
    keys |= set(re.findall(r"""(?:error_boundary|page_header)\(\s*["'](\w+)["']""", text))
    keys |= set(re.findall(r""":\s*["'](app_\w+)["']""", text))  # {column: key} tables of translated()
    keys |= set(re.findall(r"""\(\s*["'](app_\w+)["']\s*(?:,\s*lang)?\)""", text))  # t-like helpers
    keys = {k for k in keys if not k.endswith("_")}  # "kind_" + kind: a prefix, its keys are catalog's
    assert sorted(k for k in keys if k not in translations()) == []


@pytest.mark.parametrize("prefix, values", [
    ("app_state", SUBMISSION_STATES),
    ("app_table", DIFF_TABLES),
    ("app_change", ("added", "removed", "changed")),
    ("app_severity", ("error", "warning")),
    ("app_compare_value", ("percent", "contribution_percent")),
    ("app_action", ("upload", "rollback", "delete", "restore", "clear_samples", "import_backup")),
])
def test_keys_built_from_values_exist_for_every_value(prefix, values):
    assert [v for v in values if f"{prefix}_{v}" not in translations()] == []
