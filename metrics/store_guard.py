"""No silent loss around a SQLite store file (issue 18).

SQLite creates whatever file and folder it is pointed at, and a file deleted while the app runs
keeps taking writes (into an unlinked inode) that vanish at the next start. So:

- ``check_sqlite_file`` refuses, before anything is opened, a missing data folder (unless the
  store is being created on purpose), an empty (0-byte) file and a file that is not SQLite;
- ``opening_lock`` holds an exclusive lock beside the file while one process checks, creates and
  migrates it: SQLite creates the file empty and writes its header a moment later, so a sibling
  process starting at the same instant would otherwise see a 0-byte file and refuse it;
- ``FileIdentity`` remembers which file was opened, and ``check_still_there`` after each commit
  turns "the file is gone or was replaced" into an error instead of a reported success.
"""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from .errors import TrackerError

SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreFileError(TrackerError):
    """The store file cannot be used safely: a store error code (texts in errors.yaml) and the path."""

    text_prefix = "error_"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None (another database, or in memory)."""
    u = sa.make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database).expanduser()


def check_sqlite_file(path: Path, create: bool) -> None:
    """Raise StoreFileError when opening ``path`` would start afresh or read garbage without a word."""
    if not path.parent.is_dir():
        if not create:
            raise StoreFileError("store_folder_missing", folder=str(path.parent))
        return
    if not path.exists():
        return
    if path.stat().st_size == 0:
        raise StoreFileError("store_empty_file", path=str(path))
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise StoreFileError("store_not_sqlite", path=str(path))


@contextmanager
def opening_lock(path: Path | None, create: bool) -> Iterator[None]:
    """Hold ``<file>.lock`` exclusively while the store at ``path`` is checked, created and migrated.

    Without a file (another database) or without its folder (which ``check_sqlite_file`` then refuses
    or, with ``create``, the engine creates) there is nothing to lock yet.
    """
    if path is None:
        yield
        return
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    if not path.parent.is_dir():
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass(frozen=True)
class FileIdentity:
    """Which file a store opened (device and inode)."""

    path: Path
    device: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> "FileIdentity | None":
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(path, st.st_dev, st.st_ino)

    def check_still_there(self) -> None:
        """Raise StoreFileError when the file was deleted or replaced since it was opened."""
        now = FileIdentity.of(self.path)
        if now is None or (now.device, now.inode) != (self.device, self.inode):
            raise StoreFileError("store_file_gone", path=str(self.path))


__all__ = ["StoreFileError", "FileIdentity", "check_sqlite_file", "opening_lock", "sqlite_path"]
