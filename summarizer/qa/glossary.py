"""The user's glossary: each source term's expected English, checked in every translation, and the
same term rendered differently across the batch.

A glossary file is TOML (`"医联体" = "medical consortium"`, or a list whose first entry is preferred
and the rest are accepted variants) or CSV (source, target, variants...; a `source,target` header
row is skipped). Terms added from the review (store.review.add_term) are merged over it.
"""
from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import ConfigError
from .flags import Flag

Glossary = Mapping[str, tuple[str, ...]]  # source term -> renderings, the preferred one first


def load_glossary(path: Path) -> dict[str, tuple[str, ...]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read the glossary ({exc})", "check glossary.path") from exc
    rows = _toml_rows(text, path) if path.suffix.lower() == ".toml" else _csv_rows(text)
    glossary: dict[str, tuple[str, ...]] = {}
    for source, *targets in rows:
        targets = [t.strip() for t in targets if t.strip()]
        if not source.strip() or not targets:
            raise ConfigError(str(path), f"glossary term {source!r} has no English", "give it one")
        glossary[source.strip()] = tuple(targets)
    return glossary


def _toml_rows(text: str, path: Path) -> list[list[str]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"not valid TOML ({exc})", "fix the line it names") from exc
    rows = []
    for source, target in data.items():
        if not (isinstance(target, str) or isinstance(target, list) and all(isinstance(t, str) for t in target)):
            raise ConfigError(str(path), f"glossary term {source!r} must be a string or a list of strings",
                              "write \"term\" = \"English\"")
        rows.append([source, *([target] if isinstance(target, str) else target)])
    return rows


def _csv_rows(text: str) -> list[list[str]]:
    rows = [row for row in csv.reader(text.splitlines()) if row and any(cell.strip() for cell in row)]
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["source", "target"]:
        rows = rows[1:]
    return rows


def merged(base: Glossary, added: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Review terms over the file's: the reviewer's English first, the file's kept as variants."""
    out = dict(base)
    for source, target in added.items():
        out[source] = (target, *(t for t in base.get(source, ()) if t.lower() != target.lower()))
    return out


def rendering(english: str, targets: tuple[str, ...]) -> str | None:
    """Which of a term's renderings the English uses (whole words, any case, plural allowed)."""
    for target in targets:
        if re.search(rf"(?<!\w){re.escape(target)}(?:s|es)?(?!\w)", english, re.IGNORECASE):
            return target
    return None


def glossary_flags(source: str, english: str, glossary: Glossary) -> list[Flag]:
    """A term of the source whose English uses none of its renderings."""
    return [Flag("glossary", f"{term} should be “{targets[0]}”; it is not in the English")
            for term, targets in glossary.items() if term in source and rendering(english, targets) is None]


@dataclass(frozen=True)
class Occurrence:
    """One translated unit where a glossary term occurs: where, and the English around it."""

    article_id: str
    unit: str
    source: str
    english: str


def inconsistent(occurrences: Iterable[Occurrence], glossary: Glossary) -> dict[tuple[str, str], list[Flag]]:
    """(article id, unit) -> flags for terms rendered two or more ways; every place is named in each."""
    occurrences = list(occurrences)
    flags: dict[tuple[str, str], list[Flag]] = {}
    for term, targets in glossary.items():
        places: dict[str | None, list[Occurrence]] = {}
        for occ in occurrences:
            if term in occ.source:
                places.setdefault(rendering(occ.english, targets), []).append(occ)
        if len(places) < 2:
            continue
        detail = f"{term} is rendered {len(places)} ways: " + "; ".join(
            f"{f'“{way}”' if way else 'another way'} in {', '.join(f'{o.article_id[:8]} {o.unit}' for o in where)}"
            for way, where in places.items())
        for where in places.values():
            for occ in where:
                flags.setdefault((occ.article_id, occ.unit), []).append(Flag("inconsistent", detail))
    return flags
