"""Red-team tests (issue 18): hostile input must not subvert the store, the exports or the pages.

Each test feeds one kind of hostile input and asserts what comes out: the restored tables, the
cell types of every exported workbook, the text of downloads and messages.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from metrics.auth import Accounts
from metrics.schema import metadata
from metrics.store import Store
from tests.store_fixtures import content_of, db_url, make_result  # noqa: F401 - db_url is a fixture

sys.path.insert(0, str(Path(__file__).parent))
from report_case import hand_progress  # noqa: E402

FORMULA_PAYLOADS = ['=HYPERLINK("http://evil.example/","click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3",
                    "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


# ---- restore with accounts ------------------------------------------------------------------
def _table_rows(store: Store) -> dict[str, list[dict]]:
    """Every table's rows, without surrogate ids (a restore may number accounts afresh), in a stable order."""
    out = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            cols = [c for c in table.columns if c.name != "id" or table.name != "users"]
            rows = [dict(r._mapping) for r in conn.execute(sa.select(*cols))]
            for r in rows:
                for k, v in r.items():
                    if isinstance(v, dt.datetime) and v.tzinfo is None:
                        r[k] = v.replace(tzinfo=dt.timezone.utc)  # SQLite hands back naive UTC
            out[table.name] = sorted(rows, key=repr)
    return out


