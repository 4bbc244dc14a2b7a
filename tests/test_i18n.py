"""Every translation key has both languages, placeholders agree between them, every key is used by the
code and every key the code asks for exists."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from metrics.i18n import LANGS, t, translations


def test_every_key_has_every_language():
    missing = [(k, lang) for k, v in translations().items() for lang in LANGS if not (v or {}).get(lang)]
    assert missing == []


def test_placeholders_are_the_same_in_both_languages():
    ph = re.compile(r"\{(\w+)\}")
    bad = [k for k, v in translations().items() if set(ph.findall(v["zh"])) != set(ph.findall(v["en"]))]
    assert bad == []


def test_lookup_falls_back_to_the_key_and_fills_placeholders():
    assert t("app_title", "en") == "Future Industries Target Tracker"
    assert t("app_title") == "未来产业发展目标监测看板"
    assert t("no_such_key") == "no_such_key"


def test_every_entry_is_exactly_two_texts():
    # A bare comma in a flow mapping ({zh: 甲,乙}) splits the Chinese text into stray keys, and a bare
    # "yes" reads as True: both once reached users as cut or wrong words.
    bad = {k: v for k, v in translations().items()
           if set(v) - {"en_one"} != {"zh", "en"} or not all(isinstance(x, str) and x for x in v.values())
           or ("en_one" in v and "{n}" not in v["en"])}  # a singular only where the sentence counts {n}
    assert bad == {}


@pytest.mark.parametrize("n, expected", [
    (0, "0 more are not listed here; the Excel report lists them all."),
    (1, "1 more is not listed here; the Excel report lists it."),
    ("1", "1 more is not listed here; the Excel report lists it."),
    (2, "2 more are not listed here; the Excel report lists them all."),
])
def test_an_english_sentence_takes_its_singular_after_one(n, expected):
    assert t("report_appendix_more", "en", n=n) == expected
    assert t("report_appendix_more", "zh", n=n) == f"另有{n}条未在此列出,完整清单见Excel版报告。"


# ---- every key is used, and every key the code asks for exists ---------------------------------------
ROOT = Path(__file__).resolve().parent.parent
CODE = sorted([p for d in ("metrics", "app_support", "app_pages") for p in (ROOT / d).rglob("*.py")]
              + [ROOT / "dashboard.py"])
TEMPLATES = sorted((ROOT / "metrics" / "report" / "templates").glob("*.j2"))  # the HTML report's Jinja

# Keys the code builds from a prefix and a value (f"auth_action_{action}", "report_col_" + c), so no
# literal names them. A key is used when it is written out in quotes somewhere, or starts with one of these.
DYNAMIC_PREFIXES = {
    "app_action_": "metrics/audit.py: an audit action's name",
    "app_compare_value_": "app_pages/compare.py: the value a heat map shows",
    "app_severity_": "app_pages/upload.py: a problem's severity",
    "app_state_": "app_pages/history.py: a submission's state",
    "app_table_": "app_support/ui.py: the tables of a diff",
    "auth_action_": "metrics/access.py: what a role may do",
    "auth_col_": "metrics/commands/users.py: the user list's columns",
    "auth_role_": "metrics/access.py, app_support/login.py: role names",
    "chart_breakdown_": "metrics/charts.py: breakdown titles by dimension",
    "chart_by_": "metrics/charts.py: breakdown axis by dimension",
    "chart_heat_left_out_": "metrics/charts.py: the heat map's value",
    "chart_heatmap_": "metrics/charts.py: the heat map's value",
    "chart_levels_": "metrics/charts.py: goals or tasks",
    "app_field_": "app_support/ui.py: a changed field no sheet column names",
    "count_": "metrics/presentation.py counted: a count's noun, singular and plural",
    "presentation_change_": "metrics/presentation.py change_label: added, removed, changed",
    "ingest_col_": "metrics/commands/validate.py: the problem table's columns",
    "ingest_id_": "metrics/ingest.py: identifier checks",
    "ingest_precision_": "metrics/ingest.py: a date's precision",
    "ingest_severity_": "metrics/commands/validate.py: a problem's severity",
    "kind_": "app_pages/catalog.py: a metric's kind",
    "progress_source_": "metrics/commands/status.py: where a target comes from",
    "report_col_": "metrics/report/content.py, xlsx.py: report columns",
    "report_scope_word_": "metrics/report/content.py: the kind of region",
    "report_verb_": "metrics/report/content.py: a metric's verb",
    "rounds_col_": "metrics/commands/rounds.py: round table columns",
    "rounds_state_": "metrics/rounds.py: a province's state in a round",
    "store_col_": "metrics/commands/history.py: history columns",
    "store_reason_": "metrics/commands/import_.py: why an import was refused",
    "store_state_": "metrics/commands/history.py: a submission's state",
    "store_table_": "metrics/commands/diff.py: the tables of a diff",
    "template_help_": "metrics/template.py: help per sheet and column",
    "template_purpose_": "metrics/template.py: what each sheet is for",
    "tile_colour_": "app_support/tiles.py: what the tile map colours by",
}


def _trees() -> list[ast.AST]:
    return [ast.parse(p.read_text(encoding="utf-8")) for p in CODE]


def _built_prefixes() -> set[str]:
    """The leading literal of every f-string and every "text" + value in the code."""
    found = set()
    for tree in _trees():
        for n in ast.walk(tree):
            if isinstance(n, ast.JoinedStr) and len(n.values) > 1 and isinstance(n.values[0], ast.Constant):
                found.add(n.values[0].value)
            elif (isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add) and isinstance(n.left, ast.Constant)
                  and isinstance(n.left.value, str)):
                found.add(n.left.value)
    return found


def _quoted_strings() -> set[str]:
    in_code = {n.value for tree in _trees() for n in ast.walk(tree)
               if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    in_templates = {m for p in TEMPLATES for m in re.findall(r"['\"](\w+)['\"]", p.read_text(encoding="utf-8"))}
    return in_code | in_templates


def _error_text_used(key: str, quoted: set[str]) -> bool:
    """An error's texts are keyed ``text_prefix + code`` (and ``…_fix``): used when the code is quoted."""
    prefix = "error_"  # StoreError and StoreFileError's text_prefix (metrics/store.py, store_guard.py)
    code = key.removesuffix("_fix")
    return code.startswith(prefix) and code.removeprefix(prefix) in quoted


