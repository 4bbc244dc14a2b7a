"""The returned-submission notice shown to a province's editors on the upload and history pages."""
from __future__ import annotations

import streamlit as st

from metrics import rounds
from metrics.i18n import t


def show_returned_notices(store, province: str | None, lang: str) -> None:  # noqa: ANN001 - Store
    """A warning per returned submission of ``province`` still waiting for its corrected file."""
    for n in rounds.returned_notices(store, province):
        lines = [t("rounds_returned_notice", lang, id=n["submission_id"], file=n["filename"], as_of=n["as_of"],
                   reviewer=n["reviewer"], comment=n["comment"])]
        lines += [f"- {t('rounds_returned_row', lang, **r)}" for r in n["rows"]]
        lines.append(t("rounds_returned_hint", lang))
        st.warning("\n\n".join(lines), icon=":material/assignment_return:")