def test_restore_of_a_backup_with_accounts_round_trips_every_table(db_url, tmp_path):
    store = Store(db_url)
    accounts = Accounts(store)
    accounts.add("admin1", "Correct-Horse-9", "admin", actor="setup")
    accounts.add("gd_editor", "Battery-Staple-7", "editor", "广东省", display_name="张三", actor="admin1")
    accounts.verify("gd_editor", "wrong-password-1")  # a failed attempt is part of the account's state
    result = make_result("广东省", names=["甲", "乙"])
    store.save_submission(result, content_of(result), result.file, uploader="gd_editor")
    path = tmp_path / "backup.zip"
    store.export_backup(path)

    restored = Store(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    restored.import_backup(path, actor="admin1")
    before, after = _table_rows(store), _table_rows(restored)
    assert {u["username"] for u in after["users"]} == {"admin1", "gd_editor"}
    assert after["users"] == before["users"]
    # the restore itself is one more audit entry; everything else is the same
    restored_audit = [a for a in after["audit_log"] if a["action"] != "import_backup"]
    strip = [{k: v for k, v in a.items() if k != "id"} for a in before["audit_log"]]
    assert sorted(({k: v for k, v in a.items() if k != "id"} for a in restored_audit), key=repr) == sorted(strip, key=repr)
    for name in before:
        if name not in ("users", "audit_log", "alembic_version"):
            assert after[name] == before[name], name
    # and the restored accounts still sign in
    assert Accounts(restored).verify("admin1", "Correct-Horse-9").ok


# ---- formula injection in the Excel report --------------------------------------------------
# The report's own formulas (item counts, totals) are built over cell ranges: nothing else may be one.
OWN_FORMULA = __import__("re").compile(r"=(COUNTA|SUM|SUBTOTAL|COUNTIF|COUNTIFS|AVERAGE)\([A-Z$]+\d+:[A-Z$]+\d+[^\"']*\)")


def _formula_cells(xlsx: bytes) -> list[tuple[str, str, object]]:
    """Every formula cell that is not one of the report's own range formulas."""
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    return [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f" and not OWN_FORMULA.fullmatch(str(c.value))]


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_a_formula_named_custom_metric_is_text_in_every_sheet_of_the_excel_report(payload):
    from metrics.report import render
    from metrics.report.content import build_report

    data, progress = hand_progress()
    content = build_report(progress, data, scope="national", lang="zh")
    # as a custom metric from a province's 目标设定 sheet reaches the summary: name, unit, target text, clause
    for col in ("name", "unit", "target_text", "clause"):
        content.targets[col] = payload
    xlsx = render(content, "xlsx")
    assert _formula_cells(xlsx) == []
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    # the payload survives as text (openpyxl reads a CR back as written, the name column holds it once per target)
    assert sum(t == payload for t in texts) >= len(content.targets)


# ---- messages with their numbers --------------------------------------------------------------
@pytest.mark.parametrize("content, max_bytes, code, expected_zh", [
    (b"a,b\n" * 40, 10**9, "sheet_too_large", "工作表“CSV”的使用区域过大(超过 50 个单元格)"),
    (b"x" * 3 * 2**20, 2 * 2**20, "too_large", "文件过大(3.0 MB),上限为 2.0 MB"),
])
def test_a_refused_file_is_told_with_its_numbers(monkeypatch, content, max_bytes, code, expected_zh):
    import metrics.readers as readers
    from metrics.ingest import read_file

    monkeypatch.setattr(readers, "MAX_CELLS", 50)
    result = read_file(content, "big.csv", max_bytes=max_bytes)
    assert [p.code for p in result.problems] == [code]
    assert expected_zh in result.problems[0].message
    assert "( MB)" not in result.problems[0].message and "{" not in result.problems[0].message_en


# ---- hostile text at ingest, the same on every database ---------------------------------------
TODAY = dt.date(2026, 12, 1)
HOSTILE_CSV = ("省份,指标,名称,编号,完成日期,备注\n"
               "广东省,技术,某标准\x00一,STD-1,2025-03-15,正常备注\n"
               "广\u200b东省,技术,\u202eRTLtxt.exe\u200b,ST\u2066D-2,2025-03-16,\"第一行\n第二行\"\n"
               + "".join(f"广东省,技术,标准{i:03d},S{i:03d},2025-04-01,\n" for i in range(300))
               + "广东省,技术,晚到的\x00空字节\x07,S-LATE,2025-05-01,备\x1b注\n"
               + "广东省,技术,超长" + "长" * 100_000 + ",S-LONG,2025-05-02,\n")


@pytest.mark.parametrize("cell, expected, control, invisible, cut", [
    ("abc", "abc", 0, 0, 0),
    ("a\x00b", "ab", 1, 0, 0),
    ("\u202eRTLtxt.exe\u200b", "RTLtxt.exe", 0, 2, 0),
    ("a\r\nb\tx", "a\r\nb\tx", 0, 0, 0),
    ("\x1b[31mred\x7f\x85", "[31mred", 3, 0, 0),
    ("\ufeff编号\u2060", "编号", 0, 2, 0),
    ("x" * 12, "x" * 10, 0, 0, 12),
])
def test_clean_cell_removes_what_can_deceive_and_says_how_much(cell, expected, control, invisible, cut):
    from metrics.clean_text import Change, clean_cell

    assert clean_cell(cell, max_chars=10) == (expected, Change(control, invisible, cut))


def test_a_nul_byte_no_longer_refuses_a_csv_and_each_change_is_noted_on_its_row():
    from metrics.ingest import read_file

    result = read_file(HOSTILE_CSV.encode("utf-8"), "hostile.csv", today=TODAY)
    assert result.readable
    items = result.items.set_index("code")
    assert items.loc["STD-1", "name"] == "某标准一"
    assert items.loc["STD-2", "name"] == "RTLtxt.exe"
    assert items.loc["STD-2", "province"] == "广东省"
    assert items.loc["S-LATE", "name"] == "晚到的空字节"
    # the 100,000-character name is cut to 10,000 (text_too_long), and is still over the name limit:
    # its row is refused with the limit in words (field_too_long), the other 303 are stored
    assert "S-LONG" not in items.index and len(result.items) == 303
    too_long = [p for p in result.problems if p.code == "field_too_long"]
    assert [(p.row, p.column) for p in too_long] == [(305, "C")] and "上限为 300 个字符" in too_long[0].message
    noted = sorted((p.code, p.row, p.column) for p in result.problems if p.code.startswith("text_"))
    assert noted == [("text_cleaned", 2, "C"), ("text_cleaned", 3, "A"), ("text_cleaned", 3, "C"),
                     ("text_cleaned", 3, "D"), ("text_cleaned", 304, "C"), ("text_cleaned", 304, "F"),
                     ("text_too_long", 305, "C")]


def test_the_hostile_text_file_gives_identical_stored_rows_on_sqlite_and_postgresql(pg_url, tmp_path):
    from metrics.ingest import read_file

    content = HOSTILE_CSV.encode("utf-8")
    stored = {}
    for name, url in (("sqlite", f"sqlite:///{tmp_path / 's.sqlite'}"), ("postgresql", pg_url)):
        store = Store(url)
        result = read_file(content, "hostile.csv", today=TODAY)
        store.save_submission(result, content, result.file, uploader="张三")
        stored[name] = store.dataset().items.drop(columns=["submission_id"], errors="ignore").reset_index(drop=True)
    assert len(stored["sqlite"]) == 303  # the overlong name's row is refused (field_too_long)
    pd.testing.assert_frame_equal(stored["sqlite"], stored["postgresql"])
    assert not stored["postgresql"]["name"].str.contains("\x00|\u202e|\u200b", regex=True).any()


# ---- markup from workbook text --------------------------------------------------------------
MARKUP_PAYLOADS = ["![](http://evil.example/pixel.png)", '<a href="http://evil.example/">x</a>',
                   "<img src=http://evil.example/i.png>", "[click](javascript:alert(1))", ":red[假] $x^2$",
                   "http://evil.example/autolink", "<script>alert(1)</script>",
                   "www.evil.example/w", "mail me@evil.example", "HTTPS://EVIL.EXAMPLE/"]


@pytest.mark.parametrize("payload", MARKUP_PAYLOADS)
def test_md_text_leaves_no_markdown_construct(payload):
    import re

    from metrics.markup import md_text

    escaped = md_text(payload)
    # every ASCII punctuation character is preceded by a backslash, so Markdown shows it as it is
    assert re.search(r"(?<!\\)[!\[\]()<>:$]", escaped) is None
    shown = re.sub(r"\\(.)", r"\1", escaped)
    # no GFM autolink literal survives in the text Markdown sees after escapes (found in Chromium)
    assert "://" not in shown and "www." not in shown.lower() and "@" not in shown.replace("@\u2060", "")
    assert shown.replace("\u2060", "") == payload


@pytest.mark.parametrize("payload", MARKUP_PAYLOADS)
def test_a_chart_never_carries_a_live_tag_from_user_text(payload):
    import plotly.graph_objects as go

    from metrics.markup import safe_figure

    fig = go.Figure(go.Bar(x=[payload], y=[1], name=payload, text=[payload],
                           hovertemplate=f"%{{y}} {payload}<br>目标<extra></extra>"))
    fig.update_layout(title=f"单位:{payload}", xaxis_title=payload)
    # plotly's JSON escapes "<" and "/" (so a label cannot end a <script>); read it back to see the strings
    safe = json.dumps(json.loads(safe_figure(fig).to_json()), ensure_ascii=False)
    assert "<a " not in safe and "<img" not in safe and "<script" not in safe
    assert "<br>" in safe and "<extra></extra>" in safe  # our own formatting survives


def hostile_custom_report(payload: str, fmt_scope: str = "广东省"):
    """The hand case with a custom metric of 广东省 whose name, unit and target text are ``payload``."""
    from metrics.model import conform
    from metrics.progress import compute_progress
    from metrics.report.content import build_report
    from report_case import AS_OF, hand_dataset

    data = hand_dataset()
    data.targets = conform(pd.DataFrame([dict(
        province="广东省", metric="custom_evil", name_zh=payload, unit=payload, kind="count", value=10.0,
        qualifier="ge", text="10" + payload, deadline=pd.Timestamp("2027-12-31"), source="gd.xlsx",
        sheet="目标设定", row=2)]), "targets")
    items = data.items.copy()
    items.loc[0, ["metric", "evidence"]] = ["custom_evil", payload]
    data.items = items
    return build_report(compute_progress(data, as_of=AS_OF), data, scope=fmt_scope, lang="zh")


def test_the_html_report_has_no_link_or_image_from_user_text():
    from metrics.report import render

    content = hostile_custom_report(MARKUP_PAYLOADS[1])
    assert MARKUP_PAYLOADS[1] in content.targets["unit"].tolist()
    html = render(content, "html").decode("utf-8")
    # the chart JSON escapes "<", "/" and quotes; undone, it must still hold no live tag from user text
    plain = html.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u002f", "/").replace('\\"', '"')
    assert "evil.example" in plain  # the text is there …
    assert '<a href="http://evil.example' not in plain and "<img src=http://evil.example" not in plain  # … as text


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS[:3] + MARKUP_PAYLOADS[:3])
def test_a_hostile_custom_metric_reaches_the_excel_and_word_reports_as_text(payload):
    import zipfile

    from metrics.report import render

    content = hostile_custom_report(payload)
    xlsx = render(content, "xlsx")
    assert _formula_cells(xlsx) == []
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        assert not [n for n in zf.namelist() if "hyperlink" in n.lower() or n.endswith(".rels")
                    and b"evil.example" in zf.read(n)]
    docx = render(content, "docx")
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
        rels = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".rels"))
    assert "<w:hyperlink" not in body and b"evil.example" not in rels and "<w:fldSimple" not in body


