"""Local seq2seq models: resolve (folder or HF cache, offline), load once, chunk to the real
input window without ever truncating, generate in batches.

Importing this package is cheap: torch and transformers load only when a model is opened.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .records import Generated, ModelInfo
from .resolve import resolve

if TYPE_CHECKING:
    from .tasks import TaskModel, open_task

__all__ = ["Generated", "ModelInfo", "TaskModel", "open_task", "resolve"]


def __getattr__(name: str) -> Any:
    """open_task and TaskModel live with torch; load that module on first use only."""
    if name in ("TaskModel", "open_task"):
        from . import tasks

        return getattr(tasks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
