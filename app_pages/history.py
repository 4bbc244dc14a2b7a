"""历史记录 History: submissions per province, diff between two, rollback, soft delete with undo, originals.

One function per part of the page (undo offer, list, actions, comparison, audit log), each drawn
inside its own error boundary by ``main``.
"""
from __future__ import annotations

import streamlit as st

from app_support import change_tables, data, history_tables
from app_support.errors import error_boundary
from app_support.review_notice import show_returned_notices
from app_support.account_widgets import audit_downloads
from app_support.session import NATIONAL, choice, current_lang, current_scope
from app_support.ui import page_setup, show_changes, show_diff_counts, translated
from metrics import presentation
from metrics.catalog import load_catalog
from metrics.access import can_write, visible_audit
from metrics.audit import action_label
from metrics.i18n import t

catalog = load_catalog()


def changed() -> None:
    """The store changed: drop cached figures and draw the page again."""
    data.invalidate()
    st.rerun()


def uploader_text(h: dict, lang: str) -> str:
    """Who uploaded a submission, in words: the account, 示例数据 for the samples, 未记录 when none."""
    who = str(h.get("uploader") or "")
    if h.get("sample") or who == "sample":
        return t("app_uploader_sample", lang)
    return who or t("app_uploader_unknown", lang)


def describe(h: dict, lang: str) -> str:
    """A submission's option label: number, region, as-of date, state."""
    return t("app_history_option", lang, id=h["id"], province=catalog.label("province", h["province"], lang),
             as_of=h["as_of"], state=t(f"app_state_{h['state']}", lang))


def facts(h: dict, lang: str) -> str:
    """Who uploaded a submission, when, and its file's short SHA-256 (to tell two files apart)."""
    return t("app_history_facts", lang, uploader=uploader_text(h, lang),
             uploaded_at=presentation.minute_text(h.get("uploaded_at")), sha=history_tables.short_hash(h.get("sha256")))


def show_undo(store, user, lang: str) -> None:
    """An undo offer for the last delete; it stays until it is used or another action replaces it."""
    undo = st.session_state.get("history_undo")
    if not undo:
        return
    c1, c2 = st.columns([4, 1])
    c1.info(t("app_history_deleted", lang, id=undo))
    if c2.button(t("app_history_undo", lang), key="history_undo_button", icon=":material/undo:"):
        store.restore(undo, actor="", user=user)
        st.session_state.pop("history_undo", None)
        changed()


def show_list(history: list[dict], lang: str) -> None:
    """Every stored submission, newest first."""
    table = history_tables.history_table(history)
    by_id = {h["id"]: h for h in history}
    table = table.assign(state=[t(f"app_state_{s}", lang) for s in table["state"]],
                         sample=[t("app_yes" if s else "app_no", lang) for s in table["sample"]],
                         uploader=[uploader_text(by_id[i], lang) for i in table["id"]],
                         province=[catalog.label("province", p, lang) for p in table["province"]])
    st.dataframe(translated(table, {"id": "app_col_id", "province": "app_col_province", "as_of": "app_col_as_of",
                                    "uploaded_at": "app_col_uploaded_at", "uploader": "app_col_uploader",
                                    "filename": "app_col_filename", "state": "app_col_state",
                                    "sample": "app_col_sample", "sha256": "app_col_sha"}, lang),
                 hide_index=True, width="stretch", key="history_table")


def delete_buttons(store, user, h: dict, column, lang: str) -> None:
    """Delete (with a confirmation), or restore a deleted submission."""
    chosen = h["id"]
    if h["state"] == "deleted":
        if column.button(t("app_history_restore", lang), key="history_restore", icon=":material/undo:"):
            store.restore(chosen, actor="", user=user)
            changed()
        return
    if st.session_state.get("history_confirm_delete") != chosen:
        if column.button(t("app_history_delete", lang), key="history_delete", icon=":material/delete:"):
            st.session_state["history_confirm_delete"] = chosen
            st.rerun()
        return
    column.warning(t("app_history_confirm_delete", lang, id=chosen))
    yes, no = column.columns(2)
    if yes.button(t("app_history_delete_yes", lang), key="history_delete_yes", type="primary"):
        store.delete(chosen, actor="", user=user)
        st.session_state["history_undo"] = chosen
        st.session_state.pop("history_confirm_delete", None)
        changed()
    if no.button(t("app_history_delete_no", lang), key="history_delete_no"):
        st.session_state.pop("history_confirm_delete", None)
        st.rerun()


