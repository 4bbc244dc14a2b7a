"""One de-duplication key: the vectorised path of the progress engine is ``metrics.text.item_key``."""
from __future__ import annotations

import pandas as pd
from hypothesis import given, settings, strategies as st

from metrics.progress import _name_keys
from metrics.text import item_key

# The alphabet the fast Arrow path takes (ASCII, CJK punctuation, the first ideographs, full-width ASCII).
_FAST = st.text(st.one_of(st.characters(min_codepoint=0, max_codepoint=0x7F),
                          st.characters(min_codepoint=0x3000, max_codepoint=0x303F),
                          st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
                          st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E)), max_size=20)


def _vectorised(names: list[str | None]) -> list[str]:
    return _name_keys(pd.Series(names, dtype=object)).to_pylist()


def test_greek_final_sigma_gives_one_key():
    assert item_key("ΟΔΟΣ") == "οδος"
    assert _vectorised(["ΟΔΟΣ", "ＡＢＣ 公司（北京）", None]) == ["οδος", "abc公司北京", ""]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=20), max_size=8))
def test_vectorised_key_equals_item_key_on_any_text(names):
    assert _vectorised(names) == [item_key(n) for n in names]


@settings(max_examples=300, deadline=None)
@given(st.lists(_FAST, max_size=8))
def test_fast_path_equals_item_key(names):
    assert _vectorised(names) == [item_key(n) for n in names]
