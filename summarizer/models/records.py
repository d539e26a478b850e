"""Typed results of the model layer; plain dataclasses so importing them never loads torch."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..types import Task

Chunking = Literal["none", "sentences", "commas", "windows", "map-reduce"]


@dataclass(frozen=True)
class Generated:
    """One model output for one input text: how many pieces it was cut into, and how."""

    text: str
    chunks: int
    chunking: Chunking


@dataclass(frozen=True)
class ModelInfo:
    """Where a configured model resolves on this machine and what it is, without loading it."""

    task: Task
    id: str
    kind: str
    source: Literal["folder", "cache", "missing"]
    path: str | None
    revision: str | None
    size_bytes: int
    weights: str | None  # "safetensors" or "pytorch_model.bin"
    architecture: str | None
    input_window: int | None
    license: str | None
    ready: bool
    problem: str  # why it is not ready, as the one line a user would see; "" when ready

    @property
    def non_commercial(self) -> bool:
        """CC *-NC-* licences (XL-Sum, NLLB) forbid commercial use; users must see that."""
        return bool(self.license) and "-nc" in self.license.lower()
