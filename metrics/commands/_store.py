"""Helpers shared by the commands that read or write the store."""
from __future__ import annotations

import argparse
import sys
from typing import Any, Callable


def add_db_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help="database URL (default: DATABASE_URL, else data/tracker.sqlite)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the messages")


def fail(key: str, **values: Any) -> int:
    """Print a message in both languages to stderr; exit status 2."""
    from ..i18n import t

    sys.stderr.write(f"{t(key, 'zh', **values)} / {t(key, 'en', **values)}\n")
    return 2


def refuse(exc: BaseException, key: str | None = None) -> int:
    """Print why ``exc`` stopped the command, in both languages, to stderr; exit status 2.

    With ``key``, the reason fills that text's ``{error}`` (e.g. "the database is not available: …").
    """
    from ..errors import render
    from ..i18n import t

    parts = [t(key, lang, error=render(exc, lang)) if key else render(exc, lang) for lang in ("zh", "en")]
    sys.stderr.write(" / ".join(parts) + "\n")
    return 2


def say(key: str, lang: str, **values: Any) -> None:
    from ..i18n import t

    sys.stdout.write(t(key, lang, **values) + "\n")


def open_store(args: argparse.Namespace):  # noqa: ANN201 - Store | None, imported lazily
    """The store named by --db (or the environment), or None after printing why it cannot be opened."""
    from ..store import Store, StoreError

    try:
        return Store(args.db)
    except StoreError as exc:
        refuse(exc, "store_unavailable")
        return None


def ids_text(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids) or "-"


def store_action(args: argparse.Namespace, action: Callable[[Any], dict[str, Any]]) -> dict[str, Any] | None:
    """Open the store named by the arguments and run one action on it; None (after saying why in both
    languages) when the store cannot be opened or the action is refused."""
    from ..store import StoreError

    store = open_store(args)
    if store is None:
        return None
    try:
        return action(store)
    except StoreError as exc:
        refuse(exc)
        return None
