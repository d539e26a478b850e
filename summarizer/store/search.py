"""Full-text search over every article: the Chinese (original and Simplified) and the English a
view shows (the reviewer's edit, else the model's output), in an SQLite FTS5 table with the
trigram tokenizer, which finds any run of three or more characters with no word segmentation.

The index follows the store lazily: each search first re-indexes the articles whose results or
edits changed since they were indexed (a fingerprint per article), so the pipeline and the
review never have to remember it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .current import current
from .db import Store

TRIGRAM = 3  # the tokenizer's shortest indexed query; shorter ones scan with LIKE
LIMIT = 200


@dataclass(frozen=True)
class Hit:
    article_id: str
    title: str | None
    unit: str  # title, abstract, p0, p1...
    zh: str
    en: str


def _fingerprints(store: Store) -> dict[str, str]:
    rows = store.conn.execute("""
        SELECT a.id,
               coalesce((SELECT max(created) || count(*) FROM results r WHERE r.article_id = a.id), ''),
               coalesce((SELECT max(id) FROM edits e WHERE e.article_id = a.id), '')
        FROM articles a""")
    return {article_id: f"{results}|{edits}" for article_id, results, edits in rows}


def refresh_index(store: Store) -> int:
    """Re-index the articles changed since their last indexing, drop removed ones; how many changed."""
    now_ = _fingerprints(store)
    indexed = dict(store.conn.execute("SELECT article_id, fingerprint FROM search_state"))
    stale = [i for i, mark in now_.items() if indexed.get(i) != mark] + [i for i in indexed if i not in now_]
    with store.transaction():
        for article_id in stale:
            store.conn.execute("DELETE FROM search WHERE article_id = ?", (article_id,))
            store.conn.execute("DELETE FROM search_state WHERE article_id = ?", (article_id,))
            article = store.article(article_id)
            if article is None:
                continue
            store.conn.executemany("INSERT INTO search VALUES (?,?,?,?)", _rows(store, article))
            store.conn.execute("INSERT INTO search_state VALUES (?,?)", (article_id, now_[article_id]))
    return len(stale)


def _rows(store: Store, article) -> Iterator[tuple[str, str, str, str]]:
    shown = current(store, article)
    originals = [article.title or "", shown.abstract_zh or "", *article.paragraphs]
    for original, unit in zip(originals, shown.units):
        zh = original if original == unit.source else f"{original}\n{unit.source}"
        yield article.id, unit.unit, zh, unit.english or ""


def search(store: Store, query: str, limit: int = LIMIT) -> list[Hit]:
    """Units whose Chinese or English contains `query` (English case-insensitively), best first."""
    query = query.strip()
    if not query:
        return []
    refresh_index(store)
    if len(query) >= TRIGRAM:
        phrase = '"' + query.replace('"', '""') + '"'
        sql = "SELECT article_id, unit, zh, en FROM search WHERE search MATCH ? ORDER BY rank LIMIT ?"
        rows = store.conn.execute(sql, (phrase, limit)).fetchall()
    else:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql = ("SELECT article_id, unit, zh, en FROM search WHERE zh LIKE ?1 ESCAPE '\\' "
               "OR en LIKE ?1 ESCAPE '\\' LIMIT ?2")
        rows = store.conn.execute(sql, (pattern, limit)).fetchall()
    titles = dict(store.conn.execute("SELECT id, title FROM articles"))
    return [Hit(article_id, titles.get(article_id), unit, zh, en) for article_id, unit, zh, en in rows]
