"""Schema migrations: ordered named functions; db.py applies each once, in one transaction with its
row in `_migrations` (sqlite-utils and llm migrations.py). Never edit one that has shipped: add a new one.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Callable

from ..types import content_id
from .keys import tagged_key

APPLICATION_ID = int.from_bytes(b"SumZ", "big")  # PRAGMA application_id of every store we make (m004)
Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(func: Migration) -> Migration:
    MIGRATIONS.append(func)
    return func


@migration
def m001_articles(conn: sqlite3.Connection) -> None:
    # `data` holds the whole Article (serialize.article_to_dict); the columns beside it are copies
    # for SQL users and queries, never read back
    conn.execute("""
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            title TEXT, date TEXT, outlet TEXT, author TEXT, script TEXT NOT NULL,
            source_path TEXT NOT NULL, source_sha256 TEXT NOT NULL, source_encoding TEXT NOT NULL,
            data TEXT NOT NULL,
            created TEXT NOT NULL
        )""")


@migration
def m002_results(conn: sqlite3.Connection) -> None:
    conn.execute("""
        CREATE TABLE results (
            key TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            task TEXT NOT NULL, unit TEXT NOT NULL, input_hash TEXT NOT NULL,
            method TEXT NOT NULL CHECK (method IN ('model', 'extractive')),
            model TEXT, revision TEXT, prompt_hash TEXT NOT NULL, params TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('done', 'pending', 'failed')),
            text TEXT NOT NULL, chunks INTEGER NOT NULL, chunking TEXT NOT NULL, reason TEXT,
            created TEXT NOT NULL
        )""")
    conn.execute("CREATE INDEX results_by_unit ON results (article_id, task, unit)")


@migration
def m003_review(conn: sqlite3.Connection) -> None:
    # flags: the quality checks' findings on each unit's current output (qa/), replaced whole per
    # article whenever its results or edits change; `position` keeps the order they were found in
    conn.execute("""
        CREATE TABLE flags (
            article_id TEXT NOT NULL REFERENCES articles(id),
            unit TEXT NOT NULL, position INTEGER NOT NULL,
            check_name TEXT NOT NULL, detail TEXT NOT NULL,
            PRIMARY KEY (article_id, unit, position)
        )""")
    # decisions and edits are append-only logs, the newest row per unit wins: nothing a reviewer
    # did is ever overwritten, and the model's own output stays in `results`.
    # unit '' is the whole article
    conn.execute("""
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id), unit TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('unreviewed', 'approved', 'flagged')),
            note TEXT, created TEXT NOT NULL
        )""")
    conn.execute("CREATE INDEX decisions_by_article ON decisions (article_id, unit)")
    # base_key: the result row the reviewer saw and revised (NULL when there was none)
    conn.execute("""
        CREATE TABLE edits (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id), unit TEXT NOT NULL,
            text TEXT NOT NULL, base_key TEXT, created TEXT NOT NULL
        )""")
    conn.execute("CREATE INDEX edits_by_article ON edits (article_id, unit)")
    # terms added from the review, merged over the glossary file: the reviewer saw them in context
    conn.execute("""
        CREATE TABLE glossary (
            source TEXT PRIMARY KEY, target TEXT NOT NULL, article_id TEXT, created TEXT NOT NULL
        )""")


@migration
def m004_mark(conn: sqlite3.Connection) -> None:
    # the header mark that tells our stores from other programs' SQLite files (schema.py);
    # user_version, the count of migrations applied, is kept by Store.migrate
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


@migration
def m005_full_article_ids(conn: sqlite3.Connection) -> None:
    # article ids were the first 16 hex digits of the content digest, so two articles could share
    # one; they become the whole digest, and every row naming an article, and every result key
    # (which hashes its article id), follows. The old ids stay usable as id prefixes.
    conn.execute("PRAGMA defer_foreign_keys = ON")  # ids change in several tables; checked at commit
    for old_id, data in conn.execute("SELECT id, data FROM articles").fetchall():
        record = json.loads(data)
        new_id = content_id(record["title"], record["body_paragraphs"])
        if new_id == old_id:
            continue
        record["id"] = new_id
        conn.execute("UPDATE articles SET id = ?, data = ? WHERE id = ?",
                     (new_id, json.dumps(record, ensure_ascii=False), old_id))
        for table in ("flags", "decisions", "edits", "glossary"):
            conn.execute(f"UPDATE {table} SET article_id = ? WHERE article_id = ?", (new_id, old_id))
        for key, *fields in conn.execute(
                "SELECT key, task, unit, input_hash, method, model, revision, prompt_hash, params "
                "FROM results WHERE article_id = ?", (old_id,)).fetchall():
            new_key = _rekeyed(key, fields, old_id, new_id)
            conn.execute("UPDATE results SET key = ?, article_id = ? WHERE key = ?", (new_key, new_id, key))
            conn.execute("UPDATE edits SET base_key = ? WHERE base_key = ?", (new_key, key))


def _rekeyed(key: str, fields: list, old_id: str, new_id: str) -> str:
    """The key of a result of the first key recipe with its article's new id; a key that recipe did
    not make is kept (it cannot name the old id)."""
    task, unit, input_hash, method, model, revision, prompt_hash, params = fields
    recipe = {"task": task, "unit": unit, "input": input_hash, "method": method, "model": model,
              "revision": revision, "prompt": prompt_hash, "params": json.loads(params)}
    tag = "summarizer-result-1"
    if tagged_key(tag, {"article": old_id, **recipe}) != key:
        return key
    return tagged_key(tag, {"article": new_id, **recipe})


@migration
def m006_flag_evidence_and_dismissals(conn: sqlite3.Connection) -> None:
    # each flag's evidence beside its sentence: the rendering a check expected and what it found
    conn.execute("ALTER TABLE flags ADD COLUMN expected TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE flags ADD COLUMN found TEXT NOT NULL DEFAULT ''")
    # a reviewer's "false alarm" on one flag, kept apart from `flags` (replaced at every recheck):
    # a recheck that finds the same flag again finds it dismissed; rows per check give its false-alarm rate
    conn.execute("""
        CREATE TABLE dismissals (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id), unit TEXT NOT NULL,
            check_name TEXT NOT NULL, detail TEXT NOT NULL, note TEXT NOT NULL, created TEXT NOT NULL,
            UNIQUE (article_id, unit, check_name, detail)
        )""")


@migration
def m007_overviews(conn: sqlite3.Connection) -> None:
    # the briefing's overview, keyed like a result (its input, the model and revision, prompt and
    # settings: brief/overview.py), so a second briefing of the same stories needs no model
    conn.execute("""
        CREATE TABLE overviews (
            key TEXT PRIMARY KEY, model TEXT NOT NULL, revision TEXT, text TEXT NOT NULL, created TEXT NOT NULL
        )""")


@migration
def m008_search(conn: sqlite3.Connection) -> None:
    # full-text search over every article's Chinese and current English (store/search.py); the
    # trigram tokenizer needs no word segmentation, so Chinese matches any run of 3+ characters
    conn.execute("""
        CREATE VIRTUAL TABLE search USING fts5(
            article_id UNINDEXED, unit UNINDEXED, zh, en, tokenize = 'trigram'
        )""")
    # what each article's rows were indexed from: a search re-indexes only the articles changed since
    conn.execute("CREATE TABLE search_state (article_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)")


@migration
def m009_review_position(conn: sqlite3.Connection) -> None:
    # where the reviewer last looked, to reopen there (the newest decision is not where they stopped)
    conn.execute("CREATE TABLE review_position (id INTEGER PRIMARY KEY CHECK (id = 1), "
                 "article_id TEXT NOT NULL, unit TEXT NOT NULL, created TEXT NOT NULL)")


@migration
def m010_readings(conn: sqlite3.Connection) -> None:
    # what the checks read of each Chinese text (qa/readings.py), so a recheck loads no dictionary
    # for a text it has read before; `version` is the checker's, rows of another are never read
    conn.execute("CREATE TABLE readings (key TEXT PRIMARY KEY, version TEXT NOT NULL, value TEXT NOT NULL) "
                 "WITHOUT ROWID")  # the key is the row's only index