def show_actions(store, user, by_id: dict[int, dict], lang: str) -> None:
    """One submission: its facts, the original file, roll back, delete or restore."""
    st.subheader(t("app_history_actions", lang))
    # A plain keyed widget: the accounts tests pick submissions through it by this key.
    chosen = st.selectbox(t("app_history_submission", lang), list(by_id), key="history_chosen",
                          format_func=lambda i: describe(by_id[i], lang))
    h = by_id[chosen]
    st.caption(facts(h, lang))
    c1, c2, c3 = st.columns(3)
    filename, content = data.original_file(chosen)
    c1.download_button(t("app_history_download", lang), content, file_name=filename, key="history_download",
                       icon=":material/download:")
    if not can_write(user, h["province"]):  # accounts on: admins and the province's own editors only
        c2.caption(t("auth_history_readonly", lang))
        return
    if h["state"] == "superseded" and c2.button(t("app_history_rollback", lang), key="history_rollback",
                                                icon=":material/restore:"):
        store.rollback(chosen, actor="", user=user)
        st.session_state.pop("history_undo", None)
        changed()
    delete_buttons(store, user, h, c3, lang)


def diff_province(history: list[dict], scope: str, lang: str) -> str | None:
    """The region whose submissions are compared: the page's region, or (national view) a pick among the
    regions with two or more submissions, the latest upload's first."""
    if scope != NATIONAL:
        return scope
    provinces = history_tables.diff_provinces(history)
    return choice(st.selectbox, t("app_history_diff_province", lang), provinces, "history_diff_province",
                  lambda p: catalog.label("province", p, lang))


def diff_picker(column, key: str, label: str, ids: list[int], default: int, by_id: dict, lang: str) -> int:
    """One side of the comparison: a submission of the region, with who uploaded it and its file hash.
    The stored choice is kept per region, so another region starts at its own latest pair."""
    chosen = choice(column.selectbox, label, ids, key, lambda i: describe(by_id[i], lang), index=ids.index(default))
    column.caption(facts(by_id[chosen], lang))
    return chosen


def show_diff(history: list[dict], scope: str, lang: str) -> None:
    """比较两次报送: two submissions of one region, by default its two latest."""
    st.subheader(t("app_history_diff", lang))
    if len(history) < 2:
        st.caption(t("app_history_diff_need_two", lang))
        return
    province = diff_province(history, scope, lang)
    pair = history_tables.latest_two(history, province) if province else None
    if pair is None:
        st.caption(t("app_history_diff_none" if scope == NATIONAL else "app_history_diff_need_two", lang))
        return
    by_id = {h["id"]: h for h in history if str(h["province"]) == province}
    ids = list(by_id)
    left, right = st.columns(2)
    a = diff_picker(left, f"history_diff_a__{province}", t("app_history_diff_a", lang), ids, pair[0], by_id, lang)
    b = diff_picker(right, f"history_diff_b__{province}", t("app_history_diff_b", lang), ids, pair[1], by_id, lang)
    diff = data.submission_diff(a, b)
    show_diff_counts(diff, lang, key="history_diff_counts")
    if not change_tables.diff_counts(diff).empty:
        st.dataframe(show_changes(change_tables.diff_rows(diff), lang), hide_index=True, width="stretch",
                     key="history_diff_rows", height=280)


def show_audit(store, user, province: str | None, lang: str) -> None:
    """The audit log: admins see all of it, others their own region's."""
    st.subheader(t("app_history_audit", lang))
    audit_rows = visible_audit(user, store.audit(province))
    if user is not None and user.role != "admin":
        st.caption(t("auth_audit_hidden", lang))
    audit = history_tables.audit_table(audit_rows)
    catalog = load_catalog()
    shown = audit.assign(action=[action_label(str(a), lang) for a in audit["action"]],
                         province=[presentation.region_name(catalog, p, lang) if isinstance(p, str) and p else p
                                   for p in audit["province"]])  # 江苏省 reads Jiangsu on the English page
    st.dataframe(translated(shown,
                            {"at": "app_col_at", "actor": "app_col_actor", "action": "app_col_action",
                             "submission_id": "app_col_id", "province": "app_col_province",
                             "sha256": "app_col_sha"}, lang),
                 hide_index=True, width="stretch", key="history_audit")
    audit_downloads(audit_rows, lang)


def main(user) -> None:
    lang, scope = current_lang(), current_scope()
    store = data.store()
    # A returned submission's comments, for the province's editors (issue 13).
    notice_province = user.province if user is not None and user.province else (None if scope == NATIONAL else scope)
    show_returned_notices(store, notice_province, lang)
    province = None if scope == NATIONAL else scope
    show_undo(store, user, lang)
    history = data.history(province)
    if not history:
        st.info(t("app_history_empty", lang))
        return
    by_id = {h["id"]: h for h in history}
    with error_boundary("app_history_list"):
        show_list(history, lang)
    with error_boundary("app_history_actions"):
        show_actions(store, user, by_id, lang)
    with error_boundary("app_history_diff"):
        show_diff(history, scope, lang)
    with error_boundary("app_history_audit"):
        show_audit(store, user, province, lang)


# The login check, header and banner first, at module level, as on every page (see test_app_pages).
user = page_setup("app_page_history")  # None when accounts are off
main(user)