def test_every_key_is_used_by_the_code():
    quoted = _quoted_strings()
    unused = [k for k in translations() if k not in quoted and not k.startswith(tuple(DYNAMIC_PREFIXES))
              and not _error_text_used(k, quoted) and not (k.endswith("_fix") and k.removesuffix("_fix") in quoted)]
    assert unused == []


def test_the_error_text_prefix_is_the_one_the_store_errors_use():
    from metrics.store import StoreError
    from metrics.store_guard import StoreFileError

    assert StoreError.text_prefix == StoreFileError.text_prefix == "error_"


def test_every_dynamic_prefix_is_still_built_by_the_code_and_names_keys():
    built = _built_prefixes()
    assert sorted(p for p in DYNAMIC_PREFIXES if p not in built) == []
    assert sorted(p for p in DYNAMIC_PREFIXES if not any(k.startswith(p) for k in translations())) == []


def test_every_literal_key_given_to_t_exists_in_both_languages():
    asked = {n.args[0].value for tree in _trees() for n in ast.walk(tree)
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "t" and n.args
             and isinstance(n.args[0], ast.Constant) and isinstance(n.args[0].value, str)}
    table = translations()
    assert {"app_title", "scope_national", "rounds_unreviewed_note"} <= asked  # the scan sees the calls
    assert sorted(k for k in asked if not all((table.get(k) or {}).get(lang) for lang in LANGS)) == []
