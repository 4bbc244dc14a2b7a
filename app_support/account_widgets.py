"""The page widgets of accounts (issue 16 point 4): what a page shows about the signed-in user's rights
(a refused write, whether the store button may be shown and why not) and the audit log's downloads.
The sign-in itself (gate, cookie, account box) is ``app_support.login``."""
from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from metrics.access import AccessDenied, Principal, can_upload, refused_provinces
from metrics.i18n import t

from .session import current_lang

log = logging.getLogger("tracker.auth")


def denied(exc: AccessDenied) -> None:
    """Show a refused write as a clear message."""
    log.warning("refused: %s", exc.message("en"))
    st.error(exc.message(current_lang()), icon=":material/block:")


def upload_permitted(user: Principal | None, provinces: list[str], lang: str) -> bool:
    """Whether the store button may be shown for a file naming ``provinces``; says why not when it may not."""
    if not can_upload(user):
        st.info(t("auth_viewer_readonly", lang), icon=":material/visibility:")
        return False
    refused = refused_provinces(user, provinces or [""])
    if user is not None and refused:
        unnamed = t("auth_no_province", lang)
        st.error(t("auth_upload_refused", lang, provinces="、".join(p or unnamed for p in refused),
                   own=user.province or unnamed), icon=":material/block:")
        return False
    return True


def audit_downloads(rows: list[dict[str, Any]], lang: str) -> None:
    """CSV and Excel downloads of the audit entries the user may read."""
    from metrics.audit import audit_csv, audit_xlsx
    from app_support.uploads import XLSX_MIME

    if not rows:
        return
    c1, c2 = st.columns(2)
    # Written when clicked, not on every rerun of the history page (~60 ms at 10x, issue 17).
    c1.download_button(t("auth_audit_export_csv", lang), lambda: audit_csv(rows, lang), file_name="audit_log.csv",
                       mime="text/csv", key="audit_csv", icon=":material/download:")
    c2.download_button(t("auth_audit_export_xlsx", lang), lambda: audit_xlsx(rows, lang), file_name="audit_log.xlsx",
                       mime=XLSX_MIME, key="audit_xlsx", icon=":material/download:")
