"""The sample files and the synthetic national workbook: deterministic, complete, valid where meant to be."""
from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest
from openpyxl import load_workbook

from metrics.workbook_spec import headers, sheet_name
from sample_data.generate import (FLAWED_CODES, SAMPLE_DIR, SAMPLE_MARK, SAMPLES, USCC_CHARS, credit_code,
                                  credit_code_check, flawed_file, national_regions, sample_files,
                                  synthetic_workbook, write_samples)

TABLES = ("items", "totals", "targets", "goals", "tasks")


def _sheets(path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, sheet_name=None, engine="calamine")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = synthetic_workbook(tmp_path_factory.mktemp("syn") / "syn.xlsx", items_per_region=40)
    return _sheets(path)


def test_synthetic_workbook_is_deterministic(tmp_path):
    a = _sheets(synthetic_workbook(tmp_path / "a.xlsx", items_per_region=15, regions=4, seed=7))
    b = _sheets(synthetic_workbook(tmp_path / "b.xlsx", items_per_region=15, regions=4, seed=7))
    c = _sheets(synthetic_workbook(tmp_path / "c.xlsx", items_per_region=15, regions=4, seed=8))
    assert a.keys() == b.keys()
    for k in a:
        pd.testing.assert_frame_equal(a[k], b[k])
    assert not a[sheet_name("items")].equals(c[sheet_name("items")])


def test_synthetic_workbook_has_n_items_for_each_of_31_provinces(synthetic, catalog):
    items = synthetic[sheet_name("items")]
    assert list(items.columns) == headers("items")
    assert len(items) == 31 * 40
    assert set(items["省份"]) == {r.name for r in national_regions(catalog)}
    assert items.groupby("省份").size().eq(40).all()


@pytest.mark.parametrize("key", TABLES)
def test_synthetic_workbook_covers_every_province_in_every_sheet(synthetic, catalog, key):
    df = synthetic[sheet_name(key)]
    assert list(df.columns) == headers(key)
    assert set(df["省份"]) == {r.name for r in national_regions(catalog)}


def test_synthetic_items_spread_over_metrics_directions_and_flagships(synthetic, catalog):
    items = synthetic[sheet_name("items")]
    assert set(items["指标"]) == {m.name_zh for m in catalog.countable_metrics}
    assert set(items["方向"]) == {d.name_zh for d in catalog.directions}
    assert set(items["标志性产品类别"].dropna()) == {f.name_zh for f in catalog.flagship}
    assert (items["状态"].fillna("已完成") == "已完成").mean() > 0.8
    assert set(synthetic[sheet_name("totals")]["指标"]) >= {"产业规模"}


def test_synthetic_dates_run_from_2024_to_2026_10_with_some_months(synthetic):
    dates = synthetic[sheet_name("items")]["完成日期"].dropna()
    months = [d for d in dates if isinstance(d, str)]
    real = pd.to_datetime([d for d in dates if not isinstance(d, str)])
    assert months and all("年" in m and m.endswith("月") for m in months)
    assert len(months) < len(real)
    assert real.min() >= pd.Timestamp(2024, 1, 1) and real.max() <= pd.Timestamp(2026, 10, 31)
    assert {d.year for d in real} == {2024, 2025, 2026}


def test_synthetic_codes_are_valid_credit_codes_or_standard_numbers(synthetic):
    items = synthetic[sheet_name("items")]
    codes = items.loc[items["编号"].notna(), ["指标", "编号"]]
    credit = codes[codes["指标"].isin(["领军企业", "生态主导型领军企业", "专业服务机构"])]["编号"]
    assert len(credit) > 0
    assert all(len(c) == 18 and credit_code_check(c[:17]) == c[17] for c in credit)
    standards = codes[codes["指标"] == "关键标准"]["编号"]
    assert standards.str.match(r"^(GB/T \d{5}|T/[A-Z]+ \d{1,4})-20\d\d$").all()


def test_about_three_percent_of_items_are_shared_between_provinces(tmp_path):
    items = _sheets(synthetic_workbook(tmp_path / "s.xlsx", items_per_region=100))[sheet_name("items")]
    key = items["编号"].fillna(items["指标"] + "|" + items["名称"])
    provinces_per_item = items.assign(k=key).groupby("k")["省份"].nunique()
    shared_rows = items.assign(k=key)["k"].map(provinces_per_item).gt(1).sum()
    assert 0.02 <= shared_rows / len(items) <= 0.08


