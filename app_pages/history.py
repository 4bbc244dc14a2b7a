"""历史记录 History: submissions per province, diff between two, rollback, soft delete with undo, originals."""
from __future__ import annotations

import streamlit as st

from app_support import data
from app_support.errors import error_boundary
from app_support.review_notice import show_returned_notices
from app_support.login import audit_downloads
from app_support.session import NATIONAL, choice, current_lang, current_scope
from app_support.ui import label_of, page_setup, show_changes, show_diff_counts, translated
from metrics import views
from metrics.catalog import load_catalog
from metrics.access import can_write, visible_audit
from metrics.i18n import t

lang, scope = current_lang(), current_scope()
user = page_setup("app_page_history")  # None when accounts are off
catalog = load_catalog()
# A returned submission's comments, for the province's editors (issue 13).
notice_province = user.province if user is not None and user.province else (None if scope == NATIONAL else scope)
show_returned_notices(data.store(), notice_province, lang)
store = data.store()
province = None if scope == NATIONAL else scope


def changed() -> None:
    """The store changed: drop cached figures and draw the page again."""
    data.invalidate()
    st.rerun()


# An undo offer for the last delete stays until it is used or another action replaces it.
undo = st.session_state.get("history_undo")
if undo:
    c1, c2 = st.columns([4, 1])
    c1.info(t("app_history_deleted", lang, id=undo))
    if c2.button(t("app_history_undo", lang), key="history_undo_button", icon=":material/undo:"):
        store.restore(undo, actor="", user=user)
        st.session_state.pop("history_undo", None)
        changed()

history = store.history(province)
if not history:
    st.info(t("app_history_empty", lang))
    st.stop()

with error_boundary("app_history_list"):
    table = views.history_table(history)
    table = table.assign(state=[t(f"app_state_{s}", lang) for s in table["state"]],
                         sample=[t("app_yes" if s else "app_no", lang) for s in table["sample"]],
                         province=[catalog.label("province", p, lang) for p in table["province"]])
    st.dataframe(translated(table, {"id": "app_col_id", "province": "app_col_province", "as_of": "app_col_as_of",
                                    "uploaded_at": "app_col_uploaded_at", "uploader": "app_col_uploader",
                                    "filename": "app_col_filename", "state": "app_col_state",
                                    "sample": "app_col_sample", "sha256": "app_col_sha"}, lang),
                 hide_index=True, width="stretch", key="history_table")

by_id = {h["id"]: h for h in history}
ids = list(by_id)


def describe(i: int) -> str:
    h = by_id[i]
    return t("app_history_option", lang, id=i, province=catalog.label("province", h["province"], lang),
             as_of=h["as_of"], state=t(f"app_state_{h['state']}", lang))


with error_boundary("app_history_actions"):
    st.subheader(t("app_history_actions", lang))
    # A plain keyed widget: the accounts tests pick submissions through it by this key.
    chosen = st.selectbox(t("app_history_submission", lang), ids, key="history_chosen", format_func=describe)
    h = by_id[chosen]
    c1, c2, c3 = st.columns(3)
    filename, content = data.original_file(chosen)
    c1.download_button(t("app_history_download", lang), content, file_name=filename, key="history_download",
                       icon=":material/download:")
    may_change = can_write(user, h["province"])  # accounts on: admins and the province's own editors only
    if may_change and h["state"] == "superseded" and c2.button(t("app_history_rollback", lang),
                                                               key="history_rollback", icon=":material/restore:"):
        store.rollback(chosen, actor="", user=user)
        st.session_state.pop("history_undo", None)
        changed()
    if not may_change:
        c2.caption(t("auth_history_readonly", lang))
    elif h["state"] == "deleted":
        if c3.button(t("app_history_restore", lang), key="history_restore", icon=":material/undo:"):
            store.restore(chosen, actor="", user=user)
            changed()
    elif st.session_state.get("history_confirm_delete") == chosen:
        c3.warning(t("app_history_confirm_delete", lang, id=chosen))
        yes, no = c3.columns(2)
        if yes.button(t("app_history_delete_yes", lang), key="history_delete_yes", type="primary"):
            store.delete(chosen, actor="", user=user)
            st.session_state["history_undo"] = chosen
            st.session_state.pop("history_confirm_delete", None)
            changed()
        if no.button(t("app_history_delete_no", lang), key="history_delete_no"):
            st.session_state.pop("history_confirm_delete", None)
            st.rerun()
    elif c3.button(t("app_history_delete", lang), key="history_delete", icon=":material/delete:"):
        st.session_state["history_confirm_delete"] = chosen
        st.rerun()

with error_boundary("app_history_diff"):
    st.subheader(t("app_history_diff", lang))
    if len(ids) < 2:
        st.caption(t("app_history_diff_need_two", lang))
    else:
        left, right = st.columns(2)
        # By default the latest change of one province: its current submission against the one before.
        pairs = views.latest_pairs(history)
        old, new = (pairs[0][0]["id"], pairs[0][1]["id"]) if pairs else (ids[1], ids[0])
        a = choice(left.selectbox, t("app_history_diff_a", lang), ids, "history_diff_a", describe, index=ids.index(old))
        b = choice(right.selectbox, t("app_history_diff_b", lang), ids, "history_diff_b", describe, index=ids.index(new))
        diff = data.submission_diff(a, b)
        show_diff_counts(diff, lang, key="history_diff_counts")
        if not views.diff_counts(diff).empty:
            st.dataframe(show_changes(views.diff_rows(diff), lang), hide_index=True, width="stretch",
                         key="history_diff_rows", height=280)

with error_boundary("app_history_audit"):
    st.subheader(t("app_history_audit", lang))
    audit_rows = visible_audit(user, store.audit(province))  # accounts on: admins all, others their province's
    if user is not None and user.role != "admin":
        st.caption(t("auth_audit_hidden", lang))
    audit = views.audit_table(audit_rows)
    st.dataframe(translated(audit.assign(action=[label_of("app_action", a, lang) for a in audit["action"]]),
                            {"at": "app_col_at", "actor": "app_col_actor", "action": "app_col_action",
                             "submission_id": "app_col_id", "province": "app_col_province",
                             "sha256": "app_col_sha"}, lang),
                 hide_index=True, width="stretch", key="history_audit")
    audit_downloads(audit_rows, lang)
