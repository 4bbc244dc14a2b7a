"""Every page renders without an exception on an empty store, on the sample data and on a large set.

The app is pointed at a temporary SQLite store through ``DATABASE_URL``; the sample store is filled by
the app itself on first start (as a new user sees it), the large one from the synthetic national workbook.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.i18n import t

# (page file, translation key of its title)
PAGES = [
    ("app_pages/overview.py", "app_page_overview"),
    ("app_pages/upload.py", "app_page_upload"),
    ("app_pages/gaps.py", "app_page_gaps"),
    ("app_pages/compare.py", "app_page_compare"),
    ("app_pages/goals.py", "app_page_goals"),
    ("app_pages/catalog.py", "catalog_title"),
    ("app_pages/history.py", "app_page_history"),
    ("app_pages/report.py", "app_page_report"),
    ("app_pages/rounds.py", "rounds_page_title"),
]


def open_app(url: str, monkeypatch: pytest.MonkeyPatch, samples: bool = False) -> AppTest:
    """The dashboard (entry point with its sidebar) against the store at ``url``, run once."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_SAMPLE_DATA", "on" if samples else "off")
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    return at.run()


def rendered_text(at: AppTest) -> str:
    """Everything written on the page as text (markdown, captions, alerts, titles)."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "success", "error")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.fixture(scope="module")
def empty_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('empty') / 'tracker.sqlite'}"


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('sample') / 'tracker.sqlite'}"


@pytest.fixture(scope="module")
def large_url(tmp_path_factory) -> str:
    """A store holding the synthetic national workbook: 31 regions × 300 items."""
    from metrics.ingest import read_file
    from metrics.store import Store
    from sample_data.generate import synthetic_workbook

    folder = tmp_path_factory.mktemp("large")
    path = synthetic_workbook(folder / "synthetic.xlsx", items_per_region=300)
    url = f"sqlite:///{folder / 'tracker.sqlite'}"
    result = read_file(Path(path))
    assert result.readable and len(result.items) == 31 * 300
    outcome = Store(url).save_submission(result, Path(path).read_bytes(), "synthetic.xlsx")
    assert len(outcome.submission_ids) == 31
    return url


@pytest.mark.parametrize("page, title", PAGES, ids=[p for p, _ in PAGES])
@pytest.mark.parametrize("store", ["empty", "sample", "large"])
def test_every_page_renders_in_both_languages_without_an_exception(store, page, title, request, monkeypatch):
    url = request.getfixturevalue(f"{store}_url")
    at = open_app(url, monkeypatch, samples=store == "sample")
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t(title, "zh")
    assert "Traceback" not in rendered_text(at)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t(title, "en")


def test_first_start_with_an_empty_store_shows_the_sample_data_with_a_banner(sample_url, monkeypatch):
    at = open_app(sample_url, monkeypatch, samples=True)
    assert not at.exception
    assert any("示例数据" in w.value for w in at.warning)
    assert at.button(key="clear_samples")


def test_an_empty_store_says_there_is_no_data_and_shows_no_banner(empty_url, monkeypatch):
    at = open_app(empty_url, monkeypatch)
    at.switch_page("app_pages/history.py").run()
    assert t("app_history_empty", "zh") in rendered_text(at)
    assert not any("示例数据" in w.value for w in at.warning)


def test_the_gaps_items_table_shows_the_first_rows_and_offers_the_full_list(large_url, monkeypatch):
    """Issue 17: the counted items are paged (the first 200 rows), the full list is a CSV download."""
    from app_support.tables import FIRST_ROWS

    at = open_app(large_url, monkeypatch)
    at.session_state["gaps_tab"] = "app_gaps_items"
    at.switch_page("app_pages/gaps.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert FIRST_ROWS == 200
    # 9,300 items are counted at the national scope; no table on the page carries more than the first 200.
    assert max(len(d.value) for d in at.dataframe) == FIRST_ROWS
    assert t("app_table_first_rows", "zh", rows=FIRST_ROWS) in rendered_text(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overview_opens_on_the_live_targets_and_keeps_2025_as_final_results(sample_url, monkeypatch, lang):
    at = open_app(sample_url, monkeypatch, samples=True)
    at.session_state["lang"] = lang
    at.run()
    heads = [h.value for h in at.subheader]
    live, final = t("calendar2_overview_live", lang), t("calendar2_overview_final", lang, year=2025)
    assert final == ("2025年目标完成情况（终期）" if lang == "zh" else "2025 targets: final results")
    assert live in heads and final in heads and heads.index(live) < heads.index(final)
    cards = "\n".join(str(h.proto.body) for h in at.get("html"))
    assert ("无量化目标" if lang == "zh" else "No target number") in cards  # 生态主导型领军企业, 2027: 一批
    assert "100 million yuan" not in cards
    if lang == "en":
        assert "billion yuan" in cards
        import json

        bullets = [c.proto.spec for c in at.get("plotly_chart") if "billion yuan" in c.proto.spec]
        assert bullets and not any("100 million yuan" in c.proto.spec for c in at.get("plotly_chart"))
        assert json.loads(bullets[0])["layout"]["title"]["subtitle"]["text"].endswith("includes unreviewed data")


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("page", [p for p, _ in PAGES])
def test_every_page_calls_page_setup_before_anything_is_drawn(page):
    """The login check, header and sample banner come first on every page, so a deep link to a page
    never runs it unsigned: the first module-level statement that calls Streamlit-side code is page_setup."""
    import ast

    tree = ast.parse((ROOT / page).read_text(encoding="utf-8"))
    calls = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and isinstance(call.func, (ast.Name, ast.Attribute)):
                name = call.func.id if isinstance(call.func, ast.Name) else call.func.attr
                calls.append(name)
    allowed_before = {"current_lang", "current_scope", "current_as_of", "load_catalog"}
    first = next(c for c in calls if c not in allowed_before)
    assert first == "page_setup", f"{page}: {first} runs before page_setup"
    assert calls.count("page_setup") == 1


def test_every_page_file_is_listed_in_the_navigation():
    assert sorted(p.name for p in (ROOT / "app_pages").glob("*.py")) == sorted(Path(p).name for p, _ in PAGES)


def test_no_pages_folder_beside_the_entry_point():
    """Streamlit runs a pages/ folder beside dashboard.py as a v1 multipage app on a deep link, which
    skips the entry point and its login gate: the pages live in app_pages/ instead."""
    assert (ROOT / "dashboard.py").is_file()
    assert not (ROOT / "pages").exists()


@pytest.fixture(scope="module")
def history_url(tmp_path_factory) -> str:
    """广东省 uploaded three times (ids 1, 2, 4), 江苏省 twice (3, 5): the latest upload is 江苏省's."""
    from metrics.store import Store
    from store_fixtures import make_result

    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'tracker.sqlite'}"
    s = Store(url)
    for i, (province, who) in enumerate([("广东省", "gd_a"), ("广东省", "gd_b"), ("江苏省", "js_a"),
                                         ("广东省", "gd_c"), ("江苏省", "")]):
        s.save_submission(make_result(province, [f"成果{i}{k}" for k in range(i + 1)], file=f"f{i}.xlsx"),
                          f"file {i}".encode(), f"f{i}.xlsx", uploader=who)
    return url


