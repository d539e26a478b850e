"""SQLite connections to a store, and the one place where SQLite's errors become StoreErrors.

Every statement and every row fetched goes through the connection and cursor classes below, so a
full disk, a lock held too long, a read-only file or a damaged page anywhere in the program is one
line naming the store and what to do, never a traceback. Errors of our own making (a constraint
broken, SQL misused) are left as they are: they are bugs, not the user's to fix.
"""
from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import ReadOnlyStore, StoreError

_PRIMARY = 0xFF  # extended result codes carry the primary code in their low byte
_ROOM = 1 << 20  # bytes free below which a failed write is taken for a full disk


def damaged(path: Path, detail: str) -> StoreError:
    """A store SQLite finds damaged: .recover copies out what is still readable."""
    detail = " ".join(detail.replace("*** in database main ***", "").split())  # SQLite's reports span lines
    quoted, recovered = shlex.quote(str(path)), shlex.quote(str(path.with_name(f"{path.stem}-recovered.db")))
    return StoreError(str(path), f"the store is damaged ({detail})",
                      f"restore it from a backup, or save what is readable with 'sqlite3 {quoted} .recover "
                      f"| sqlite3 {recovered}' and pass --store {recovered}")


def read_only_store(path: Path) -> StoreError:
    return ReadOnlyStore(str(path), "the store is read-only",
                      "make the file and its folder writable, or copy it somewhere writable and pass --store COPY")


def store_error(path: Path, exc: sqlite3.Error) -> StoreError | None:
    """The StoreError a user can act on for this SQLite error, or None for one of our own bugs."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # Python's own errors: a text column that is not UTF-8 has been overwritten
        return damaged(path, str(exc)) if "Could not decode to UTF-8" in str(exc) else None
    primary, detail = code & _PRIMARY, str(exc)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(str(path), "locked by another process", "try again when it has finished")
    if primary == sqlite3.SQLITE_FULL or (primary == sqlite3.SQLITE_IOERR and _no_room(path)):
        # SQLite says only "disk I/O error" when it cannot grow the -shm file on a full disk
        return StoreError(str(path), "the disk is full",
                          "free some space and run the command again; finished work is kept")
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return read_only_store(path)
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return damaged(path, detail)
    if primary == sqlite3.SQLITE_IOERR:
        return StoreError(str(path), f"cannot read or write the store ({detail})",
                          "check the disk and that it has free space, then run the command again")
    if primary == sqlite3.SQLITE_CANTOPEN:
        return StoreError(str(path), f"cannot open the store ({detail})",
                          "check the path, and that the file and its folder can be read")
    return None


def _no_room(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < _ROOM
    except OSError:
        return False


class _Translating:
    """Runs a call, turning an SQLite error a user can act on into the store's StoreError."""

    store_path: Path

    def _call(self, method: Any, *args: Any) -> Any:
        try:
            return method(*args)
        except sqlite3.Error as exc:
            error = store_error(self.store_path, exc)
            if error is None:
                raise
            raise error from exc


class Cursor(_Translating, sqlite3.Cursor):
    def execute(self, *args: Any) -> Cursor:
        return self._call(super().execute, *args)

    def executemany(self, *args: Any) -> Cursor:
        return self._call(super().executemany, *args)

    def fetchone(self) -> Any:
        return self._call(super().fetchone)

    def fetchmany(self, *args: Any) -> list:
        return self._call(super().fetchmany, *args)

    def fetchall(self) -> list:
        return self._call(super().fetchall)

    def __next__(self) -> Any:
        return self._call(super().__next__)


class Connection(_Translating, sqlite3.Connection):
    def cursor(self, *args: Any) -> Cursor:
        cursor = super().cursor(Cursor)
        cursor.store_path = self.store_path
        return cursor

    def execute(self, *args: Any) -> Cursor:
        return self.cursor().execute(*args)

    def executemany(self, *args: Any) -> Cursor:
        return self.cursor().executemany(*args)

    def commit(self) -> None:
        self._call(super().commit)


def connect(path: Path, *, read_only: bool, timeout: float) -> Connection:
    """A connection to the store at `path`; read-only ones never take a write lock or make a file."""
    try:
        if read_only:
            conn = sqlite3.connect(_read_only_uri(path), uri=True, timeout=timeout, isolation_level=None,
                                   factory=Connection)
        else:
            if path.exists() and not _writable(path):
                raise read_only_store(path)  # SQLite would only say it cannot open the -wal or -shm file
            # isolation_level=None: no implicit transactions; every write goes through db.transaction()
            conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, factory=Connection)
    except sqlite3.Error as exc:
        raise store_error(path, exc) or StoreError(str(path), f"cannot open the store ({exc})",
                                                   "check the path") from exc
    conn.store_path = path
    return conn


def _writable(path: Path) -> bool:
    """A writer needs the file, and its -wal and -shm files or a folder to make them in."""
    companions = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    return os.access(path, os.W_OK) and (
        os.access(path.parent, os.W_OK) or all(os.access(p, os.W_OK) for p in companions))


def _read_only_uri(path: Path) -> str:
    """A file: URI that opens `path` read-only. A WAL reader needs the -shm file, which SQLite cannot
    make in a folder it cannot write (read-only media); with no -wal file there, no writer can change
    the store either, so it is opened as immutable."""
    wal = Path(f"{path}-wal")
    frozen = (not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists()
              and not (wal.exists() and wal.stat().st_size))
    # quoted: '?' and '#' in a file name would end the path part of the URI
    return f"file:{quote(str(path.resolve()), safe='/')}?mode=ro{'&immutable=1' if frozen else ''}"
