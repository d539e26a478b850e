"""summarizer: clean scraped Chinese news pages, abstract them in Chinese, translate them to English.

The public API is small and imports neither torch nor rich; heavy modules load when used.
"""
from __future__ import annotations

from .config import Settings, load_settings
from .errors import ConfigError, InputError, ModelNotFound, StoreError, SummarizerError
from .types import Article, Damage, Repair, Source, TaskResult

__all__ = [
    "Article", "ConfigError", "Damage", "InputError", "ModelNotFound", "Repair", "Settings",
    "Source", "StoreError", "SummarizerError", "TaskResult", "load_settings",
]
__version__ = "0.1.0"
