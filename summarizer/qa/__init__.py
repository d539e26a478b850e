"""Quality checks that catch what models get wrong: numbers, Chinese left untranslated, loops,
empty or cut-off output, odd lengths, the glossary, and abstracts that say what the article does not.

Pure functions on texts: no store, no torch, no rich. recheck.py feeds them from the store.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from . import text
from .faithfulness import en_abstract_flags, zh_abstract_flags
from .consistency import Occurrence, inconsistent
from .flags import CHECKS, Check, Flag
from .glossary import Glossary, glossary_flags, load_glossary, merged
from .numbers import missing_numbers

__all__ = ["CHECKS", "ArticleTexts", "Check", "Flag", "Glossary", "UnitText", "check_article", "check_batch",
           "load_glossary", "merged"]


@dataclass(frozen=True)
class UnitText:
    """One translated unit: its Simplified Chinese input and the English shown for it (None: none yet).
    `failure` is the reason of a failed result."""

    unit: str
    source: str
    english: str | None
    failure: str | None = None


@dataclass(frozen=True)
class ArticleTexts:
    """What the checks read of one article. `abstract_zh` is None unless a model wrote it (an
    extractive abstract is the article's own sentences)."""

    article_id: str
    body: str
    abstract_zh: str | None
    units: tuple[UnitText, ...]


def check_article(article: ArticleTexts, glossary: Glossary) -> dict[str, tuple[Flag, ...]]:
    """Unit name -> flags, for every check that looks at one article alone."""
    translated = [(u.source, u.english) for u in article.units if u.english is not None and u.unit[0] == "p"]
    norm = text.length_norm(translated)
    found = {u.unit: _unit_flags(u, norm, glossary) for u in article.units}
    found.setdefault("abstract", [])
    found["abstract"] += _abstract_flags(article)
    return {unit: tuple(flags) for unit, flags in found.items() if flags}


def _unit_flags(unit: UnitText, norm: float, glossary: Glossary) -> list[Flag]:
    if unit.failure is not None:
        return [Flag(Check.EMPTY, f"the model failed: {unit.failure}", "a translation", unit.failure)]
    if unit.english is None:
        return []
    flags = text.empty(unit.english) + text.cut_off(unit.source, unit.english)
    if unit.english.strip():
        flags += (text.untranslated(unit.english) + missing_numbers(unit.source, unit.english)
                  + text.loop(unit.english) + text.length(unit.source, unit.english, norm)
                  + glossary_flags(unit.source, unit.english, glossary))
    return flags


def _abstract_flags(article: ArticleTexts) -> list[Flag]:
    flags = zh_abstract_flags(article.abstract_zh, article.body) if article.abstract_zh else []
    english = {u.unit: u.english for u in article.units if u.english}
    if "abstract" in english:
        body_english = [e for unit, e in english.items() if unit != "abstract"]
        flags += en_abstract_flags(english["abstract"], article.body, body_english)
    return flags


def check_batch(articles: Sequence[ArticleTexts], glossary: Glossary) -> dict[tuple[str, str], list[Flag]]:
    """(article id, unit) -> flags of the checks that compare articles: a glossary term, name or
    recurring term rendered two ways across the batch."""
    occurrences = [Occurrence(a.article_id, u.unit, u.source, u.english)
                   for a in articles for u in a.units if u.english]
    return inconsistent(occurrences, glossary)
