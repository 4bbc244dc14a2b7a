"""Reporting rounds, review and the completeness board (issue 13), on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from metrics import rounds
from metrics.access import AccessDenied, Principal
from metrics.store import Store
from tests.store_fixtures import content_of, db_url, make_result  # noqa: F401 - db_url is a fixture

AS_OF = dt.date(2025, 12, 31)
DUE = dt.date(2026, 1, 15)
BEFORE_DUE = dt.datetime(2026, 1, 10, 2, 0, tzinfo=dt.timezone.utc)
# 2026-01-15 17:00 UTC is 2026-01-16 01:00 in Beijing: the due day has passed there.
AFTER_DUE = dt.datetime(2026, 1, 15, 17, 0, tzinfo=dt.timezone.utc)
ON_DUE_DAY = dt.datetime(2026, 1, 15, 15, 0, tzinfo=dt.timezone.utc)  # 23:00 Beijing, still on time
REVIEWER = Principal("li", "reviewer")


def save(store: Store, province: str, n_items: int, as_of: dt.date = AS_OF, salt: str = "") -> int:
    result = make_result(province, n_items=n_items, as_of=as_of, file=f"{province}.xlsx")
    out = store.save_submission(result, content_of(result, salt), result.file, uploader=f"editor-{province}")
    return out.submission_id


@pytest.fixture
def board(db_url):
    """The done-when case: 37 expected regions, 2 uploads, one approved, one returned."""
    store = Store(db_url)
    rounds.add_round(store, "2025年第四季度", AS_OF, DUE, actor="admin")
    gd = save(store, "广东省", 5)
    js = save(store, "江苏省", 3)
    rounds.review(store, gd, "approved", "数据齐全", user=REVIEWER)
    rounds.review(store, js, "returned", "成果清单缺少日期", [{"sheet": "成果清单", "row": 3, "text": "日期为空"}],
                  user=REVIEWER)
    return store, gd, js


@pytest.mark.parametrize("now, expected", [
    (BEFORE_DUE, {"approved": 1, "returned": 1, "not_submitted": 35, "overdue": 0, "submitted": 0}),
    (ON_DUE_DAY, {"approved": 1, "returned": 1, "not_submitted": 35, "overdue": 0, "submitted": 0}),
    (AFTER_DUE, {"approved": 1, "returned": 1, "not_submitted": 0, "overdue": 35, "submitted": 0}),
])
def test_coverage_counts_each_state(board, now, expected):
    store, gd, js = board
    rows = rounds.coverage(store, "2025年第四季度", now)
    assert len(rows) == 37
    assert rounds.coverage_counts(rows) == expected
    by_region = {r.region: r for r in rows}
    assert (by_region["广东省"].state, by_region["广东省"].submission_id, by_region["广东省"].reviewed_by) == \
        ("approved", gd, "li")
    assert (by_region["江苏省"].state, by_region["江苏省"].comment, by_region["江苏省"].submitted_by) == \
        ("returned", "成果清单缺少日期", "editor-江苏省")
    assert by_region["江苏省"].rows == [{"sheet": "成果清单", "row": 3, "text": "日期为空"}]
    assert [r.label("zh") for r in rows[:1]] == [{"approved": "已审核", "returned": "已退回",
                                                 "not_submitted": "未报送", "overdue": "逾期"}[rows[0].state]]


def test_a_corrected_upload_to_the_same_round_is_submitted_again(board):
    store, gd, js = board
    again = save(store, "江苏省", 4, salt="fixed")
    row = {r.region: r for r in rounds.coverage(store, "2025年第四季度", BEFORE_DUE)}["江苏省"]
    assert (row.state, row.submission_id, row.reviewed_by) == ("submitted", again, None)
    assert rounds.returned_notices(store, "江苏省") == []


def test_an_upload_of_another_date_belongs_to_the_round_it_picks(db_url):
    store = Store(db_url)
    rounds.add_round(store, "2025年第四季度", AS_OF, DUE)
    late_date = save(store, "浙江省", 2, as_of=dt.date(2026, 1, 5))
    state = {r.region: r.state for r in rounds.coverage(store, "2025年第四季度", BEFORE_DUE)}
    assert state["浙江省"] == "not_submitted"
    rounds.assign_round(store, late_date, "2025年第四季度")
    state = {r.region: r.state for r in rounds.coverage(store, "2025年第四季度", BEFORE_DUE)}
    assert state["浙江省"] == "submitted"


def test_returned_comment_reaches_the_province_and_history(board):
    store, gd, js = board
    notices = rounds.returned_notices(store, "江苏省")
    assert [(n["submission_id"], n["comment"], n["reviewer"], n["round"]) for n in notices] == \
        [(js, "成果清单缺少日期", "li", "2025年第四季度")]
    assert rounds.returned_notices(store, "广东省") == []
    history = {h["id"]: h for h in rounds.annotate_history(store, store.history())}
    assert [r["comment"] for r in history[js]["reviews"]] == ["成果清单缺少日期"]
    assert (history[gd]["round"], history[gd]["reviews"][0]["decision"]) == ("2025年第四季度", "approved")


def test_approved_only_national_figures_count_only_the_approved_province(board):
    store, gd, js = board
    everything = rounds.current_dataset(store)
    approved = rounds.current_dataset(store, approved_only=True)
    assert sorted(everything.items["province"].unique()) == ["广东省", "江苏省"]
    assert (len(everything.items), len(approved.items)) == (8, 5)
    assert sorted(approved.items["province"].unique()) == ["广东省"]
    assert [s["submission_id"] for s in approved.sources] == [gd]
    assert (rounds.includes_unreviewed(everything, store), rounds.includes_unreviewed(approved, store)) == \
        (True, False)
    assert (rounds.unreviewed_note("zh"), rounds.unreviewed_note("en")) == ("含未审核数据", "includes unreviewed data")


def test_every_action_is_in_the_audit_log(board):
    store, gd, js = board
    actions = [(a["action"], a["submission_id"], a["actor"]) for a in store.audit() if a["action"] != "upload"]
    assert sorted(actions, key=str) == sorted([("round_add", None, "admin"), ("review_approved", gd, "li"),
                                               ("review_returned", js, "li")], key=str)


@pytest.mark.parametrize("user, allowed", [
    (None, True), (Principal("a", "admin"), True), (REVIEWER, True),
    (Principal("e", "editor", "广东省"), False), (Principal("v", "viewer"), False),
])
def test_who_may_review(db_url, user, allowed):
    store = Store(db_url)
    sub = save(store, "广东省", 1)
    if allowed:
        assert rounds.review(store, sub, "approved", user=user)["decision"] == "approved"
    else:
        with pytest.raises(AccessDenied):
            rounds.review(store, sub, "approved", user=user)
        assert rounds.reviews_by_submission(store, [sub]) == {}


@pytest.mark.parametrize("call, key", [
    (lambda s: rounds.add_round(s, "", AS_OF, DUE), "rounds_name_required"),
    (lambda s: rounds.add_round(s, "x", DUE, AS_OF), "rounds_due_before_as_of"),
    (lambda s: rounds.add_round(s, "x", AS_OF, DUE, ["火星"]), "rounds_unknown_region"),
    (lambda s: rounds.coverage(s, "无此轮次", BEFORE_DUE), "rounds_unknown"),
    (lambda s: rounds.review(s, save(s, "广东省", 1), "returned", ""), "rounds_return_needs_comment"),
    (lambda s: rounds.review(s, save(s, "广东省", 1), "maybe", "x"), "rounds_bad_decision"),
])
def test_bad_requests_are_refused_with_a_reason(db_url, call, key):
    store = Store(db_url)
    with pytest.raises(rounds.RoundError) as exc:
        call(store)
    assert exc.value.code == key
    assert exc.value.message("zh") and exc.value.message("en") != key


def test_a_duplicate_round_is_refused_and_regions_resolve_aliases(db_url):
    store = Store(db_url)
    rnd = rounds.add_round(store, "试点", AS_OF, DUE, ["广东", "Jiangsu", "广东省"])
    assert rnd.regions == ["广东省", "江苏省"]
    with pytest.raises(rounds.RoundError) as exc:
        rounds.add_round(store, "试点", AS_OF, DUE)
    assert exc.value.code == "rounds_exists"
    closed = rounds.close_round(store, "试点")
    assert (closed.closed, rounds.round_for(store, AS_OF)) == (True, None)


@pytest.mark.parametrize("text, expected", [
    ("成果清单:12=名称重复", {"sheet": "成果清单", "row": 12, "text": "名称重复"}),
    ("a:b:3=x=y", {"sheet": "a:b", "row": 3, "text": "x=y"}),
    ("成果清单=缺行号", None), ("成果清单:x=文本", None), ("成果清单:3=", None),
])
def test_row_comments_parse(text, expected):
    if expected is None:
        with pytest.raises(rounds.RoundError):
            rounds.parse_row_comment(text)
    else:
        assert rounds.parse_row_comment(text) == expected


def test_missing_regions_download_as_csv_and_xlsx(board):
    import io

    from openpyxl import load_workbook

    store, gd, js = board
    rows = rounds.coverage(store, "2025年第四季度", AFTER_DUE)
    csv = rounds.missing_csv(rows, "zh").decode("utf-8-sig").splitlines()
    assert (csv[0], len(csv), "广东省" in "".join(csv)) == ("地区,报送状态", 36, False)
    ws = load_workbook(io.BytesIO(rounds.missing_xlsx(rows, "en"))).active
    assert (ws.max_row, ws["A1"].value, ws["B2"].value) == (36, "region", "overdue")


def test_cli_rounds_coverage_review_history(db_url, capsys):
    from metrics.cli import main

    store = Store(db_url)
    gd = save(store, "广东省", 2)
    js = save(store, "江苏省", 2)
    assert main(["rounds", "add", "2025年第四季度", "--as-of", "2025-12-31", "--due", "2099-01-15",
                 "--db", db_url, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["regions"]) == 37
    assert main(["review", "approve", str(gd), "--comment", "好", "--db", db_url, "--actor", "li"]) == 0
    assert main(["review", "return", str(js), "--comment", "请补日期", "--row", "成果清单:3=日期为空",
                 "--db", db_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["rows"] == \
        [{"sheet": "成果清单", "row": 3, "text": "日期为空"}]
    assert main(["coverage", "--round", "2025年第四季度", "--db", db_url, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 37
    assert {"region", "state", "submission_id", "submitted_at", "reviewed_by"} <= set(out[0])
    assert {k: out[0][k] for k in ("region", "state", "submission_id", "reviewed_by")} == \
        {"region": "北京市", "state": "not_submitted", "submission_id": None, "reviewed_by": None}
    states = {o["region"]: o["state"] for o in out}
    assert (states["广东省"], states["江苏省"], list(states.values()).count("not_submitted")) == \
        ("approved", "returned", 35)
    assert main(["history", "--db", db_url, "--json"]) == 0
    hist = {h["id"]: h for h in json.loads(capsys.readouterr().out)}
    assert hist[js]["reviews"][0]["comment"] == "请补日期"
    assert main(["rounds", "list", "--db", db_url, "--json"]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == ["2025年第四季度"]
    assert main(["coverage", "--round", "无此轮次", "--db", db_url]) == 2