def test_compare_two_submissions_defaults_to_the_latest_two_of_one_region_with_uploader_and_hash(
        history_url, monkeypatch):
    import hashlib

    at = open_app(history_url, monkeypatch)
    at.switch_page("app_pages/history.py").run()
    assert not at.exception, [e.value for e in at.exception]
    # National view: the region with the latest upload, and its two latest submissions.
    assert at.selectbox(key="history_diff_province__zh").value == "江苏省"
    assert (at.selectbox(key="history_diff_a__江苏省__zh").value, at.selectbox(key="history_diff_b__江苏省__zh").value) \
        == (3, 5)
    captions = [c.value for c in at.caption]
    sha = hashlib.sha256(b"file 3").hexdigest()[:12]  # submission 4 is the fourth file
    assert f"上传人：未记录 · 上传时间：" in "\n".join(captions)
    assert any(c.startswith("上传人：js_a · ") and c.endswith(hashlib.sha256(b"file 2").hexdigest()[:12])
               for c in captions)
    at.selectbox(key="history_diff_province__zh").select("广东省").run()
    assert (at.selectbox(key="history_diff_a__广东省__zh").value, at.selectbox(key="history_diff_b__广东省__zh").value) \
        == (2, 4)
    assert any(c.startswith("上传人：gd_c · ") and c.endswith(f"文件指纹：{sha}") for c in at.caption.values)
    # A region's page compares its own two latest, in English too, with the same choice kept.
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.selectbox(key="history_diff_b__广东省__en").value == 4
    assert any(c.startswith("Uploaded by gd_c · at ") and c.endswith(f"file hash {sha}") for c in at.caption.values)


def test_the_uploader_has_our_own_caption_in_the_chosen_language(empty_url, monkeypatch):
    at = open_app(empty_url, monkeypatch)
    at.switch_page("app_pages/upload.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "把文件拖到下面的框里，或点击框内的按钮选择文件；每个文件不超过 50 MB（框内的英文提示是上传组件自带的，意思相同）。" \
        in at.caption.values
    at.session_state["lang"] = "en"
    at.run()
    assert "Drag the files into the box below, or click its button to choose them; each file up to 50 MB." \
        in at.caption.values


def test_the_ranking_says_money_as_money_in_both_languages(sample_url, monkeypatch):
    at = open_app(sample_url, monkeypatch, samples=True)
    at.session_state["compare_metric"] = "industry_scale"
    at.session_state["compare_tab"] = "app_compare_ranking"
    at.session_state["lang"] = "en"
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    def ranking(lang: str):
        return next(d.value for d in at.dataframe if t("app_col_rank", lang) in d.value.columns)

    table = ranking("en")
    assert list(table["Actual"])[:2] == ["82.56 billion yuan", "72.59 billion yuan"]
    assert "70 billion yuan" in list(table["Target"]) and "None" not in table.to_string()
    at.session_state["lang"] = "zh"
    at.run()
    table = ranking("zh")
    assert list(table[t("app_col_actual", "zh")])[:2] == ["825.6 亿元", "725.9 亿元"]


@pytest.mark.parametrize("lang, region, action", [("en", "Jiangsu", "Upload"), ("zh", "江苏省", "上传")])
def test_the_audit_log_names_regions_and_actions_in_the_page_language(history_url, monkeypatch, lang, region, action):
    at = open_app(history_url, monkeypatch)
    at.session_state["lang"] = lang
    at.switch_page("app_pages/history.py").run()
    assert not at.exception, [e.value for e in at.exception]
    province, verb = t("app_col_province", lang), t("app_col_action", lang)
    audit = next(d.value for d in at.dataframe if verb in d.value.columns and province in d.value.columns)
    jiangsu = audit[audit[province] == region]
    assert len(jiangsu) >= 1 and set(jiangsu[verb]) == {action}
    assert "江苏省" not in set(audit[province]) or lang == "zh"
