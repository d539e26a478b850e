"""The checks' readings of Chinese texts, kept in the store (qa/readings.py makes the keys and
values): a recheck reads them back instead of loading jieba for texts it has read before."""
from __future__ import annotations

from typing import Mapping

from .db import Store


def kept_readings(store: Store, version: str) -> dict[str, str]:
    """Key -> JSON of every reading the checker of `version` made."""
    return dict(store.conn.execute("SELECT key, value FROM readings WHERE version = ?", (version,)))


def keep_readings(store: Store, version: str, readings: Mapping[str, str]) -> None:
    """Add readings; the caller holds the transaction."""
    store.conn.executemany("INSERT OR IGNORE INTO readings VALUES (?, ?, ?)",
                           ((key, version, value) for key, value in readings.items()))


def drop_other_readings(store: Store, version: str) -> None:
    """Forget the readings of other checkers (an upgrade made them useless); the caller holds the transaction."""
    store.conn.execute("DELETE FROM readings WHERE version != ?", (version,))
