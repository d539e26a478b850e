"""What an SQLite file is before anything touches it: one of our stores (and which migrations it
lacks), a blank file, another program's database, a store of a newer summarizer, or a damaged one.

Our stores carry APPLICATION_ID in their header (and the number of migrations applied in
user_version), so another program's database is refused instead of getting our tables added to
it. Stores made before the mark have our `_migrations` table and only our tables; a migration adds
the mark to them.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import StoreError
from .connection import damaged
from .migrations import APPLICATION_ID, MIGRATIONS, Migration

# the tables of a store made before the mark, besides _migrations
SQLITE_HEADER = b"SQLite format 3\x00"
UNMARKED_TABLES = frozenset({"articles", "results", "flags", "decisions", "edits", "glossary"})


@dataclass(frozen=True)
class Schema:
    blank: bool  # no tables yet: a new store
    pending: tuple[Migration, ...]  # the migrations it lacks, in order


def inspect(conn: sqlite3.Connection, path: Path, migrations: Sequence[Migration] = MIGRATIONS) -> Schema:
    """The store's schema state; StoreError for a file that is not one of our stores."""
    marked = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if marked == 0 and not tables:
        return Schema(blank=True, pending=tuple(migrations))
    applied = ({row[0] for row in conn.execute("SELECT name FROM _migrations")}
               if "_migrations" in tables else set())
    known = {m.__name__ for m in MIGRATIONS}
    ours = marked == APPLICATION_ID or (
        marked == 0 and "_migrations" in tables and applied <= known and tables - {"_migrations"} <= UNMARKED_TABLES)
    if not ours:
        raise StoreError(str(path), "an SQLite database of another program, not a summarizer store",
                         "pass --store with a summarizer store, or a new file name to make one")
    if applied - known or version > len(MIGRATIONS):
        newer = ", ".join(sorted(applied - known)) or f"version {version}"
        raise StoreError(str(path), f"written by a newer summarizer (schema {newer})",
                         "upgrade summarizer or pass --store with another file")
    return Schema(blank=False, pending=tuple(m for m in migrations if m.__name__ not in applied))


def check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    """PRAGMA quick_check, once at open: a damaged store is refused before anything reads or writes it."""
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        raise damaged(path, "; ".join(problems))


def check_header(path: Path) -> None:
    """Refuse a file that does not start as an SQLite database does, before SQLite reads it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError:
        return  # opening it says why, in the store's own words
    if head and head != SQLITE_HEADER:
        raise StoreError(str(path), "not a summarizer store: not an SQLite file, or its first page is damaged",
                         "pass --store with a summarizer store; if this was one, restore it from a backup")
