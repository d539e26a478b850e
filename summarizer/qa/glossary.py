"""The user's glossary: each source term's expected English, checked in every translation
(consistency.py checks the same term across the batch).

A glossary file is TOML (`"医联体" = "medical consortium"`, or a list whose first entry is preferred
and the rest are accepted variants; at the top level or in a table such as `[terms]`) or CSV (source, target, variants...; a `source,target` header
row is skipped). Terms added from the review (store.review.add_term) are merged over it.
"""
from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path
from typing import Mapping

from ..errors import ConfigError
from ..types import Check, Flag
from .words import normalize

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
        glossary[normalize(source.strip())] = tuple(targets)
    return glossary


def _toml_rows(text: str, path: Path) -> list[list[str]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"not valid TOML ({exc})", "fix the line it names") from exc
    return _term_rows(data, path)


def _term_rows(data: dict, path: Path) -> list[list[str]]:
    rows = []
    for source, target in data.items():
        if isinstance(target, dict):  # [terms], or any table grouping terms
            rows += _term_rows(target, path)
            continue
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
        if _rendering(target).search(english):
            return target
    return None


def _rendering(target: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(target)}(?:s|es)?(?!\w)", re.IGNORECASE)


def renderings(english: str, targets: tuple[str, ...]) -> tuple[int, str]:
    """How many times the English renders a term (a rendering, or its head word pointed back to:
    "the consortium" after "medical consortium"), and the English left when they are taken out."""
    count = 0
    for target in targets:
        count += len(_rendering(target).findall(english))
        english = _rendering(target).sub(" ", english)
    for head in {t.split()[-1] for t in targets if " " in t}:
        pointer = re.compile(rf"\b(?:the|this|that|these|those|its|their) {re.escape(head)}(?:s|es)?\b", re.IGNORECASE)
        count += len(pointer.findall(english))
        english = pointer.sub(" ", english)
    return count, english


def glossary_flags(source: str, english: str, glossary: Glossary) -> list[Flag]:
    """A term the English never renders, or renders fewer times than the source has it while a word
    of its rendering stands elsewhere in the English: one right rendering does not hide a wrong one
    ("medical consortium ... medical alliance"), but a repeated term said once is normal English."""
    if not glossary:
        return []
    source = normalize(source)
    flags = []
    for term, targets in glossary.items():
        wanted = _occurrences(source, term, glossary)
        if not wanted:
            continue
        found, rest = renderings(english, targets)
        if found == 0 or found < wanted and _partial(rest, targets):
            times = f" {wanted}×" if wanted > 1 else ""
            said = f"“{targets[0]}”{times}"
            has = f"the English has it {found}×" if found else "it is not in the English"
            flags.append(Flag(Check.GLOSSARY, f"{term} should be {said}; {has}", said, f"{found}×"))
    return flags


def _partial(english: str, targets: tuple[str, ...]) -> bool:
    """A word of a rendering (4 letters or more) standing alone: the term rendered another way."""
    lowered = english.lower()
    return any(re.search(rf"\b{re.escape(word)}", lowered)
               for target in targets for word in target.lower().split() if len(word) >= 4)


def _occurrences(source: str, term: str, glossary: Glossary) -> int:
    """Occurrences of `term` that are not part of a longer glossary term (医联体 in 紧密型医联体)."""
    for longer in glossary:
        if term in longer and term != longer:
            source = source.replace(longer, " ")
    return source.count(term)
