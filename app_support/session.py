"""What the user chose in the sidebar (language, scope, as-of date), kept in ``st.session_state``.

The sidebar is drawn by ``dashboard.py`` on every run, so its keyed widgets keep their values while
the user moves between pages. Pages read the choices through these functions, which also work when
a page runs on its own (tests) and the sidebar was never drawn.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from metrics.catalog import load_catalog
from metrics.i18n import LANGS, t

NATIONAL = "national"


def current_lang() -> str:
    """The chosen language: zh (default) or en."""
    lang = st.session_state.get("lang", "zh")
    return lang if lang in LANGS else "zh"


def current_scope() -> str:
    """``national`` or a canonical province name."""
    return st.session_state.get("scope", NATIONAL) or NATIONAL


def current_as_of() -> dt.date:
    """The as-of date the figures are computed for (today when none was chosen)."""
    value = st.session_state.get("as_of")
    return value if isinstance(value, dt.date) else dt.date.today()


def scope_options() -> list[str]:
    """``national`` then every provincial-level region of the catalog."""
    return [NATIONAL, *(r.name for r in load_catalog().regions)]


def scope_label(scope: str, lang: str) -> str:
    """全国 / National, or the province's name in the language."""
    return t("scope_national", lang) if scope == NATIONAL else load_catalog().label("province", scope, lang)


def draw_sidebar(default_as_of: dt.date | None = None) -> None:
    """Language switch, scope picker and as-of date; their values persist in the session."""
    st.session_state.setdefault("lang", "zh")
    st.session_state.setdefault("scope", NATIONAL)
    st.session_state.setdefault("as_of", default_as_of or dt.date.today())
    with st.sidebar:
        st.radio(t("language", current_lang()), list(LANGS), key="lang", horizontal=True,
                 format_func=lambda v: "中文" if v == "zh" else "English")
        lang = current_lang()
        choice(st.selectbox, t("app_scope", lang), scope_options(), "scope", lambda s: scope_label(s, lang))
        # The date and the approved-only switch sit in a popover labelled with their values: a closed
        # popover's widgets are not drawn, so a new session's first chart does not wait for the date
        # field's script chunks (issue 17: the sidebar cost 0.15–0.27× of a bare page's first chart).
        with st.popover(as_of_label(lang), icon=":material/event:", width="stretch"):
            st.date_input(t("app_as_of", lang), key="as_of", min_value=dt.date(2024, 1, 1),
                          max_value=dt.date(2035, 12, 31), format="YYYY-MM-DD", help=t("app_as_of_help", lang))
            st.toggle(t("rounds_approved_only", lang), key="approved_only",
                      help=t("rounds_approved_only_help", lang))
        _unreviewed_caption(lang)


def as_of_label(lang: str) -> str:
    """The popover's label: 统计截止日期 2026-12-01, and 仅已审核 when national figures count approved data only."""
    label = f"{t('app_as_of', lang)} {current_as_of().isoformat()}"
    return f"{label} · {t('app_approved_only_short', lang)}" if st.session_state.get("approved_only") else label


def _unreviewed_caption(lang: str) -> None:
    """含未审核数据 under the choice whenever the figures on every page include unreviewed data."""
    from app_support import data
    from metrics.rounds import unreviewed_note

    try:
        if data.includes_unreviewed():
            st.caption(f":material/info: {unreviewed_note(lang)}")
    except Exception as exc:  # noqa: BLE001 - the store may be unavailable; the page itself says so
        import logging

        logging.getLogger(__name__).warning("cannot tell whether data are reviewed: %s", exc)


def _copy_choice(widget_key: str, key: str) -> None:
    st.session_state[key] = st.session_state[widget_key]


def choice(widget, label: str, options: list, key: str, format_func, **kwargs):
    """A selectbox or radio whose option labels follow the language; the chosen value persists.

    The browser keeps showing a keyed widget's old label when only ``format_func`` changes, so the
    widget's key carries the language and the value itself lives under ``key`` (tests and other
    pages may set it there); ``index`` is the default when nothing was chosen yet.
    """
    index = kwargs.pop("index", 0)
    if not options:
        return None
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[index]
    widget_key = f"{key}__{current_lang()}"
    st.session_state[widget_key] = st.session_state[key]
    widget(label, options, key=widget_key, format_func=format_func, on_change=_copy_choice,
           args=(widget_key, key), **kwargs)
    return st.session_state[key]


def choices(label: str, options: list, key: str, format_func, default: list, **kwargs) -> list:
    """A multiselect whose option labels follow the language; the chosen values persist across languages.

    As ``choice``: the widget's key carries the language, the canonical values live under ``key``
    (stored values are option values, never labels); ``default`` applies until the user picks."""
    if key not in st.session_state:
        st.session_state[key] = [o for o in default if o in options]
    kept = [o for o in st.session_state[key] if o in options]
    st.session_state[key] = kept
    widget_key = f"{key}__{current_lang()}"
    st.session_state[widget_key] = kept
    st.multiselect(label, options, key=widget_key, format_func=format_func, on_change=_copy_choice,
                   args=(widget_key, key), **kwargs)
    return list(st.session_state[key])
