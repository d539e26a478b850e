"""Removing an article: the article, every result, flag, decision and edit of it, in one transaction.
Glossary terms added while reviewing it stay (they are about words, not about this article)."""
from __future__ import annotations

from ..types import Task
from .db import Store

# children first: they reference articles(id)
_TABLES = ("results", "flags", "dismissals", "decisions", "edits", "search_state", "review_position")


def remove_article(store: Store, article_id: str) -> dict[str, int]:
    """Delete the article and what belongs to it; rows removed per table (results, flags, ...)."""
    removed: dict[str, int] = {}
    with store.transaction():
        for table in _TABLES:
            removed[table] = store.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,)).rowcount
        store.conn.execute("DELETE FROM search WHERE article_id = ?", (article_id,))
        store.conn.execute("UPDATE glossary SET article_id = NULL WHERE article_id = ?", (article_id,))
        removed["articles"] = store.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount
    return removed


def forget_results(store: Store, article_ids: list[str], task: Task) -> int:
    """Delete the task's results of these articles, so the next run computes them afresh; how many.
    Reviewers' edits and decisions stay: they are the reviewer's, not the model's."""
    with store.transaction():
        return sum(store.conn.execute("DELETE FROM results WHERE article_id = ? AND task = ?",
                                      (article_id, task)).rowcount for article_id in article_ids)
