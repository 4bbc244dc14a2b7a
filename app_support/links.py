"""Shareable links: the URL carries the view (language, scope, as-of date, target and deadline).

``/<page>?lang=zh|en&scope=<region name or national>&as_of=YYYY-MM-DD&metric=<id>&deadline=YYYY-MM-DD``.
The link is read once per browser session, before the sidebar is drawn, so a copied link opens the same
view in a new browser; after that the pickers lead and every run writes the view back into the URL.
A value that cannot be used is ignored and said (``st.info``), never a crash.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from metrics.catalog import load_catalog
from metrics.i18n import LANGS, t

NATIONAL = "national"
_READ = "_link_read"
NOTES = "_link_notes"
# The target a link asks for, kept until a page with a target picker has used it.
WANTED_METRIC, WANTED_DEADLINE = "link_metric", "link_deadline"
# The target the page shows (set by a page with a target picker), written into the URL.
VIEW_TARGET = "_view_target"


def parse_link(params: dict[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The usable view values of a link's parameters, and (parameter, value) for each one that is not.

    Scope accepts the canonical name, any alias (short or English name) or ``national``.
    """
    catalog = load_catalog()
    view: dict[str, Any] = {}
    bad: list[tuple[str, str]] = []
    if "lang" in params:
        (view.__setitem__("lang", params["lang"]) if params["lang"] in LANGS else bad.append(("lang", params["lang"])))
    if "scope" in params:
        text = params["scope"]
        scope = NATIONAL if text.strip().lower() == NATIONAL else catalog.resolve_province(text)
        (view.__setitem__("scope", scope) if scope else bad.append(("scope", text)))
    for name, key in (("as_of", "as_of"), ("deadline", WANTED_DEADLINE)):
        if name in params:
            try:
                day = dt.date.fromisoformat(params[name])
                if not dt.date(2024, 1, 1) <= day <= dt.date(2035, 12, 31):  # the sidebar's date range
                    raise ValueError(day)
                view[key] = day
            except ValueError:
                bad.append((name, params[name]))
    if "metric" in params:
        text = params["metric"]
        metric = text if text in catalog.metric_by_id or text.startswith("custom") else catalog.resolve_metric(text)
        (view.__setitem__(WANTED_METRIC, metric) if metric else bad.append(("metric", text)))
    return view, bad


def read_link() -> None:
    """Once per session: put the link's view into the session before the sidebar's widgets exist."""
    if st.session_state.get(_READ):
        return
    st.session_state[_READ] = True
    view, bad = parse_link({k: st.query_params.get(k) for k in st.query_params.keys()})
    for key, value in view.items():
        st.session_state[key] = value
    st.session_state[NOTES] = bad


def show_link_notes(lang: str) -> None:
    """Say, once, which parts of the link were ignored."""
    bad = st.session_state.pop(NOTES, None)
    if bad:
        st.info(t("app_link_ignored", lang, values="、".join(f"{k}={v}" for k, v in bad) if lang == "zh"
                  else ", ".join(f"{k}={v}" for k, v in bad)), icon=":material/link_off:")


def write_link(lang: str, scope: str, as_of: dt.date, target: dict[str, Any] | None = None) -> None:
    """The current view into the URL (only what differs, so the browser history is not flooded)."""
    wanted = {"lang": lang, "scope": scope, "as_of": as_of.isoformat()}
    if target is not None:
        wanted["metric"] = str(target["metric"])
        deadline = target.get("deadline")
        if deadline is not None and str(deadline) not in ("NaT", "nan", "None"):
            wanted["deadline"] = str(deadline)[:10]
    for key in ("metric", "deadline"):
        if key not in wanted and key in st.query_params:
            del st.query_params[key]
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def wanted_target(targets: list[dict[str, Any]]) -> int | None:
    """The position among ``targets`` of the target a link asked for (metric, and deadline if given);
    used once: None when the link named none or none of these."""
    metric = st.session_state.pop(WANTED_METRIC, None)
    deadline = st.session_state.pop(WANTED_DEADLINE, None)
    if metric is None:
        return None
    for i, row in enumerate(targets):
        if row["metric"] != metric:
            continue
        if deadline is None or str(row.get("deadline"))[:10] == deadline.isoformat():
            return i
    st.session_state[NOTES] = [("metric", metric)] + ([("deadline", deadline.isoformat())] if deadline else [])
    return None


def remember_target(row: dict[str, Any]) -> None:
    """The page shows this target: the URL will carry its metric and deadline."""
    st.session_state[VIEW_TARGET] = {"metric": row["metric"], "deadline": row.get("deadline")}
