"""bench.capacity's own arithmetic (its timings are benchmarks, not tests) and its bounds."""
from __future__ import annotations

import pytest

from bench import capacity


@pytest.mark.parametrize("values, expected", [
    ([], 0.0),
    ([0.4], 0.4),
    ([1.0, 2.0], 2.0),
    ([float(i) for i in range(1, 21)], 19.0),
    ([float(i) for i in range(1, 101)], 95.0),
    ([5.0, 1.0, 3.0, 2.0, 4.0], 5.0),
])
def test_p95_is_the_nearest_rank(values, expected):
    assert capacity.p95(values) == expected


def test_the_benchmark_is_bounded_and_covers_the_issue_configurations():
    assert capacity.SESSIONS == (1, 3, 6, 12)
    assert capacity.PROCESSES == (1, 2)
    assert max(capacity.SESSIONS) <= capacity.MAX_SESSIONS == 12
    assert capacity.VIEW_TIMEOUT == 120.0
    assert {"", "gaps", "compare", "goals", "history", "catalog", "report"} == set(capacity.PAGES)
