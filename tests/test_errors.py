"""One error model (metrics/errors.py): every code raised has its texts in both languages, every error
class renders from its code and parameters, and a problem's statement and fix are rendered apart."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from metrics.access import AccessDenied, Principal
from metrics.auth import AuthError
from metrics.catalog import CatalogError
from metrics.errors import Text, TrackerError, bilingual, render
from metrics.i18n import translations
from metrics.mapping import MappingError
from metrics.model import Problem
from metrics.problems import make_problem, problem_specs
from metrics.readers import ReadError
from metrics.rounds import RoundError
from metrics.store import StoreError
from metrics.store_guard import StoreFileError

ROOT = Path(__file__).resolve().parents[1]
ERROR_CLASSES = {cls.__name__: cls for cls in (AccessDenied, AuthError, CatalogError, MappingError, ReadError,
                                                  RoundError, StoreError, StoreFileError)}


def _raised_codes() -> list[tuple[str, str, str, str]]:
    """(where, class, code, reason, parameter names) of every error built with a literal code in metrics/ and app_support/."""
    found = []
    for folder in ("metrics", "app_support"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name not in ERROR_CLASSES or name == "AccessDenied" or not node.args:
                    continue
                code = node.args[0]
                if not (isinstance(code, ast.Constant) and isinstance(code.value, str)):
                    continue  # a code passed on (StoreError(exc.code, …)) was checked where it was raised
                reason = node.args[1] if len(node.args) > 1 else None
                reason = reason.value if isinstance(reason, ast.Constant) and isinstance(reason.value, str) else ""
                # The parameters given by name; None when some come from a ** mapping (not checkable here).
                given = None if any(k.arg is None for k in node.keywords) else frozenset(k.arg for k in node.keywords)
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", name, code.value, reason, given))
    return found


RAISED = _raised_codes()


def test_the_scan_finds_the_raise_sites():
    classes = {cls for _, cls, _, _, _ in RAISED}
    assert classes == set(ERROR_CLASSES) - {"AccessDenied"}, classes
    assert len(RAISED) > 60


@pytest.mark.parametrize("where, cls, code, reason, given", RAISED, ids=[f"{w} {c}" for w, _, c, _, _ in RAISED])
def test_every_raised_code_has_chinese_and_english_texts(where, cls, code, reason, given):
    if cls == "ReadError":  # a problem code: its texts are in problems.yaml, the reason an i18n key
        spec = problem_specs()[code]
        assert spec["message_zh"] and spec["message_en"], where
        if reason:
            assert translations()[reason]["zh"] and translations()[reason]["en"], where
        return
    key = ERROR_CLASSES[cls].text_prefix + code
    texts = translations().get(key)
    assert texts is not None, f"{where}: {cls}({code!r}) has no text {key!r}"
    assert texts.get("zh") and texts.get("en"), where


PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("where, cls, code, reason, given", [r for r in RAISED if r[4] is not None],
                         ids=[f"{r[0]} {r[2]}" for r in RAISED if r[4] is not None])
def test_every_raise_site_gives_the_values_its_texts_name(where, cls, code, reason, given):
    if cls == "ReadError":
        spec = problem_specs()[code]
        texts = [spec.get(f"{part}_{lang}", "") for part in ("message", "fix") for lang in ("zh", "en")]
        texts += list(translations()[reason].values()) if reason else []
        given = given | {"reason"}
    else:
        key = ERROR_CLASSES[cls].text_prefix + code
        texts = [v for k in (key, key + "_fix") for v in (translations().get(k) or {}).values()]
    named = {name for text in texts for name in PLACEHOLDER.findall(text)}
    assert named <= given, f"{where}: {cls}({code!r}) lacks {sorted(named - given)}"


def test_access_denied_codes_have_texts():
    for code in ("auth_denied_action", "auth_denied_editor", "auth_denied_role"):
        assert translations()[code]["zh"] and translations()[code]["en"]


EDITOR = Principal("js_editor", "editor", "江苏省")
VIEWER = Principal("guest", "viewer")

RENDERED = [
    (AccessDenied(EDITOR, ["广东省"], "upload"),
     "无权操作:账户 js_editor 只能为江苏省上传数据,不能处理广东省的数据。未保存任何内容。",
     "Not allowed: account js_editor may upload data for 江苏省 only, not for 广东省. Nothing was stored or changed."),
    (AccessDenied(VIEWER, ["江苏省"], "upload"),
     "无权操作:账户 guest(查看者)不能上传数据。未保存任何内容。",
     "Not allowed: account guest (viewer) may not upload data. Nothing was stored or changed."),
    (AuthError("auth_no_such_user", username="张三"), "没有用户 张三。", "No user 张三."),
    (RoundError("rounds_exists", name="试点"), "报送轮次“试点”已存在。", "A reporting round named '试点' already exists."),
    (MappingError("mapping_no_columns", sheet="领军企业"), "工作表“领军企业”缺少 columns 部分",
     "sheet '领军企业' has no 'columns' part"),
    (ReadError("too_large", "", size_mb=60.2, limit_mb=50.0),
     "文件过大(60.2 MB),上限为 50.0 MB。", "The file is too large (60.2 MB); the limit is 50.0 MB."),
    (ReadError("unreadable_file", "ingest_reason_missing_file", path="a.xlsx"),
     "无法读取该文件:找不到文件 a.xlsx。", "The file cannot be read: file a.xlsx does not exist."),
    (CatalogError("catalog_invalid", file="catalog.yaml", entry="id 'tech'", field="kind", detail="bad kind"),
     "catalog.yaml:条目 id 'tech',字段“kind”:bad kind", "catalog.yaml: entry id 'tech', field 'kind': bad kind"),
    (StoreError("store_unknown_submission", id=7), "没有编号为 7 的提交记录", "no submission with id 7"),
    (StoreFileError("store_not_sqlite", path="/srv/t.sqlite"),
     "数据库文件已损坏或不是 SQLite 数据库:/srv/t.sqlite。", "the database file /srv/t.sqlite is damaged or not a SQLite database."),
]


@pytest.mark.parametrize("exc, zh, en", RENDERED, ids=[type(e).__name__ + ":" + e.code for e, _, _ in RENDERED])
def test_every_error_class_renders_its_code_in_both_languages(exc, zh, en):
    assert isinstance(exc, TrackerError) and exc.params
    assert (exc.message("zh"), exc.message("en")) == (zh, en)
    assert str(exc) == f"{zh} / {en}"


def test_an_error_with_a_fix_renders_statement_and_fix_apart():
    exc = StoreFileError("store_file_gone", path="/srv/t.sqlite")
    assert exc.message("en") == "the database file /srv/t.sqlite was deleted or replaced; what was just saved is not durable."
    assert exc.fix("en") == "Restore the data folder, restart the app and upload again."
    assert exc.fix("zh") == "请恢复数据文件夹后重启应用并重新上传。"
    assert render(exc, "en") == exc.message("en") + " " + exc.fix("en")
    assert render(exc, "zh") == "数据库文件已被删除或替换:/srv/t.sqlite。刚才的保存未能持久保存;请恢复数据文件夹后重启应用并重新上传。"
    assert bilingual(exc) == f"{render(exc, 'zh')} / {render(exc, 'en')}"


def test_a_read_error_takes_its_fix_from_problems_yaml():
    exc = ReadError("too_large", "", size_mb=60.2, limit_mb=50.0)
    assert exc.fix("en") == "Remove unrelated sheets or pictures, or split it into several files."
    assert AuthError("auth_no_such_user", username="x").fix("zh") == ""  # nothing to do: no fix text


def test_a_store_file_error_passes_into_a_store_error_unchanged():
    inner = StoreFileError("store_empty_file", path="/srv/t.sqlite")
    outer = StoreError(inner.code, **inner.params)
    assert (outer.code, render(outer, "zh"), render(outer, "en")) == (inner.code, render(inner, "zh"), render(inner, "en"))
    assert "0 字节" in render(outer, "zh") and "Restore a backup" in render(outer, "en")


def test_anything_else_is_named_by_its_kind_only():
    exc = RuntimeError("postgresql://user:secret@db/x failed")
    assert render(exc, "en") == "an unexpected error (RuntimeError)"
    assert render(exc, "zh") == "出现意外错误(RuntimeError)"


# ---- problems: statement and fix rendered apart ---------------------------------------------------
def test_a_problem_renders_its_statement_and_fix_from_its_code():
    p = make_problem("missing_value", sheet="成果清单", row=5, column="C", header="名称", header_en="Name")
    assert p.statement("zh") == "第 5 行“名称”为空。" and p.fix_text("zh") == "请填写名称。"
    assert p.statement("en") == "Row 5: '名称' is empty." and p.fix_text("en") == "Fill in Name."
    assert (p.message, p.message_en) == ("第 5 行“名称”为空。请填写名称。", "Row 5: '名称' is empty. Fill in Name.")
    assert p.params == {"header_en": "Name"}


def test_a_stored_problem_renders_its_translated_params_in_either_language():
    p = make_problem("detected_as_of", sheet="成果清单", row=1, column="A", value="统计截止:2026年9月",
                     date="2026-09-30", precision=Text("ingest_precision_month"), source=Text("ingest_source_title"))
    stored = Problem(**p.to_dict())
    assert stored.params["precision"] == {"$text": "ingest_precision_month", "values": {}}
    for lang in ("zh", "en"):
        assert stored.statement(lang) == p.statement(lang)
    assert stored.statement("en") == ("As-of date 2026-09-30 (end of the month) was taken from the title rows "
                                      "('统计截止:2026年9月').")
    assert stored.fix_text("en") == ""


def test_a_problem_stored_before_params_shows_its_message_as_stored():
    old = Problem(code="missing_value", severity="error", message="第 5 行“名称”为空。请填写名称。",
                  message_en="Row 5: '名称' is empty. Fill in Name.", sheet="成果清单", row=5, header="名称",
                  fix="请填写名称。", fix_en="Fill in Name.")
    assert old.statement("en") == "Row 5: '名称' is empty. Fill in Name."  # never cut apart
    assert old.fix_text("en") == ""  # the message already says it


# ---- the app's error boundary -----------------------------------------------------------------------
def test_the_error_boundary_shows_any_tracker_error_with_its_fix():
    from streamlit.testing.v1 import AppTest

    def script():
        from app_support.errors import error_boundary
        from metrics.rounds import RoundError
        from metrics.store import StoreError

        with error_boundary("app_page_gaps"):
            raise StoreError("store_file_gone", path="/srv/tracker.sqlite")
        with error_boundary("app_page_rounds"):
            raise RoundError("rounds_exists", name="试点")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "数据库文件已被删除或替换:/srv/tracker.sqlite。刚才的保存未能持久保存;请恢复数据文件夹后重启应用并重新上传。",
        "报送轮次“试点”已存在。",
    ]
    assert at.error[0].icon == ":material/database:"


# ---- the CLI ---------------------------------------------------------------------------------------
def _cli(*args: str) -> "subprocess.CompletedProcess[str]":
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "metrics", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_the_cli_prints_a_refusal_in_both_languages_and_exits_2(tmp_path):
    db = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    done = _cli("rollback", "999", "--db", db)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "没有编号为 999 的提交记录 / no submission with id 999\n"


def test_the_cli_names_a_store_it_cannot_open_with_the_fix(tmp_path):
    (tmp_path / "tracker.sqlite").write_bytes(b"")
    done = _cli("history", "--db", f"sqlite:///{tmp_path / 'tracker.sqlite'}")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    zh, en = done.stderr.rstrip("\n").split(" / ")
    assert zh.startswith("数据库不可用:数据库文件为空(0 字节)") and zh.endswith("请从备份恢复,或删除该文件后重新初始化。")
    assert en.startswith("the database is not available: the database file") and \
        en.endswith("no new store or sample data is created over it. Restore a backup, or delete the file to start a new store on purpose.")


@pytest.mark.parametrize("exc, zh, en", RENDERED, ids=[type(e).__name__ + ":" + e.code for e, _, _ in RENDERED])
def test_an_error_survives_pickling_with_its_code_and_params(exc, zh, en):
    import pickle

    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is type(exc) and (back.code, back.params) == (exc.code, exc.params)
    assert (back.message("zh"), back.message("en")) == (zh, en)


def _cli_keys() -> list[tuple[str, str]]:
    """(where, key) of every text a CLI command fails with: fail("key", …) and refuse(exc, "key")."""
    found = []
    for path in sorted((ROOT / "metrics" / "commands").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("fail", "refuse"):
                arg = node.args[0 if node.func.id == "fail" else 1] if len(node.args) > (node.func.id == "refuse") else None
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append((f"{path.name}:{node.lineno}", arg.value))
    return found


def test_every_text_a_cli_command_fails_with_is_in_both_languages():
    keys = _cli_keys()
    assert len(keys) > 10 and ("report.py", "cli_report_no_format") in {(w.split(":")[0], k) for w, k in keys}
    missing = [(w, k) for w, k in keys if not (translations().get(k) or {}).get("zh")
               or not (translations().get(k) or {}).get("en")]
    assert missing == []


def test_the_report_command_refuses_a_bad_date_in_both_languages(tmp_path):
    done = _cli("report", "--out", str(tmp_path / "r.xlsx"), "--as-of", "2025-13-01")
    assert (done.returncode, done.stderr) == (2, "截至日期格式不对:2025-13-01(应为 YYYY-MM-DD) / "
                                                 "the as-of date '2025-13-01' is not YYYY-MM-DD\n")
