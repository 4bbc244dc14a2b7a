"""User text kept as text where a renderer would read markup (issue 18).

Workbook text (a custom unit ``![](http://…)``, a name ``<a href=…>``) reaches three renderers
that read markup: Streamlit's Markdown (``st.markdown``, ``st.error`` …: links, images, colour
directives, LaTeX), plotly's pseudo-HTML in every chart string (``<a href>`` is a live link), and
HTML. ``md_text`` and ``safe_figure`` are the only ways page and report code put such text there.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them all also
# breaks Streamlit's :colour[...] and :material/...: directives and $LaTeX$.
_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
# ... but not GFM's autolink literals: remark-gfm finds http://…, www.… and a@b.c in the text *after*
# escapes are decoded (a Chromium check showed http\:\/\/evil… rendered as a live link). An invisible
# WORD JOINER (U+2060) inside each such pattern breaks them without changing what the reader sees.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<![a-z0-9])(www)(?=\.)|(@)")
_WJ = "\u2060"
# plotly's own formatting tags, which our chart code writes; every other "<" is shown as text.
_PLOTLY_OWN_TAG = re.compile(r"<(?!/?(?:br|b|i|sup|sub|extra)\s*/?>)", re.I)


def md_text(text: Any) -> str:
    """``text`` escaped so that Markdown shows it literally (no link, image, HTML or directive)."""
    text = "" if text is None else str(text)
    if ":" in text or "@" in text or "w" in text or "W" in text:
        text = _AUTOLINK.sub(lambda m: m.group(0) + _WJ, text)
    return _MD_PUNCT.sub(r"\\\1", text).replace("\n", "  \n")


def plotly_text(text: str) -> str:
    """A chart string with every tag but plotly's formatting ones (<br>, <b>, <i>, <sup>, <sub>) made text."""
    # "&" is left alone: plotly decodes entities only inside text nodes, so "&lt;" is shown, never parsed
    return _PLOTLY_OWN_TAG.sub("&lt;", text) if "<" in text else text


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return plotly_text(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(v) for v in value)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return np.array([_clean(v) for v in value.tolist()], dtype=object).reshape(value.shape)
    return value


def safe_figure(fig: Any) -> Any:
    """The plotly figure with no live tag from user text in any title, label, name, hover or category."""
    import plotly.graph_objects as go

    return go.Figure(_clean(fig.to_dict()))


__all__ = ["md_text", "plotly_text", "safe_figure"]
