"""What a quality check reports: one Flag per problem, attached to a unit of an article.
The record lives in types.py, below the store, which keeps flags and their dismissals."""
from __future__ import annotations

from ..types import Check, Flag

CHECKS = tuple(Check)  # every check a flag can come from, in the order views list them

__all__ = ["CHECKS", "Check", "Flag"]
