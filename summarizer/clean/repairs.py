"""A tally of repairs made while cleaning: kind -> count and the first example."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..types import Repair


@dataclass
class RepairLog:
    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, example: str, count: int = 1) -> None:
        if count <= 0:
            return
        self.counts[kind] = self.counts.get(kind, 0) + count
        self.examples.setdefault(kind, example[:80])

    def sub(self, kind: str, pattern: re.Pattern, repl, text: str) -> str:
        """re.sub that records what it removed."""
        out, n = pattern.subn(repl, text)
        if n:
            self.add(kind, pattern.search(text).group(0), n)
        return out

    def records(self) -> tuple[Repair, ...]:
        return tuple(Repair(kind, n, self.examples[kind]) for kind, n in self.counts.items())
