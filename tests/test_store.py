"""The store on a real SQLite file and a real PostgreSQL 15 server: history, supersede, rollback,
diff, soft delete, originals, backup, migrations."""
from __future__ import annotations

import datetime as dt
import zipfile

import pandas as pd
import pytest
import sqlalchemy as sa

from metrics.model import FRAMES, Problem
from metrics.store import Store, StoreError
from tests.store_fixtures import content_of, db_url, make_result  # noqa: F401 - db_url is a fixture


def save(store: Store, result, salt: str = "", **kw):
    return store.save_submission(result, content_of(result, salt), result.file, uploader="张三", **kw)


def states(store: Store) -> dict[int, str]:
    return {h["id"]: h["state"] for h in store.history()}


def test_migrations_create_the_schema_from_empty(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from metrics.schema import metadata

    store = Store(db_url)
    with store.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        from metrics.store import MIGRATIONS

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        # The newest migration, whichever issue added it (heads are re-chained at merge).
        assert context.get_current_revision() == ScriptDirectory.from_config(cfg).get_current_head()
        assert compare_metadata(context, metadata) == []
    assert {"submissions", "originals", "users", "audit_log", *FRAMES} <= tables
    Store(db_url)  # opening again finds the schema at head and changes nothing
    assert not store.has_data()


def test_a_store_at_the_first_revision_is_upgraded_on_open_and_reads_rows_without_snapshots(db_url):
    from alembic import command
    from alembic.config import Config

    from metrics.schema import snapshots, submissions, upload_snapshots
    from metrics.store import MIGRATIONS, make_engine

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(db_url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    store = Store(db_url)  # upgrades to head
    result = make_result(names=["甲", "乙"])
    save(store, result)
    with store.engine.begin() as conn:  # as if stored before snapshots existed
        conn.execute(snapshots.delete())
        conn.execute(upload_snapshots.delete())
        conn.execute(sa.update(submissions).values(snapshot_id=None))
    store._cache = None
    pd.testing.assert_frame_equal(store.dataset().items, result.items)


def test_identical_file_again_stores_nothing_new(db_url):
    store = Store(db_url)
    first = save(store, make_result())
    again = save(store, make_result())
    assert first.created and first.reason == ""
    assert not again.created and again.reason == "duplicate" and again.duplicate_of == first.submission_id
    assert len(store.history()) == 1
    assert [a["action"] for a in store.audit()] == ["upload"]


def test_newer_submission_for_same_date_supersedes_the_older(db_url):
    store = Store(db_url)
    old = save(store, make_result(names=["A", "B"]))
    new = save(store, make_result(names=["A", "B", "C"]))
    assert new.superseded == [old.submission_id]
    assert states(store) == {old.submission_id: "superseded", new.submission_id: "current"}
    data = store.dataset()
    assert sorted(data.items["name"]) == ["A", "B", "C"]
    assert [s["submission_id"] for s in data.sources] == [new.submission_id]


def test_later_as_of_date_is_used_and_earlier_stays_current_for_its_date(db_url):
    store = Store(db_url)
    june = save(store, make_result(names=["A"], as_of=dt.date(2025, 6, 30)))
    march = save(store, make_result(names=["B", "C"], as_of=dt.date(2025, 3, 31)))
    assert states(store) == {june.submission_id: "current", march.submission_id: "current"}
    assert store.dataset().items["name"].tolist() == ["A"]


def test_dataset_holds_latest_submission_of_each_province_with_its_sources(db_url):
    store = Store(db_url)
    gd = save(store, make_result("广东省", names=["A", "B"]))
    js = save(store, make_result("江苏省", names=["C"], file="js.xlsx"))
    data = store.dataset()
    assert data.provinces() == ["广东省", "江苏省"]
    assert {(s["province"], s["submission_id"], s["label"]) for s in data.sources} == {
        ("广东省", gd.submission_id, "progress.xlsx"), ("江苏省", js.submission_id, "js.xlsx")}
    assert all(len(s["sha256"]) == 64 and s["uploaded_at"] and s["as_of"] == "2025-06-30" for s in data.sources)
    assert store.dataset("江苏省").items["name"].tolist() == ["C"]


def test_stored_rows_come_back_as_they_went_in(db_url):
    store = Store(db_url)
    result = make_result(names=["甲", "乙", "丙"], totals={"platform": 12.5, "tech": 3}, targets={"tech": 100})
    save(store, result)
    data = store.dataset()
    for kind in ("items", "totals", "targets"):
        pd.testing.assert_frame_equal(getattr(data, kind), getattr(result, kind), check_like=False)


def test_rollback_makes_the_earlier_submission_current_and_is_recorded(db_url):
    store = Store(db_url)
    first = save(store, make_result(names=["A"]))
    second = save(store, make_result(names=["A", "B"]))
    later = save(store, make_result(names=["A", "B", "D"], as_of=dt.date(2025, 9, 30)))
    done = store.rollback(first.submission_id, actor="李四")
    assert sorted(done["superseded"]) == [second.submission_id, later.submission_id]
    assert states(store) == {first.submission_id: "current", second.submission_id: "superseded",
                             later.submission_id: "superseded"}
    assert store.dataset().items["name"].tolist() == ["A"]
    entry = store.audit()[0]
    assert (entry["action"], entry["actor"], entry["submission_id"]) == ("rollback", "李四", first.submission_id)


def test_diff_lists_items_added_removed_changed_and_totals_and_targets_changed(db_url):
    store = Store(db_url)
    a = save(store, make_result(names=["A", "B", "C"], totals={"platform": 10}, targets={"tech": 100},
                                status={"C": "in_progress"}))
    b = save(store, make_result(names=["B", "C", "D"], totals={"platform": 14}, targets={"tech": 120}))
    diff = store.diff(a.submission_id, b.submission_id)
    assert [r["name"] for r in diff["items"]["added"]] == ["D"]
    assert [r["name"] for r in diff["items"]["removed"]] == ["A"]
    assert [(r["key"], r["changes"]) for r in diff["items"]["changed"]] == [
        ("c", {"status": ["in_progress", "achieved"]})]
    assert diff["totals"]["changed"][0]["changes"] == {"value": [10.0, 14.0]}
    assert diff["targets"]["changed"][0]["changes"]["value"] == [100.0, 120.0]
    assert diff["summary"]["items"] == {"added": 1, "removed": 1, "changed": 1}


@pytest.mark.parametrize("target", ["current", "superseded"])
def test_soft_delete_then_restore_gives_back_the_same_state(db_url, target):
    store = Store(db_url)
    old = save(store, make_result(names=["A"]))
    new = save(store, make_result(names=["A", "B"]))
    victim = new.submission_id if target == "current" else old.submission_id
    before = states(store)
    store.delete(victim, actor="王五")
    assert states(store)[victim] == "deleted"
    if target == "current":  # what the deleted one had replaced is used again
        assert store.dataset().items["name"].tolist() == ["A"]
        assert states(store)[old.submission_id] == "current"
    store.restore(victim, actor="王五")
    assert states(store) == before
    assert [a["action"] for a in store.audit()[:2]] == ["restore", "delete"]


def test_restore_after_rollback_and_delete_returns_to_the_rollback(db_url):
    store = Store(db_url)
    first = save(store, make_result(names=["A"]))
    second = save(store, make_result(names=["A", "B"]))
    store.rollback(first.submission_id)
    before = states(store)
    store.delete(first.submission_id)
    assert states(store)[second.submission_id] == "current"
    store.restore(first.submission_id)
    assert states(store) == before


def test_a_deleted_file_uploaded_again_is_stored_again(db_url):
    store = Store(db_url)
    first = save(store, make_result())
    store.delete(first.submission_id)
    again = save(store, make_result())
    assert again.created and again.submission_id != first.submission_id


def test_original_returns_the_uploaded_bytes_and_name(db_url):
    store = Store(db_url)
    result = make_result(file="广东 进展表.xlsx")
    content = bytes(range(256)) * 100
    outcome = store.save_submission(result, content, result.file)
    assert store.original(outcome.submission_id) == ("广东 进展表.xlsx", content)


@pytest.mark.parametrize("case, reason", [("unreadable", "unreadable"), ("strict", "strict"), ("empty", "empty")])
def test_files_that_must_not_be_stored_store_nothing(db_url, case, reason):
    store = Store(db_url)
    result = make_result(problems=[Problem("missing_value", "error", "名称为空", "name is empty", "成果清单", 9)])
    if case == "unreadable":
        result.readable = False
    if case == "empty":
        result = make_result(names=[], totals={})
        result.province = None
    outcome = store.save_submission(result, b"x", "f.xlsx", strict=case == "strict")
    assert (outcome.created, outcome.reason, outcome.submission_id) == (False, reason, None)
    assert store.history() == [] and not store.has_data()


def test_valid_rows_are_stored_and_problems_kept_in_the_report(db_url):
    store = Store(db_url)
    problem = Problem("bad_date", "error", "日期无效", "bad date", "成果清单", 7, "I", "完成日期", "2025-13-01")
    outcome = save(store, make_result(names=["A"], problems=[problem]))
    record = store.submission(outcome.submission_id)
    assert record["errors"] == 1 and record["report"]["problems"][0]["row"] == 7
    assert store.dataset().problems == [problem]


def test_a_workbook_of_several_provinces_becomes_one_submission_each(db_url):
    store = Store(db_url)
    gd, js = make_result("广东省", names=["A"]), make_result("江苏省", names=["B", "C"])
    both = make_result("广东省", names=[])
    both.items = pd.concat([gd.items, js.items], ignore_index=True)
    both.totals = pd.concat([gd.totals, js.totals], ignore_index=True)
    both.province = None
    outcome = store.save_submission(both, b"national", "national.xlsx")
    assert outcome.provinces == ["广东省", "江苏省"] and len(outcome.submission_ids) == 2
    assert {h["province"]: h["counts"]["items"] for h in store.history()} == {"广东省": 1, "江苏省": 2}
    assert store.save_submission(both, b"national", "national.xlsx").reason == "duplicate"


def test_unknown_submission_is_a_clear_error(db_url):
    store = Store(db_url)
    for action in (store.rollback, store.delete, store.restore, store.original):
        with pytest.raises(StoreError) as err:
            action(999)
        assert err.value.code == "store_unknown_submission"
        assert (err.value.message("zh"), err.value.message("en")) == ("没有编号为 999 的提交记录", "no submission with id 999")


def test_clear_samples_removes_only_sample_submissions(db_url):
    store = Store(db_url)
    save(store, make_result("广东省", names=["S"]), sample=True)
    real = save(store, make_result("江苏省", names=["R"]))
    assert store.clear_samples() == 1
    assert [h["id"] for h in store.history()] == [real.submission_id]


def test_backup_then_restore_into_an_empty_store_gives_the_same_store(db_url, tmp_path):
    store = Store(db_url)
    save(store, make_result("广东省", names=["A"], targets={"tech": 50}))
    second = save(store, make_result("广东省", names=["A", "B"]))
    save(store, make_result("江苏省", names=["C"], file="js.xlsx"))
    store.delete(second.submission_id)
    path = tmp_path / "backup.zip"
    exported = store.export_backup(path)
    assert exported["submissions"] == 3
    assert {"manifest.json", "rows/items.parquet"} <= set(zipfile.ZipFile(path).namelist())

    restored = Store(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    restored.import_backup(path)
    assert restored.history() == store.history()
    a, b = store.dataset(), restored.dataset()
    assert a.sources == b.sources
    for kind in FRAMES:
        pd.testing.assert_frame_equal(getattr(a, kind), getattr(b, kind))
    assert restored.original(second.submission_id) == store.original(second.submission_id)
    with pytest.raises(StoreError):
        restored.import_backup(path)  # only into an empty store


# Tables a restore does not copy row for row: snapshots are rebuilt from the rows (one per stored file, see
# test_a_restored_backup_has_one_snapshot_per_stored_file), sessions and login throttles are not carried, and
# the audit log gains the restore's own line.
NOT_COPIED = {"snapshots", "upload_snapshots", "sessions", "login_throttle", "audit_log", "alembic_version"}


def table_rows(store: Store) -> dict[str, list[tuple]]:
    """Every table of a store, each row as a tuple of its values in column order, rows sorted."""
    from metrics.schema import metadata

    out = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(sa.select(table)).all()
            out[table.name] = sorted((tuple(_plain(v) for v in r) for r in rows), key=repr)
    return out


def _plain(v):
    """A value as both SQLite and PostgreSQL hand it back: times in UTC without a zone."""
    if isinstance(v, dt.datetime) and v.tzinfo is not None:
        return v.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return v


def test_backup_carries_users_mapping_profiles_rounds_reviews_and_findings(db_url, tmp_path, capsys):
    """Every table an officer filled survives backup and restore (mapping profiles were once left out)."""
    from metrics.auth import Accounts
    from metrics.findings import save_findings
    from metrics.mapping import Mapping, list_profiles, save_profile
    from metrics.rounds import add_round, assign_round, review

    store = Store(db_url)
    first = save(store, make_result("广东省", names=["A"], targets={"tech": 50}))
    save(store, make_result("江苏省", names=["C"], file="js.xlsx"))
    accounts = Accounts(store)
    accounts.add("gd01", "correct horse battery staple", "editor", "广东省", display_name="广东 一处")
    accounts.add("boss", "another long pass phrase", "admin")
    save_profile(store, Mapping("广东省 · 进展.xlsx", {"成果清单": {"技术名称": "name", "备注列": "ignore"}},
                                "广东省", "a" * 64), by="gd01")
    save_profile(store, Mapping("江苏省 · 自有表", {"Sheet1": {"sheet_kind": "items", "项目": "name"}},
                                "江苏省", "b" * 64), by="boss")
    add_round(store, "2026年第四季度", dt.date(2026, 12, 31), dt.date(2027, 1, 15), ["广东省", "江苏省"])
    assign_round(store, first.submission_id, "2026年第四季度")
    review(store, first.submission_id, "returned", "第 3 行日期有误", [{"sheet": "成果清单", "row": 3, "text": "日期"}])
    save_findings(store, "2026年第四季度", "national", "zh", {"progress": "进展顺利", "problems": "", "next_steps": "",
                                                        "notes": ""}, by="boss")
    path = tmp_path / "backup.zip"
    exported = store.export_backup(path)
    assert exported["tables"] == {"mapping_profiles": 2, "rounds": 1, "reviews": 1, "report_findings": 1}

    restored = Store(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    done = restored.import_backup(path)
    assert done["tables"] == exported["tables"]
    before, after = table_rows(store), table_rows(restored)
    assert set(before) == set(after)
    for name in sorted(set(before) - NOT_COPIED):
        assert after[name] == before[name], name
    assert len(before["mapping_profiles"]) == 2 and len(before["users"]) == 2 and len(before["reviews"]) == 1
    assert [(m.name, m.province, m.sheets) for m in list_profiles(restored)] == [
        ("广东省 · 进展.xlsx", "广东省", {"成果清单": {"技术名称": "name", "备注列": "ignore"}}),
        ("江苏省 · 自有表", "江苏省", {"Sheet1": {"sheet_kind": "items", "项目": "name"}})]
    assert Accounts(restored).verify("gd01", "correct horse battery staple").ok


@pytest.mark.parametrize("lang, written, imported", [
    ("en", "2 submissions, 2 original files, 1 mapping profile", "2 submissions and 1 mapping profile imported"),
    ("zh", "2 个提交，2 个原始文件，1 个映射方案", "已从备份导入 2 个提交、1 个映射方案"),
])
def test_the_backup_commands_count_submissions_and_profiles_in_words(tmp_path, capsys, lang, written, imported):
    from metrics.cli import main
    from metrics.mapping import Mapping, save_profile

    source = f"sqlite:///{tmp_path / 'a.sqlite'}"
    store = Store(source)
    save(store, make_result("广东省", names=["A"]))
    save(store, make_result("江苏省", names=["C"], file="js.xlsx"))
    save_profile(store, Mapping("广东省 · 进展.xlsx", {"成果清单": {"技术名称": "name"}}, "广东省", "a" * 64))
    backup = tmp_path / "b.zip"
    assert main(["backup", "--out", str(backup), "--db", source, "--lang", lang]) == 0
    assert written in capsys.readouterr().out
    assert main(["restore", str(backup), "--db", f"sqlite:///{tmp_path / 'b.sqlite'}", "--lang", lang]) == 0
    assert imported in capsys.readouterr().out


@pytest.mark.parametrize("lang, expected", [
    ("en", ["Sheet '成果清单': 1 row, 1 valid, 0 invalid, 0 blank, 0 skipped",
            "1 row: 1 valid, 0 invalid, 0 blank, 0 skipped"]),
    ("zh", ["工作表“成果清单”:共 1 行,有效 1,无效 0,空行 0,跳过 0", "共 1 行:有效 1 行,无效 0 行,空行 0 行,跳过 0 行"]),
])
def test_validate_counts_one_row_in_the_singular(tmp_path, capsys, lang, expected):
    from metrics.cli import main
    from tests.ingest_files import item_row, register

    path = tmp_path / "广东省进展（截至2025年6月30日）.xlsx"
    path.write_bytes(register(item_row(名称="甲技术")))
    main(["validate", str(path), "--lang", lang])
    out = capsys.readouterr().out.splitlines()
    assert all(line in out for line in expected), out


@pytest.mark.parametrize("lang, expected", [
    ("en", "Added round '2025 Q4' (as of 2025-12-31, due 2099-01-15, 1 region)."),
    ("zh", "已添加报送轮次“2025 Q4”(截至 2025-12-31,2099-01-15 前报送,1 个地区)。"),
])
def test_a_round_of_one_region_says_region(db_url, capsys, lang, expected):
    from metrics.cli import main

    assert main(["rounds", "add", "2025 Q4", "--as-of", "2025-12-31", "--due", "2099-01-15", "--region", "广东省",
                 "--db", db_url, "--lang", lang]) == 0
    assert expected in capsys.readouterr().out


def test_a_damaged_backup_is_a_clear_error(db_url, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(StoreError) as err:
        Store(db_url).import_backup(bad)
    assert err.value.code == "store_bad_backup"


def test_an_unreachable_database_is_a_clear_error():
    with pytest.raises(StoreError) as err:
        Store("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    assert "secret" not in str(err.value) and err.value.code == "store_unavailable"


# ---- command line --------------------------------------------------------------------------------
SAMPLES = ["示例数据_广东省_进展填报.xlsx", "示例数据_江苏省_进展填报.xlsx", "示例数据_浙江省_进展填报.xlsx"]


def cli(capsys, *argv: str) -> tuple[int, str]:
    from metrics.cli import main

    code = main(list(argv))
    return code, capsys.readouterr().out


def cli_json(capsys, *argv: str):
    import json

    code, out = cli(capsys, *argv, "--json")
    return code, json.loads(out)


@pytest.mark.parametrize("file, extra, exit_code, stored", [
    ("示例数据_广东省_进展填报.xlsx", [], 0, True),
    ("示例数据_问题示例_校验演示.xlsx", [], 1, True),            # valid rows stored, invalid ones listed
    ("示例数据_问题示例_校验演示.xlsx", ["--strict"], 1, False),  # strict: nothing stored
    ("not_a_workbook.xlsx", [], 2, False),                        # unreadable: nothing stored
])
def test_import_command_stores_valid_rows_with_the_exit_status_of_validate(
        capsys, tmp_path, repo_root, file, extra, exit_code, stored):
    path = repo_root / "sample_data" / file
    if not path.exists():
        path = tmp_path / file
        path.write_bytes(b"%PDF-1.4 this is not a spreadsheet")
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    code, out = cli_json(capsys, "import", str(path), *extra, "--db", url, "--uploader", "张三")
    assert (code, out["stored"]) == (exit_code, stored)
    assert out["readable"] is (exit_code != 2)
    if exit_code == 1:
        assert any(e["severity"] == "error" and e["row"] for e in out["errors"])
    history = Store(url).history()
    assert len(history) == (1 if stored else 0)
    if stored:
        assert history[0]["uploader"] == "张三" and history[0]["counts"]["items"] == out["items"] == len(out["item_rows"])


def test_history_rollback_delete_and_diff_commands(capsys, tmp_path, repo_root):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    path = repo_root / "sample_data" / SAMPLES[0]
    first = Store(url)
    from metrics.ingest import read_file

    result = read_file(path)
    a = first.save_submission(result, path.read_bytes(), path.name).submission_id
    fewer = read_file(path)
    fewer.items = fewer.items.iloc[1:].reset_index(drop=True)
    b = first.save_submission(fewer, path.read_bytes() + b"\0", path.name).submission_id

    code, history = cli_json(capsys, "history", "--province", "广东", "--db", url)
    assert code == 0 and [(h["id"], h["state"]) for h in history] == [(b, "current"), (a, "superseded")]
    assert {"id", "province", "as_of", "uploaded_at", "uploader", "filename", "sha256", "state"} <= set(history[0])
    code, diff = cli_json(capsys, "diff", str(a), str(b), "--db", url)
    assert code == 0 and diff["summary"]["items"]["removed"] == 1
    code, out = cli(capsys, "rollback", str(a), "--db", url)
    assert code == 0 and str(a) in out
    assert {h["id"]: h["state"] for h in Store(url).history()} == {a: "current", b: "superseded"}
    assert cli(capsys, "delete", str(a), "--db", url)[0] == 0
    assert cli(capsys, "delete", str(a), "--undo", "--db", url)[0] == 0
    assert {h["id"]: h["state"] for h in Store(url).history()} == {a: "current", b: "superseded"}
    assert cli(capsys, "rollback", "999", "--db", url)[0] == 2


def test_backup_then_restore_into_an_empty_store_gives_identical_status_output(capsys, tmp_path, repo_root, db_url):
    source = f"sqlite:///{tmp_path / 'source.sqlite'}"
    for name in SAMPLES:
        assert cli(capsys, "import", str(repo_root / "sample_data" / name), "--db", source)[0] == 0
    backup = tmp_path / "backup.zip"
    assert cli(capsys, "backup", "--out", str(backup), "--db", source)[0] == 0
    assert cli(capsys, "restore", str(backup), "--db", db_url)[0] == 0
    status = ["status", "--as-of", "2026-12-31", "--all-scopes"]
    code_a, before = cli(capsys, *status, "--db", source, "--json")
    code_b, after = cli(capsys, *status, "--db", db_url, "--json")
    assert code_a == code_b == 0 and len(before) > 1000
    assert after == before
    assert cli_json(capsys, "history", "--db", db_url)[1] == cli_json(capsys, "history", "--db", source)[1]


def test_commands_report_an_unreachable_database_without_a_traceback(capsys):
    code, out = cli(capsys, "history", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


# ---- issue 17: one snapshot per stored file and frame, rows conformed once --------------------------
def _national(provinces: dict[str, list[str]]):
    """One file naming several provinces (a national workbook): items and totals of each."""
    parts = [make_result(p, names=names, file="national.xlsx") for p, names in provinces.items()]
    result = make_result(next(iter(provinces)), names=[], file="national.xlsx")
    # Interleaved rows (not grouped by province), as a national register may list them.
    result.items = pd.concat([r.items for r in parts], ignore_index=True).sort_values("name", kind="stable",
                                                                                       ignore_index=True)
    result.totals = pd.concat([r.totals for r in parts], ignore_index=True)
    result.province = None
    return result


def _snapshot_counts(store: Store) -> tuple[int, int]:
    from metrics.schema import snapshots, upload_snapshots

    with store.engine.connect() as conn:
        return (conn.execute(sa.select(sa.func.count()).select_from(upload_snapshots)).scalar(),
                conn.execute(sa.select(sa.func.count()).select_from(snapshots)).scalar())


def test_a_national_file_is_one_snapshot_read_back_per_province_in_its_rows_order(db_url):
    store = Store(db_url)
    result = _national({"广东省": ["A3", "C1"], "江苏省": ["A1", "B2", "D9"], "浙江省": ["A2"]})
    outcome = store.save_submission(result, b"national-1", "national.xlsx")
    assert len(outcome.submission_ids) == 3
    assert _snapshot_counts(store) == (1, 0)  # one row for the file (5 frames), none per submission
    items = store.dataset().items
    assert items["province"].tolist() == ["广东省", "广东省", "江苏省", "江苏省", "江苏省", "浙江省"]
    assert items["name"].tolist() == ["A3", "C1", "A1", "B2", "D9", "A2"]
    assert store.dataset(province="江苏省").items["name"].tolist() == ["A1", "B2", "D9"]
    assert store.dataset().totals["province"].tolist() == ["广东省", "江苏省", "浙江省"]
    for sub_id, names in zip(outcome.submission_ids, (["A3", "C1"], ["A1", "B2", "D9"], ["A2"])):
        assert store.submission_rows(sub_id).items["name"].tolist() == names
    # The row tables hold the same rows (history, backup and diff read them too).
    assert {h["province"]: h["counts"]["items"] for h in store.history()} == {"广东省": 2, "江苏省": 3, "浙江省": 1}


def test_a_save_conforms_each_frame_once_whatever_the_number_of_provinces(db_url, monkeypatch):
    import metrics.store as store_module

    calls = []
    real = store_module.conform
    monkeypatch.setattr(store_module, "conform", lambda df, kind: calls.append(kind) or real(df, kind))
    store = Store(db_url)
    provinces = ["北京市", "天津市", "河北省", "山西省", "广东省", "江苏省"]
    store.save_submission(_national({p: [f"{p}{i}" for i in range(4)] for p in provinces}), b"n6", "national.xlsx")
    assert sorted(calls) == ["items", "totals"]  # was 2 × 6 provinces × 5 frames = 60
    assert len(store.dataset().items) == 24


def test_a_partly_duplicate_file_points_its_new_submissions_at_its_own_snapshot(db_url):
    store = Store(db_url)
    first = store.save_submission(_national({"广东省": ["A"], "江苏省": ["B"]}), b"same", "national.xlsx")
    # The same bytes again: nothing new, no second snapshot.
    assert store.save_submission(_national({"广东省": ["A"], "江苏省": ["B"]}), b"same", "national.xlsx").reason \
        == "duplicate"
    assert _snapshot_counts(store) == (1, 0)
    store.delete(first.submission_ids[1])  # 江苏省 deleted: the same bytes store it again, alone
    again = store.save_submission(_national({"广东省": ["A"], "江苏省": ["B"]}), b"same", "national.xlsx")
    assert again.duplicates == [first.submission_ids[0]] and len(again.submission_ids) == 1
    assert _snapshot_counts(store) == (2, 0)
    assert store.dataset().items["name"].tolist() == ["A", "B"]


def test_submissions_with_per_submission_snapshots_are_still_read_beside_new_ones(db_url):
    from metrics.schema import snapshots, submissions, upload_snapshots
    from metrics.store import frame_parquet

    store = Store(db_url)
    old = save(store, make_result("广东省", names=["旧1", "旧2"]))
    with store.engine.begin() as conn:  # as stored before issue 17: one Parquet per submission and frame
        conn.execute(upload_snapshots.delete())
        conn.execute(sa.update(submissions).values(snapshot_id=None))
        rows = store.submission_rows(old.submission_id)
        conn.execute(snapshots.insert(), [{"submission_id": old.submission_id, "kind": kind,
                                           "content": frame_parquet(getattr(rows, kind), kind)} for kind in FRAMES])
    store._cache = None
    save(store, make_result("江苏省", names=["新"]))
    assert _snapshot_counts(store) == (1, 5)
    data = store.dataset()
    assert data.items["name"].tolist() == ["旧1", "旧2", "新"]
    assert data.totals["province"].tolist() == ["广东省", "江苏省"]


def test_clearing_samples_removes_their_snapshot_and_keeps_the_others(db_url):
    store = Store(db_url)
    save(store, make_result("广东省", names=["S"]), sample=True)
    save(store, make_result("江苏省", names=["R"]))
    assert _snapshot_counts(store) == (2, 0)
    store.clear_samples()
    assert _snapshot_counts(store) == (1, 0)
    assert store.dataset().items["name"].tolist() == ["R"]


def test_a_restored_backup_has_one_snapshot_per_stored_file(db_url, tmp_path):
    store = Store(db_url)
    store.save_submission(_national({"广东省": ["A", "B"], "江苏省": ["C"]}), b"nat", "national.xlsx")
    save(store, make_result("浙江省", names=["D"], file="zj.xlsx"))
    store.export_backup(tmp_path / "b.zip")
    restored = Store(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    restored.import_backup(tmp_path / "b.zip")
    assert _snapshot_counts(restored) == (2, 0)
    for kind in FRAMES:
        pd.testing.assert_frame_equal(getattr(restored.dataset(), kind), getattr(store.dataset(), kind))


def test_the_head_read_from_the_migration_files_is_alembics_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from metrics.store import MIGRATIONS, migration_head

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert migration_head() == ScriptDirectory.from_config(cfg).get_current_head()


def test_opening_a_store_at_head_in_a_new_process_does_not_import_alembic(tmp_path, repo_root):
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    save(Store(url), make_result(names=["A", "B"]))
    code = ("import sys; from metrics.store import Store; s = Store(sys.argv[1]); "
            "print(len(s.dataset().items), 'alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, url], cwd=repo_root, capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["2", "False"]
    # A store one migration behind is still upgraded (through Alembic) when it opens.
    with Store(url).engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0006_issue18'"))
        conn.execute(sa.text("DROP INDEX ix_submissions_snapshot_id"))
        conn.execute(sa.text("DROP TABLE upload_snapshots"))
        conn.execute(sa.text("ALTER TABLE submissions DROP COLUMN snapshot_id"))
    store = Store(url)  # opening upgrades to head again
    assert store.at_head()
    # The snapshot went with the dropped table: the rows are read from the row tables instead.
    assert store.dataset().items["name"].tolist() == ["A", "B"]
