"""The error boundary: a failure is shown as a clear zh/en message and logged, never as a traceback."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from metrics.access import AccessDenied
from metrics.errors import TrackerError, render
from metrics.i18n import t
from metrics.store import StoreError

from .session import current_lang

log = logging.getLogger("tracker.app")
# A refused write and a store that cannot keep what it saved look different at a glance.
_ICONS = {AccessDenied: ":material/block:", StoreError: ":material/database:"}


@contextmanager
def error_boundary(where: str) -> Iterator[None]:
    """Run a block; on an unexpected exception log it with ``where`` and show a message instead.

    Streamlit's own control-flow exceptions (rerun, stop, switch_page) pass through untouched.
    """
    try:
        yield
    except ScriptControlException:
        raise
    except TrackerError as exc:  # a refusal or a store failure says why, in the reader's language
        if isinstance(exc, AccessDenied):  # a refused write (accounts on) is an answer, not a failure
            log.warning("page section %s refused: %s", where, exc.message("en"))
        else:
            log.error("page section %s: %s %s: %s", where, type(exc).__name__, exc.code, exc.message("en"))
        st.error(render(exc, current_lang()), icon=_ICONS.get(type(exc), ":material/error:"))
    except Exception as exc:  # noqa: BLE001 - the boundary's job is to catch everything
        log.exception("page section %s failed", where)
        lang = current_lang()
        st.error(t("app_error", lang, where=t(where, lang), kind=type(exc).__name__))
