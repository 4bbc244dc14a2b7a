"""The error boundary: a failure is shown as a clear zh/en message and logged, never as a traceback."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from metrics.access import AccessDenied
from metrics.i18n import t
from metrics.store import StoreError

from .session import current_lang

log = logging.getLogger("tracker.app")


@contextmanager
def error_boundary(where: str) -> Iterator[None]:
    """Run a block; on an unexpected exception log it with ``where`` and show a message instead.

    Streamlit's own control-flow exceptions (rerun, stop, switch_page) pass through untouched.
    """
    try:
        yield
    except ScriptControlException:
        raise
    except AccessDenied as exc:  # a refused write (accounts on) is an answer, not a failure
        log.warning("page section %s refused: %s", where, exc.message("en"))
        st.error(exc.message(current_lang()), icon=":material/block:")
    except StoreError as exc:  # the store says why (e.g. its file vanished: the save is not durable)
        log.error("page section %s: store error %s: %s", where, exc.code, exc.message_en)
        st.error(exc.message_en if current_lang() == "en" else exc.message, icon=":material/database:")
    except Exception as exc:  # noqa: BLE001 - the boundary's job is to catch everything
        log.exception("page section %s failed", where)
        lang = current_lang()
        st.error(t("app_error", lang, where=t(where, lang), kind=type(exc).__name__))