@pytest.mark.parametrize("first17", ["91440300708461136", "91110000100010249"])
def test_credit_code_check_matches_published_codes(first17):
    assert first17 + credit_code_check(first17) in {"91440300708461136T", "91110000100010249W"}


def test_generated_credit_codes_are_well_formed():
    rng = random.Random(1)
    for _ in range(200):
        code = credit_code(rng, "440300", rng.choice(["enterprise", "institution"]))
        assert len(code) == 18 and set(code) <= set(USCC_CHARS)
        assert credit_code_check(code[:17]) == code[17]


def test_write_samples_rebuilds_the_committed_files_byte_for_byte(tmp_path):
    written = write_samples(tmp_path)
    assert [p.name for p in written] == [p.name for p in sample_files()] + [flawed_file().name]
    for p in written:
        assert p.read_bytes() == (SAMPLE_DIR / p.name).read_bytes(), p.name


def test_samples_are_marked_fictional_and_cover_five_provinces_and_every_sheet(catalog):
    files = sample_files()
    assert len(files) == len(SAMPLES) >= 5
    assert all(p.name.startswith(SAMPLE_MARK) for p in [*files, flawed_file()])
    assert len({province for province, *_ in SAMPLES}) >= 5
    directions = {d for _, focus, _, _ in SAMPLES for d in focus}
    assert directions == {d.id for d in catalog.directions}
    seen_sheets: set[str] = set()
    for p in files:
        if p.suffix == ".xlsx":
            wb = load_workbook(p, read_only=True)
            seen_sheets.update(wb.sheetnames)
            if sheet_name("info") in wb.sheetnames:
                info = "".join(str(c) for row in wb[sheet_name("info")].iter_rows(values_only=True) for c in row if c)
                guide = "".join(str(c) for row in wb[sheet_name("guide")].iter_rows(values_only=True) for c in row if c)
                assert SAMPLE_MARK in info and SAMPLE_MARK in guide
    assert {sheet_name(k) for k in ("guide", "info", *TABLES)} <= seen_sheets
    assert any(p.suffix == ".csv" for p in files)
    assert (SAMPLE_DIR / "README.md").read_text(encoding="utf-8").count("虚构") >= 1


def test_gbk_sample_is_gbk_and_not_utf8():
    csv = next(p for p in sample_files() if p.suffix == ".csv")
    raw = csv.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gbk").splitlines()[0].split(",") == headers("items")


# ---- through ingest ---------------------------------------------------------------------------------
@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_every_good_sample_validates_without_errors(path):
    from metrics.ingest import read_file

    result = read_file(path)
    assert result.readable
    assert [(p.code, p.sheet, p.row, p.value) for p in result.errors] == []
    assert len(result.items) >= 40
    assert result.province in {province for province, *_ in SAMPLES}


def test_samples_together_have_dates_from_2024_to_2026_and_shared_items():
    from metrics.ingest import read_file
    from metrics.model import Dataset

    data = Dataset.from_results(read_file(p) for p in sample_files())
    achieved = data.items[data.items["status"] == "achieved"]
    assert set(achieved["date"].dt.year) == {2024, 2025, 2026}
    assert achieved["date"].max() <= pd.Timestamp(dt.date(2026, 9, 30))
    shared = data.items.groupby("key")["province"].nunique()
    assert (shared > 1).sum() >= 4
    jiangsu = data.targets[data.targets["province"] == "江苏省"]
    assert any(m.startswith("custom_") for m in jiangsu["metric"])
    assert 1000.0 in set(jiangsu.loc[jiangsu["metric"] == "industry_scale", "value"])
    zhejiang = data.targets[data.targets["province"] == "浙江省"]
    assert {2027, 2030} <= set(zhejiang["deadline"].dt.year)


def test_flawed_sample_yields_every_intended_error():
    from metrics.ingest import read_file

    result = read_file(flawed_file())
    assert result.readable
    found = {p.code for p in result.problems}  # unknown_direction is a warning: the row still counts
    assert set(FLAWED_CODES) <= found, set(FLAWED_CODES) - found
    assert any(p.severity == "warning" and p.header == "内部编码" for p in result.problems)
    assert len(result.items) > 0
