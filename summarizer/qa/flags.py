"""What a quality check reports: one Flag per problem, attached to a unit of an article."""
from __future__ import annotations

from dataclasses import dataclass

# every check a flag can come from, in the order views list them
CHECKS = ("empty", "untranslated", "numbers", "loop", "length", "glossary", "inconsistent", "faithfulness")


@dataclass(frozen=True)
class Flag:
    """One problem found in one unit's output: which check found it, and both sides of it in words."""

    check: str
    detail: str