# ---- CSV downloads and the Streamlit configuration -------------------------------------------
@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"\"http://x\"\")"), ("+1+1", "'+1+1"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("普通文本", "普通文本"), ("a=b", "a=b"),
])
def test_a_csv_download_never_holds_a_formula_cell(cell, written):
    from metrics.xlsx_safe import csv_bytes

    text = csv_bytes(pd.DataFrame({"名称": [cell], "数量": [-3]})).decode("utf-8-sig")
    assert text.splitlines()[0] == "名称,数量"
    assert text.split("\n", 1)[1].startswith(written if '"' not in cell else f'"{written}"')
    assert text.rstrip("\n").endswith(",-3")  # numbers stay numbers


def test_streamlit_keeps_xsrf_on_and_its_raw_table_export_off(repo_root):
    import tomllib

    config = tomllib.loads((repo_root / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config.get("server", {}).get("enableXsrfProtection", True) is True
    assert config.get("server", {}).get("enableCORS", True) is True
    assert config["client"]["disableDataExport"] is True


# ---- no silent loss -------------------------------------------------------------------------
@pytest.mark.parametrize("setup, create, code", [
    ("missing_folder", False, "store_folder_missing"),
    ("empty_file", False, "store_empty_file"),
    ("empty_file", True, "store_empty_file"),
    ("not_sqlite", True, "store_not_sqlite"),
])
def test_a_store_that_would_start_afresh_stops_with_a_clear_error(tmp_path, setup, create, code):
    from metrics.store import StoreError

    path = tmp_path / "data" / "tracker.sqlite"
    if setup != "missing_folder":
        path.parent.mkdir()
        path.write_bytes(b"" if setup == "empty_file" else b"PK\x03\x04 not a database at all")
    with pytest.raises(StoreError) as err:
        Store(f"sqlite:///{path}", create=create)
    assert err.value.code == code
    assert str(path.parent) in err.value.message("en") and str(path.parent) in err.value.message("zh")
    assert err.value.fix("en").startswith("Restore")  # what to do, apart from what went wrong
    assert not path.exists() or path.read_bytes() in (b"", b"PK\x03\x04 not a database at all")  # left as found


def test_a_save_into_a_deleted_data_folder_is_an_error_not_a_success(tmp_path):
    import shutil

    from metrics.store import StoreError

    folder = tmp_path / "data"
    folder.mkdir()
    store = Store(f"sqlite:///{folder / 'tracker.sqlite'}", create=False)
    result = make_result("广东省", names=["甲"])
    assert store.save_submission(result, content_of(result), result.file, uploader="张三").created
    shutil.rmtree(folder)
    second = make_result("广东省", names=["乙"])
    with pytest.raises(StoreError) as err:
        store.save_submission(second, content_of(second), second.file, uploader="张三")
    assert err.value.code == "store_file_gone"
    with pytest.raises(StoreError) as err:  # and the next start refuses instead of an empty store
        Store(f"sqlite:///{folder / 'tracker.sqlite'}", create=False)
    assert err.value.code == "store_folder_missing"


# ---- logins ---------------------------------------------------------------------------------
def test_sixteen_parallel_wrong_passwords_are_all_refused_and_at_most_the_limit_checked(db_url, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    import metrics.auth as auth

    checked: list[str] = []
    real = auth.password_matches
    monkeypatch.setattr(auth, "password_matches", lambda p, h: checked.append(p) or real(p, h))
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "5")
    store = Store(db_url)
    Accounts(store).add("admin1", "Correct-Horse-9", "admin")
    start = __import__("threading").Barrier(16)

    def guess(i: int) -> str:
        accounts = Accounts(Store(db_url))  # one store handle per office, as separate sessions would
        start.wait()
        return accounts.verify("admin1", f"wrong-guess-{i:02d}").reason

    with ThreadPoolExecutor(16) as pool:
        reasons = list(pool.map(guess, range(16)))
    assert "ok" not in reasons
    assert len(checked) == 5  # the password was checked for the five counted tries only, never 16
    assert reasons.count("invalid") <= 4  # the 5th counted failure answers "locked"
    assert reasons.count("locked") >= 12
    # only the counted attempts had their password checked: at most 5 failures were audited as "invalid"
    audited = [a["detail"]["reason"] for a in store.audit() if a["action"] == "login_failed"]
    assert len(audited) == 16 and audited.count("invalid") <= 5
    assert Accounts(store).verify("admin1", "Correct-Horse-9").reason == "locked"  # the lock holds


@pytest.mark.parametrize("secret, code", [
    ("a" * 32, "auth_secret_weak"), ("ab" * 32, "auth_secret_weak"), ("abcd" * 10, "auth_secret_weak"),
    ("short", "auth_secret_short"), ("rOvYLoqzdxQe4t7OFoYn-8Kc2mJ0TqvXbW3sLd9uPhA", None),
    ("eda83732f472a689fd57c0b91e4a6d3f", None),  # secrets.token_hex(16): 32 hex digits pass
])
def test_the_session_secret_is_checked_for_strength_not_only_length(secret, code):
    from metrics.auth import AuthError, checked_secret

    if code is None:
        assert checked_secret(secret) == secret
    else:
        with pytest.raises(AuthError) as err:
            checked_secret(secret)
        assert err.value.code == code


# ---- deployment -----------------------------------------------------------------------------
def test_the_proxy_policy_allows_streamlits_own_inline_script_only_and_matches_the_upload_cap(repo_root):
    import base64
    import hashlib
    import re
    import tomllib

    import streamlit

    conf = (repo_root / "deploy" / "nginx-security.conf").read_text(encoding="utf-8")
    csp = re.search(r'add_header Content-Security-Policy "([^"]+)"', conf).group(1)
    directives = {d.split()[0]: d.split()[1:] for d in (x.strip() for x in csp.split(";")) if d}
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r"<script>(.*?)</script>", index, re.S)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in inline}
    assert hashes and hashes <= set(directives["script-src"])  # Streamlit's own inline script, by hash
    # and the one constant script that writes the session cookie (a blocked one would sign out on reload)
    from app_support.login import COOKIE_SCRIPT, _cookie_script

    cookie = "'sha256-" + base64.b64encode(hashlib.sha256(COOKIE_SCRIPT.encode()).digest()).decode() + "'"
    assert cookie in directives["script-src"]
    assert re.findall(r"<script>(.*?)</script>", _cookie_script("abc-_123", 60), re.S) == [COOKIE_SCRIPT]
    assert len(directives["script-src"]) == 4  # 'self', the two hashes, 'unsafe-eval': nothing else
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"] and directives["object-src"] == ["'none'"]
    assert re.search(r'X-Frame-Options "DENY"', conf)
    cap_mb = tomllib.loads((repo_root / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    body_mb = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
    assert cap_mb <= body_mb <= cap_mb + 2
    assert re.search(r"location = /_stcore/metrics \{\s*return 404;", conf)


@pytest.mark.parametrize("deps, code, says", [
    ([{"name": "a", "version": "1", "vulns": []}], 0, "1 of 1 pinned packages checked, none vulnerable"),
    ([{"name": "a", "version": "1", "vulns": [{"id": "GHSA-x", "fix_versions": ["1.1"]}]}], 1,
     "a 1: GHSA-x (fixed in 1.1)"),
    ([{"name": "a", "skip_reason": "Dependency not found on PyPI"}], 0, "1 of 1 pinned packages could not be checked"),
])
def test_the_dependency_audit_fails_on_advisories_and_only_reports_an_unreachable_database(repo_root, deps, code, says):
    import importlib.util

    spec = importlib.util.spec_from_file_location("audit_deps", repo_root / "scripts" / "audit_deps.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    got, lines = module.verdict(deps)
    assert got == code and any(says in line for line in lines)
    assert not (code == 0 and "skip_reason" in deps[0] and any("none vulnerable" in x for x in lines))


# ---- size budgets before reading --------------------------------------------------------------
def _sparse_workbook(last_row: int, last_col: int) -> bytes:
    """A tiny .xlsx whose one sheet declares the used range A1 to (last_row, last_col): a header and one far cell."""
    from tests.ingest_files import ITEM_HEADERS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "成果清单"
    ws.append(ITEM_HEADERS)
    ws.cell(row=last_row, column=last_col, value="x")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("last_row, last_col, code, words", [
    (1_048_576, 193, "sheet_too_large", "工作表“成果清单”的使用区域过大(超过 20,000,000 个单元格)"),
    (250_000, 11, "file_too_many_rows", "共有 250,000 行,超过每个文件 200,000 行的上限"),
])
def test_a_huge_declared_sheet_is_refused_in_seconds_before_parsing(last_row, last_col, code, words):
    import time
    import tracemalloc

    from metrics.ingest import read_file

    content = _sparse_workbook(last_row, last_col)
    assert len(content) < 20_000  # it compresses: the upload cap alone does not stop it
    tracemalloc.start()
    began = time.perf_counter()
    result = read_file(content, "huge.xlsx", today=TODAY)
    elapsed = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [p.code for p in result.problems] == [code] and not result.readable
    assert words in result.problems[0].message
    assert elapsed < 2.0 and peak < 20 * 2**20


def test_a_refused_upload_is_in_the_audit_log(db_url):
    store = Store(db_url)
    store.record_refusal("gd_editor", "\u202ehuge.xlsx", b"PK...", "file_too_many_rows", "广东省")
    entry = store.audit()[0]
    assert (entry["actor"], entry["action"], entry["province"]) == ("gd_editor", "upload_refused", "广东省")
    assert entry["detail"] == {"file": "huge.xlsx", "size": 5, "code": "file_too_many_rows"}
