"""A page's sections as tabs whose content runs only while open.

A new session's first chart waits for everything the browser draws with it: each kind of element
loads its own script chunk (tables, date fields, text inputs) and every chart is laid out, while the
4.7 MB Plotly chunk arrives; with the whole page drawn at once the first chart came 1.6–1.8× later
than on a bare one-chart page (issue 17). Streamlit's tabs with ``on_change="rerun"`` tell the
server which tab is open, so only that tab's elements are sent: the first view draws the first tab,
another tab is drawn when the reader opens it (one rerun).
"""
from __future__ import annotations

from typing import Callable, Sequence

import streamlit as st

from metrics.i18n import t

from .errors import error_boundary
from .session import current_lang

# (translation key of the tab's label, which also names it in an error message; what draws it)
Section = tuple[str, Callable[[], None]]


def _copy_open_tab(widget_key: str, key: str, labels: dict[str, str]) -> None:
    st.session_state[key] = labels.get(st.session_state[widget_key], st.session_state[key])


def draw_sections(key: str, sections: Sequence[Section]) -> str:
    """Tabs labelled by ``sections``' keys; only the open one is drawn (inside its error boundary).

    The open tab persists across reruns and languages: its label key lives under ``key`` (tests and
    links may set it there), the widget, keyed by the language, holds the label. Returns the open key.
    """
    lang = current_lang()
    names = [name for name, _ in sections]
    if st.session_state.get(key) not in names:
        st.session_state[key] = names[0]
    labels = {t(name, lang): name for name in names}
    widget_key = f"{key}__{lang}"
    st.session_state[widget_key] = t(st.session_state[key], lang)
    tabs = st.tabs(list(labels), key=widget_key, on_change=_copy_open_tab, args=(widget_key, key, labels))
    for (name, draw), tab in zip(sections, tabs):
        if tab.open:
            with tab, error_boundary(name):
                draw()
    return st.session_state[key]
