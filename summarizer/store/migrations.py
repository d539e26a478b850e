"""Schema migrations: ordered named functions; db.py applies each once, in one transaction with its
row in `_migrations` (sqlite-utils and llm migrations.py). Never edit one that has shipped: add a new one.
"""
from __future__ import annotations

import sqlite3
from typing import Callable

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
def m004_overviews(conn: sqlite3.Connection) -> None:
    # the briefing's overview, keyed like a result (its input, the model and revision, prompt and
    # settings: brief/overview.py), so a second briefing of the same stories needs no model
    conn.execute("""
        CREATE TABLE overviews (
            key TEXT PRIMARY KEY, model TEXT NOT NULL, revision TEXT, text TEXT NOT NULL, created TEXT NOT NULL
        )""")


@migration
def m005_search(conn: sqlite3.Connection) -> None:
    # full-text search over every article's Chinese and current English (store/search.py); the
    # trigram tokenizer needs no word segmentation, so Chinese matches any run of 3+ characters
    conn.execute("""
        CREATE VIRTUAL TABLE search USING fts5(
            article_id UNINDEXED, unit UNINDEXED, zh, en, tokenize = 'trigram'
        )""")
    # what each article's rows were indexed from: a search re-indexes only the articles changed since
    conn.execute("CREATE TABLE search_state (article_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)")


@migration
def m006_review_position(conn: sqlite3.Connection) -> None:
    # where the reviewer last looked, to reopen there (the newest decision is not where they stopped)
    conn.execute("CREATE TABLE review_position (id INTEGER PRIMARY KEY CHECK (id = 1), "
                 "article_id TEXT NOT NULL, unit TEXT NOT NULL, created TEXT NOT NULL)")
