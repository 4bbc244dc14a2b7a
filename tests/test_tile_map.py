"""The tile map: one tile per tracked region (plus the untracked ones), no two on one cell, figures on hover."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from metrics.catalog import load_catalog
from metrics.presentation import status_colour
from metrics.tile_map import NO_DATA_GREY, tile_grid, tile_map, tile_rows
from app_support.tiles import clicked_region

ROWS = pd.DataFrame([
    # scope_type, scope, metric, deadline, actual, target, percent, status, unit, kind
    ("province", "广东省", "tech", pd.Timestamp("2025-12-31"), 12.0, 20.0, 60.0, "behind", "项", "count"),
    ("province", "广东省", "tech", pd.Timestamp("2027-12-31"), 12.0, 40.0, 30.0, "on_track", "项", "count"),
    ("province", "新疆生产建设兵团", "tech", pd.Timestamp("2025-12-31"), 3.0, None, None, "no_target", "项", "count"),
    ("national", "national", "tech", pd.Timestamp("2025-12-31"), 69.0, 100.0, 69.0, "missed", "项", "count"),
], columns=["scope_type", "scope", "metric", "deadline", "actual", "target", "percent", "status", "unit", "kind"])
PROGRESS = SimpleNamespace(rows=ROWS)


def test_every_tracked_region_has_one_tile_and_no_two_tiles_share_a_cell():
    assert set(tile_grid()["tiles"]) == {r.name for r in load_catalog().regions}
    df = tile_rows(PROGRESS, "tech")
    assert len(df) == len(load_catalog().regions) + len(tile_grid()["untracked"])
    assert not df.duplicated(["row", "col"]).any()


@pytest.mark.parametrize("region, lang, text, status, percent, hover_has", [
    # the earliest deadline's target is the one shown
    ("广东省", "zh", "广东", "behind", 60.0, ["广东省", "12 项", "20 项", "60%"]),
    ("广东省", "en", "GD", "behind", 60.0, ["Guangdong", "12 technologies"]),  # units in the language
    ("新疆生产建设兵团", "zh", "兵团", "no_target", None, ["新疆生产建设兵团", "3 项"]),
    ("北京市", "zh", "北京", "no_data", None, ["北京市"]),
    ("台湾省", "zh", "台湾", "untracked", None, ["台湾省", "不在本工具监测范围"]),
])
def test_a_tile_carries_its_short_name_status_and_figures(region, lang, text, status, percent, hover_has):
    row = tile_rows(PROGRESS, "tech", lang).set_index("region").loc[region]
    assert (row["text"], row["status"]) == (text, status)
    assert (row["percent"] if pd.notna(row["percent"]) else None) == percent
    assert [h for h in hover_has if h not in row["hover"]] == []


@pytest.mark.parametrize("colour_by, region, colour", [
    ("status", "广东省", status_colour("behind")),
    ("status", "北京市", NO_DATA_GREY),
])
def test_tiles_are_coloured_by_status(colour_by, region, colour):
    fig = tile_map(PROGRESS, "tech", colour_by=colour_by)
    found = [tr.marker.color for tr in fig.data if region in list(tr.customdata)]
    assert found == [colour]


def test_colour_by_percent_puts_the_percent_on_the_scale():
    fig = tile_map(PROGRESS, "tech", colour_by="percent")
    scaled = [tr for tr in fig.data if "广东省" in list(tr.customdata)][0]
    assert list(scaled.marker.color) == [60.0] and scaled.marker.colorscale is not None


@pytest.mark.parametrize("event, region", [
    ({"selection": {"points": [{"customdata": "广东省"}]}}, "广东省"),
    ({"selection": {"points": [{"customdata": ["深圳市"]}]}}, "深圳市"),
    ({"selection": {"points": [{"customdata": "台湾省"}]}}, None),  # not tracked: nothing to open
    ({"selection": {"points": []}}, None),
    (None, None),
])
def test_a_click_opens_the_tracked_region_it_points_at(event, region):
    assert clicked_region(event) == region
