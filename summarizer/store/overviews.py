"""Briefing overviews in the store, keyed like results (brief/overview.py makes the key): a second
briefing of the same stories with the same model reads the overview instead of loading the model."""
from __future__ import annotations

from .db import Store, now


def cached_overview(store: Store, key: str) -> tuple[str, str, str | None] | None:
    """(text, model, revision) stored under `key`, or None."""
    return store.conn.execute("SELECT text, model, revision FROM overviews WHERE key = ?", (key,)).fetchone()


def save_overview(store: Store, key: str, text: str, model: str, revision: str | None) -> None:
    with store.transaction():
        store.conn.execute("INSERT OR REPLACE INTO overviews VALUES (?,?,?,?,?)", (key, model, revision, text, now()))
