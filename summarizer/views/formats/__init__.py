"""One module per family of export formats; each turns ExportRecords into OutFiles (export.py)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Callable


@dataclass(frozen=True)
class OutFile:
    """A file an export writes: its name (from fixed words and article ids only) and its writer."""

    name: str
    write: Callable[[IO], None]
    binary: bool = False
