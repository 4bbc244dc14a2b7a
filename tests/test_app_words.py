"""Words: the Chinese pages show no English word and no internal code outside an allow-list.

Every page is rendered in Chinese on the sample store, national and for a region with data; every text
element, table header and text cell, picker label and option is read, and each ASCII word found must be
in ``ALLOWED`` (units, standard codes, file formats, the user's own data such as identifiers).
"""
from __future__ import annotations

import re

import pytest

from test_app_pages import PAGES, open_app, sample_url  # noqa: F401 - fixture

# Words a Chinese reader expects in Latin letters: units, file formats, standard and identifier codes.
ALLOWED = {"GB", "T", "GB/T", "ID", "PDF", "HTML", "Word", "Excel", "CSV", "xlsx", "xls", "docx", "UTC", "MB",
           "KB", "AI", "UTF", "YYYY", "MM", "DD",
           "English"}  # the language switch names the other language in itself
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")


def page_words(at) -> set[str]:
    """Every ASCII word a reader sees on the page."""
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "success", "error", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("selectbox", "radio", "multiselect", "text_input", "date_input", "button", "checkbox"):
        for w in getattr(at, kind):
            parts.append(str(getattr(w, "label", "")))
            parts += [str(o) for o in getattr(w, "options", []) or []]
    for df in at.dataframe:
        frame = df.value
        parts += [str(c) for c in frame.columns]
        for c in frame.columns:
            if frame[c].dtype == object:
                parts += [str(v) for v in frame[c].dropna()]
    for h in at.get("html"):
        parts.append(re.sub(r"<[^>]+>", " ", h.proto.body))
    text = "\n".join(parts)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r":material/[a-z_]+:", " ", text)  # an icon shortcode: Streamlit draws the icon, no word shows
    text = re.sub(r"\b[0-9a-f]{12,64}\b", " ", text)  # a file hash (short SHA-256): data, not a word
    return set(WORD.findall(text))


@pytest.mark.parametrize("page", [p for p, _ in PAGES], ids=[p.split("/")[-1][:-3] for p, _ in PAGES])
def test_the_chinese_pages_show_no_english_word(page, sample_url, monkeypatch):
    at = open_app(sample_url, monkeypatch, samples=True)
    found = {}
    for scope in ("national", "广东省"):
        at.session_state["scope"] = scope
        at.switch_page(page).run()
        assert not at.exception
        found[scope] = sorted(w for w in page_words(at) if w not in ALLOWED and w.upper() not in ALLOWED)
    assert found == {"national": [], "广东省": []}
