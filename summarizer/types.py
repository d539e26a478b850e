"""Typed records that flow through the pipeline: raw file -> Article -> TaskResult."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Sequence

Script = Literal["simplified", "traditional", "mixed", "none"]
Status = Literal["done", "pending", "failed"]
Method = Literal["model", "extractive"]


class Task(StrEnum):
    """What a model does: one [models.TASK] table of config.toml each (a str, as stored in the
    results' task column, so a misspelt task is an AttributeError, not a silent miss)."""

    ABSTRACT = "abstract"  # the Chinese abstract of an article's body
    TRANSLATE = "translate"  # the English of its title, abstract and paragraphs
    BRIEFING = "briefing"  # the English overview that opens a briefing


class UnitName(StrEnum):
    """The fixed names of an article's units (a str, as stored in the unit columns). A paragraph's
    unit is named "p<index>" (store.keys.paragraph_unit), a long unit's piece "<unit>#<round>.<n>"
    (pieces.py), so a unit's name in general is a str."""

    TITLE = "title"
    ABSTRACT = "abstract"
    ARTICLE = ""  # a reviewer's decision about the whole article, not one of its units


# How the outputs of a long text's pieces join, in order: Chinese (abstracts) without spaces,
# English with one
JOINERS = {Task.ABSTRACT: ""}


def joiner(task: Task) -> str:
    return JOINERS.get(task, " ")


@dataclass(frozen=True)
class Source:
    """Where an article came from and how its bytes were read."""

    path: str
    sha256: str
    size: int
    encoding: str
    format: Literal["html", "text"]


@dataclass(frozen=True)
class Repair:
    """A kind of fix applied while cleaning, how often, and one example of what was removed."""

    kind: str
    count: int
    example: str


@dataclass(frozen=True)
class Damage:
    """Text that could not be repaired, kept verbatim in paragraph `paragraph` (0-based; -1 = title)."""

    paragraph: int
    text: str
    kind: str
    context: str


@dataclass(frozen=True)
class Article:
    """A cleaned article: paragraphs in the original script plus an aligned Simplified form."""

    source: Source
    title: str | None
    date: str | None
    outlet: str | None
    author: str | None
    script: Script
    language: str
    paragraphs: tuple[str, ...]
    simplified_title: str | None
    simplified_paragraphs: tuple[str, ...]
    repairs: tuple[Repair, ...] = ()
    damage: tuple[Damage, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """Content key: the same text read from another file or encoding is the same article."""
        return content_id(self.title, self.paragraphs)


@dataclass(frozen=True)
class Chunk:
    """A piece of one unit's input with its character offsets, so outputs map back in order."""

    start: int
    end: int
    text: str
    tokens: int


@dataclass(frozen=True)
class TaskResult:
    """The output of one model task on one unit (a paragraph, a title, an article's abstract)."""

    task: Task
    unit: str
    text: str
    status: Status
    method: Method
    model: str | None
    revision: str | None = None
    chunks: int = 1
    chunking: str = "none"
    reason: str | None = None


def content_id(title: str | None, paragraphs: Sequence[str]) -> str:
    """An article's id: the whole SHA-256 of its title and paragraphs, so two articles never share one
    (views show a prefix, and accept any unique prefix, such as the 16-digit ids of older stores)."""
    payload = json.dumps([title, list(paragraphs)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Check(StrEnum):
    """The quality check a flag comes from, in the order views list them (a str, as stored)."""

    EMPTY = "empty"
    CUT_OFF = "cut-off"
    UNTRANSLATED = "untranslated"
    NUMBERS = "numbers"
    LOOP = "loop"
    LENGTH = "length"
    GLOSSARY = "glossary"
    INCONSISTENT = "inconsistent"
    FAITHFULNESS = "faithfulness"


@dataclass(frozen=True)
class Flag:
    """One problem a check found in one unit's output: the check, a sentence saying what is wrong,
    and its evidence: what the check expected to read and what it found instead ("" for nothing)."""

    check: Check
    detail: str
    expected: str = ""
    found: str = ""
