"""The round picker of the upload page (issue 13, point 3): which reporting round a file belongs to.

Shown only while rounds are open. The default is the open round covering the file's as-of date: the
one of exactly that date (``rounds.round_for``, the rule the completeness board applies to a file filed
under no round), else the earliest open round due to report a later date (figures as of 30 November
belong to the round as of 31 December); the officer may pick another open round or none. Once the file is stored, ``RoundPick.confirm`` files every new
submission under the pick (``rounds.assign_round``, audited) and says so in the confirmation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from metrics import rounds
from metrics.access import AccessDenied
from metrics.errors import render
from metrics.i18n import t
from metrics.presentation import counted


@dataclass
class RoundPick:
    """The round picked for one uploaded file (None: no round open, or none chosen)."""

    store: Any
    name: str | None
    lang: str
    user: Any = None
    offered: bool = False

    def confirm(self, outcome: Any) -> None:
        """File the stored submission(s) under the picked round and say so next to the stored message."""
        if not self.offered:
            return
        ids = [i for i in (getattr(outcome, "submission_ids", None) or [getattr(outcome, "submission_id", None)])
               if i is not None]
        if self.name is None or not ids:
            st.caption(t("calendar2_round_none", self.lang))
            return
        try:
            for sid in ids:
                rounds.assign_round(self.store, int(sid), self.name, user=self.user)
        except (rounds.RoundError, AccessDenied) as exc:
            st.error(render(exc, self.lang))
            return
        listed = (", " if self.lang == "en" else "、").join(map(str, ids))
        said = counted(len(ids), "submission_ids", self.lang, ids=listed)
        st.success(t("calendar2_round_filed", self.lang, round=self.name, ids=said), icon=":material/event_available:")


def default_round(open_rounds: list[Any], as_of: Any) -> Any:
    """The open round covering ``as_of``: the one of that very date, else the earliest later one; None
    when the file has no as-of date or every open round is earlier."""
    if as_of is None:
        return None
    exact = next((r for r in open_rounds if r.as_of == as_of), None)
    later = sorted((r for r in open_rounds if r.as_of > as_of), key=lambda r: r.as_of)
    return exact or (later[0] if later else None)


def round_picker(store: Any, result: Any, n: int, lang: str, user: Any = None) -> RoundPick:
    """Draw the picker for the ``n``-th uploaded file when rounds are open; the pick to confirm after storing."""
    open_rounds = [r for r in rounds.list_rounds(store) if not r.closed]
    if not open_rounds:
        return RoundPick(store, None, lang, user)
    default = default_round(open_rounds, result.as_of)
    options: list[str | None] = [None, *[r.name for r in open_rounds]]
    by_name = {r.name: r for r in open_rounds}

    def label(name: str | None) -> str:
        if name is None:
            return t("calendar2_round_not_chosen", lang)
        r = by_name[name]
        from metrics.presentation import fmt_date

        return t("calendar2_round_option", lang, name=name, as_of=fmt_date(r.as_of, lang), due=fmt_date(r.due, lang))

    picked = st.selectbox(t("calendar2_round_label", lang), options, format_func=label, key=f"upload_round_{n}",
                          index=options.index(default.name) if default else 0,
                          help=t("calendar2_round_help", lang))
    return RoundPick(store, picked, lang, user, offered=True)
