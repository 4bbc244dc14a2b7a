"""Who may do what: the permission rules of accounts, as plain functions over a ``Principal``.

Roles (``metrics/data/i18n/auth.yaml`` names them): ``admin`` writes every province and manages
users; ``editor`` writes (uploads, rolls back, deletes, restores) the submissions of one province;
``viewer`` only reads. Everyone signed in reads every page (an editor of one province is a viewer
of the others). ``user=None`` means accounts are switched off: the single-user tool may do anything.

The store calls ``check_can_write`` inside its write methods, so the rule holds for every caller,
not only for the buttons the pages choose to show.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .errors import TrackerError
from .i18n import t

ROLES = ("admin", "editor", "viewer", "reviewer")


@dataclass(frozen=True)
class Principal:
    """A signed-in user as the rules see it (no password hash, safe to keep in a session)."""

    username: str
    role: str
    province: str | None = None
    display_name: str = ""

    @property
    def label(self) -> str:
        """The name shown in the app and written to the audit log."""
        return self.username


class AccessDenied(TrackerError):
    """A write the user may not make; ``message(lang)`` says why in Chinese or English."""

    def __init__(self, user: Principal | None, provinces: Iterable[str], action: str = "write"):
        self.user = user
        self.provinces = sorted({p or "" for p in provinces})
        self.action = action
        if user is None:
            code = "auth_denied_action"
        else:
            code = "auth_denied_editor" if user.role == "editor" else "auth_denied_role"
        super().__init__(code, user=user.username if user else "", role=user.role if user else "",
                         own=(user.province or "") if user else "", provinces=self.provinces, action=action)

    def text_values(self, lang: str) -> dict[str, Any]:
        """Role and action by their names in ``lang``; a missing province as 未指定 / unassigned."""
        unnamed = t("auth_no_province", lang)
        p = self.params
        return {"user": p["user"], "role": t(f"auth_role_{p['role']}", lang) if p["role"] else "",
                "own": p["own"] or unnamed, "provinces": "、".join(x or unnamed for x in p["provinces"]) or unnamed,
                "action": t(f"auth_action_{p['action']}", lang)}


def can_write(user: Principal | None, province: str | None) -> bool:
    """Whether ``user`` may store, roll back, delete or restore submissions of ``province``."""
    if user is None or user.role == "admin":
        return True
    return user.role == "editor" and bool(province) and province == user.province


def refused_provinces(user: Principal | None, provinces: Iterable[str | None]) -> list[str]:
    """The provinces among ``provinces`` that ``user`` may not write (empty: all allowed)."""
    return sorted({p or "" for p in provinces if not can_write(user, p)})


def check_can_write(user: Principal | None, provinces: Iterable[str | None], action: str = "write") -> None:
    """Raise ``AccessDenied`` unless ``user`` may write every one of ``provinces``."""
    provinces = list(provinces)
    if user is not None and user.role != "admin" and not provinces:
        raise AccessDenied(user, [""], action)  # a file naming no province cannot be checked, so not stored
    refused = refused_provinces(user, provinces)
    if refused:
        raise AccessDenied(user, refused, action)


def can_upload(user: Principal | None) -> bool:
    """Whether ``user`` may upload at all (sees the store button)."""
    return user is None or user.role in ("admin", "editor")


def can_manage_users(user: Principal | None) -> bool:
    """Whether ``user`` may add, remove and change accounts (and clear sample data)."""
    return user is None or user.role == "admin"


def check_can_manage(user: Principal | None, action: str = "manage") -> None:
    """Raise ``AccessDenied`` unless ``user`` is an admin (or accounts are off)."""
    if not can_manage_users(user):
        raise AccessDenied(user, [], action)


def can_review(user: Principal | None) -> bool:
    """Whether ``user`` may approve or return submissions (national reviewers and admins; anyone
    with accounts off, where review is optional)."""
    return user is None or user.role in ("admin", "reviewer")


def check_can_review(user: Principal | None) -> None:
    """Raise ``AccessDenied`` unless ``user`` may review submissions."""
    if not can_review(user):
        raise AccessDenied(user, [], "review")


def can_see_audit(user: Principal | None, province: str | None) -> bool:
    """Whether ``user`` may read the audit entries of ``province`` (admins: all; others: their own)."""
    if user is None or user.role == "admin":
        return True
    return bool(province) and province == user.province


def visible_audit(user: Principal | None, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The audit entries ``user`` may read."""
    return [r for r in rows if can_see_audit(user, r.get("province"))]


def actor_name(user: Principal | None, fallback: str = "") -> str:
    """The name the audit log records for an action by ``user``."""
    return user.username if user is not None else fallback
