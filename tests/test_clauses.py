"""Every quoted clause of the catalog has an English rendering, marked unofficial."""
from __future__ import annotations

import pytest

from metrics.catalog import load_catalog
from metrics.clauses import _renderings, clause_text


def catalog_quotes() -> set[tuple[str, str]]:
    return {(tg.clause.section, tg.clause.quote) for m in load_catalog().all_metrics
            for tg in (getattr(m, "targets", None) or []) if tg.clause}


def test_every_catalog_quote_and_section_has_an_english_rendering():
    quotes = catalog_quotes()
    assert len(quotes) >= 10
    assert sorted(q for _, q in quotes if q not in _renderings()["quotes"]) == []
    assert sorted(s for s, _ in quotes if s not in _renderings()["sections"]) == []


@pytest.mark.parametrize("lang, expected", [
    ("zh", ("三、发展目标", "突破百项前沿关键核心技术", None)),
    ("en", ("III. Development goals", "achieve breakthroughs in some 100 frontier key and core technologies",
            "Unofficial English rendering; the Chinese text is authoritative")),
])
def test_a_clause_in_each_language(lang, expected):
    assert clause_text("三、发展目标", "突破百项前沿关键核心技术", lang) == expected
