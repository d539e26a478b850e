"""The SQLite store of articles and results; see db.py (connection, schema), keys.py (cache keys)."""
from __future__ import annotations

from .db import Store, StoredResult, pick_current
from .keys import Recipe, Unit, result_key

__all__ = ["Recipe", "Store", "StoredResult", "Unit", "pick_current", "result_key"]
