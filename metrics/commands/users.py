"""``python -m metrics users add|remove|list|set-password|unlock|logout|unblock [...] [--db URL]``

Passwords are never taken from the command line (they would land in the shell history and in
``ps``): they are typed at a prompt (twice) or, when standard input is not a terminal, read from
its first line (``printf '%s\\n' "$PW" | python -m metrics users add ...``).
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

HELP = "管理登录账户 / manage sign-in accounts (admin)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--db", metavar="URL", help="database URL (default: DATABASE_URL or the SQLite file)")
        q.add_argument("--lang", choices=["zh", "en"], default="zh")

    add = sub.add_parser("add", help="create an account (password from a prompt or stdin)")
    add.add_argument("username")
    add.add_argument("--role", choices=["admin", "editor", "viewer", "reviewer"], required=True)
    add.add_argument("--province", help="the editor's province (or a viewer's home province)")
    add.add_argument("--display-name", default="", help="the person's name, shown beside the user name")
    common(add)
    remove = sub.add_parser("remove", help="delete an account")
    remove.add_argument("username")
    common(remove)
    listing = sub.add_parser("list", help="list the accounts")
    listing.add_argument("--json", action="store_true", help="machine-readable list")
    common(listing)
    setpw = sub.add_parser("set-password", help="change a password (from a prompt or stdin); lifts a lock")
    setpw.add_argument("username")
    common(setpw)
    unlock = sub.add_parser("unlock", help="lift a lock-out after too many failed sign-ins")
    unlock.add_argument("username")
    common(unlock)
    logout = sub.add_parser("logout", help="end every session of a user at once (a lost laptop, a leaver)")
    logout.add_argument("username")
    common(logout)
    unblock = sub.add_parser("unblock", help="lift the sign-in block of a client address or a name, or of all")
    which = unblock.add_mutually_exclusive_group(required=True)
    which.add_argument("--client", metavar="ADDRESS", help="the client address (as in the audit log)")
    which.add_argument("--user", metavar="NAME", help="a sign-in name (an account's lock is lifted too)")
    which.add_argument("--all", action="store_true", help="every client and every name")
    common(unblock)


def read_password(lang: str) -> str:
    """The new password: typed twice at a hidden prompt, or the first line of a piped stdin."""
    from ..auth import AuthError
    from ..i18n import t

    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password[:-1] if password.endswith("\r") else password
        if not password:
            raise AuthError("auth_password_none")
        return password
    first = getpass.getpass(f"{t('auth_password_prompt', lang)}: ")
    if getpass.getpass(f"{t('auth_password_again', lang)}: ") != first:
        raise AuthError("auth_password_mismatch")
    return first


def cli_actor() -> str:
    """The audit log's name for an account change made from the command line."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return f"cli:{os.getuid()}" if hasattr(os, "getuid") else "cli"


def run(args: argparse.Namespace) -> int:
    from ..auth import Accounts, AuthError
    from ..errors import render
    from ..i18n import t
    from ..store import Store, StoreError
    from ._common import print_json, print_table

    lang = args.lang
    try:
        accounts = Accounts(Store(args.db))
        if args.action == "list":
            found = accounts.list_users()
            if args.json:
                print_json([u.to_dict() for u in found])
                return 0
            rows = [{**u.to_dict(), "role": t(f"auth_role_{u.role}", lang), "province": u.province or "",
                     "locked_until": u.locked_until.isoformat(timespec="minutes") if u.locked() else "",
                     "created_at": u.created_at.isoformat(timespec="minutes")}
                    for u in found]
            cols = ["username", "display_name", "role", "province", "locked_until", "created_at"]
            print_table(rows, cols, [t(f"auth_col_{c}", lang) for c in cols])
            return 0
        if args.action == "add":
            user = accounts.add(args.username, read_password(lang), args.role, args.province,
                                display_name=args.display_name, actor=cli_actor())
            print(t("auth_user_added", lang, username=user.username, role=t(f"auth_role_{user.role}", lang)))
        elif args.action == "remove":
            accounts.remove(args.username, actor=cli_actor())
            print(t("auth_user_removed", lang, username=args.username))
        elif args.action == "set-password":
            if accounts.get(args.username) is None:  # say so before asking for a password
                raise AuthError("auth_no_such_user", username=args.username)
            accounts.set_password(args.username, read_password(lang), actor=cli_actor())
            print(t("auth_password_set", lang, username=args.username))
        elif args.action == "unlock":
            accounts.unlock(args.username, actor=cli_actor())
            print(t("auth_user_unlocked", lang, username=args.username))
        elif args.action == "logout":
            count = accounts.end_sessions(args.username, actor=cli_actor())
            print(t("auth_sessions_ended", lang, username=args.username, count=count))
        elif args.action == "unblock":
            if args.client is not None:
                count = accounts.clear_throttle(args.client, actor=cli_actor())
                print(t("auth_throttle_cleared_client", lang, client=args.client, count=count))
            elif args.user is not None:
                count = accounts.clear_throttle(name=args.user, actor=cli_actor())
                print(t("auth_throttle_cleared_name", lang, username=args.user, count=count))
            else:
                count = accounts.clear_throttle(actor=cli_actor())
                print(t("auth_throttle_cleared_all", lang, count=count))
        return 0
    except AuthError as exc:
        sys.stderr.write(render(exc, lang) + "\n")
        return 1
    except StoreError as exc:
        sys.stderr.write(render(exc, lang) + "\n")
        return 2
    except (EOFError, KeyboardInterrupt):
        return 130
