"""The same source term rendered differently across a batch: glossary terms, and the terms a batch
repeats by itself (names of people, places and organisations, and other recurring words).

A glossary term's renderings are given. A discovered term's rendering in each unit is found in its
English: a name by its pinyin (吴景瑜 -> the capitalised words closest to "wujingyu", with the word
for a place suffix: 三塘镇 -> Santang Town), any other term by the English words that come with it
in most of its units and rarely elsewhere. Renderings that differ (one not contained in the other:
"Wu Jingyu" and "Wu" agree) are flagged in every place, naming each rendering and where it is.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable

from ..cjk import HAN
from ..types import Check, Flag
from . import words
from .glossary import Glossary, rendering
from .readings import remembered

_TERM_TAGS = ("nr", "nrfg", "nrt", "ns", "nt", "nz")
_NOUN_TAGS = ("n", "ng", "nz", "vn", "nt", "j")
_PLACE_SUFFIXES = "省市县区镇乡村州"  # a name with its suffix is one term: 三塘 + 镇
_SUFFIX_WORDS = {"province", "city", "county", "district", "town", "township", "village", "prefecture"}
# a term's rendering is words found where the term is and hardly anywhere else in the batch
_ELSEWHERE = 0.05
_NAME_MATCH = 0.8  # letters of the capitalised words against the pinyin (Jingyu/Jingyi: 0.88)
_CAPITALISED = re.compile(r"[A-Z][A-Za-z'’-]*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_HAN = re.compile(f"[{HAN}]+")
# determiners as _tokens writes them (a final s dropped: this -> thi, its -> it)
_POINTERS = ("the", "thi", "that", "these", "those", "it", "their")
_STOP = set("the a an of and or in on at to for by with from as is are was were be been its their this that "
            "these those it he she they we his her said says also has have had will would which who".split())


@dataclass(frozen=True)
class Occurrence:
    """One translated unit of the batch: where it is, its Chinese and its English."""

    article_id: str
    unit: str
    source: str
    english: str


def inconsistent(occurrences: Iterable[Occurrence], glossary: Glossary) -> dict[tuple[str, str], list[Flag]]:
    """(article id, unit) -> flags for terms rendered two or more ways; every place is named in each."""
    units = [Occurrence(o.article_id, o.unit, words.normalize(o.source), o.english) for o in occurrences]
    flags: dict[tuple[str, str], list[Flag]] = {}
    for term, targets in glossary.items():
        ways = {o: rendering(o.english, targets) for o in units if term in o.source}
        _add(flags, term, ways, targets[0])
    batch = _Batch(units)
    for term, where in recurring_terms(units, glossary).items():
        ways = (batch.name_renderings(term, where) if _is_name(term) else {}) or batch.term_renderings(where)
        if ways:
            _add(flags, term, ways, None)
    return flags


def recurring_terms(units: list[Occurrence], glossary: Glossary) -> dict[str, list[int]]:
    """Names (by jieba's tags, or words its dictionary lacks) and longer words in two units or more:
    each with the units it is in."""
    where: dict[str, list[int]] = {}
    for i, o in enumerate(units):
        for term in dict.fromkeys(_terms(o.source)):
            where.setdefault(term, []).append(i)
    return {t: at for t, at in where.items()
            if len(at) >= 2 and t not in glossary and not any(t in g for g in glossary)}


@remembered("terms", tuple)  # the review app rechecks the batch after every edit: segment each text once
def _terms(text: str) -> tuple[str, ...]:
    found = []
    segmented = words.words(text)
    tags = words.tags(segmented)
    for i, (word, tag) in enumerate(zip(segmented, tags)):
        if len(word) < 2 or not _han(word):
            continue
        if tag in _TERM_TAGS or tag is None:
            nxt = segmented[i + 1] if i + 1 < len(segmented) else ""
            found.append(word + nxt[:1] if nxt[:1] in _PLACE_SUFFIXES and tag != "nr" else word)
        elif len(word) >= 3 and tag in _NOUN_TAGS:
            found.append(word)
    return tuple(found + _split_terms(segmented, tags))


def _split_terms(segmented: tuple[str, ...], tags: tuple[str | None, ...]) -> list[str]:
    """Terms the dictionary lacks and splits into a one-character noun and a noun (医 + 联体,
    医保 + 局), read left to right without overlap (医保局 then 工作, not 局 + 工作)."""
    found, i = [], 0
    while i + 1 < len(segmented):
        first, second = segmented[i], segmented[i + 1]
        if (len(first) == 1) != (len(second) == 1) and 3 <= len(first) + len(second) <= 4 \
                and tags[i] in _NOUN_TAGS and tags[i + 1] in _NOUN_TAGS and _han(first + second):
            found.append(first + second)
            i += 1
        i += 1
    return found


def _han(text: str) -> bool:
    return _HAN.fullmatch(text) is not None


@remembered("name", bool)
def _is_name(term: str) -> bool:
    tag = words.tag(term)
    return tag is None or tag in _TERM_TAGS or words.tag(term[:-1]) in _TERM_TAGS


class _Batch:
    """The English of a batch's units read once: capitalised spans for names, word n-grams for
    terms, and how many units hold each n-gram."""

    def __init__(self, units: list[Occurrence]) -> None:
        self.units = units
        self._spans: dict[int, list[tuple[str, str, str]]] = {}
        self._grams: list[set[str]] | None = None
        self._frequency: Counter[str] = Counter()

    def name_renderings(self, term: str, where: list[int]) -> dict[Occurrence, str | None]:
        """Each unit's capitalised words that spell the term's pinyin; units where none do are left
        out (the name was translated by meaning, or dropped: no evidence either way)."""
        syllables = words.pinyin(term)
        suffix = term[-1] in _PLACE_SUFFIXES and len(term) > 2
        target = "".join(syllables[:-1] if suffix else syllables)
        ways = {self.units[i]: self._spelled(i, target, suffix) for i in where}
        return {o: way for o, way in ways.items() if way is not None}

    def _spelled(self, index: int, target: str, suffix: bool) -> str | None:
        best, score = None, _NAME_MATCH
        for letters, named, after in self.spans(index):
            if letters[0] != target[0]:  # a name's spelling starts as its pinyin does (the surname)
                continue
            matcher = SequenceMatcher(None, letters, target)
            if matcher.quick_ratio() > score and matcher.ratio() > score:
                best, score = (f"{named} {after}" if suffix and after.lower() in _SUFFIX_WORDS else named), matcher.ratio()
        return best

    def spans(self, index: int) -> list[tuple[str, str, str]]:
        """Runs of 1-3 capitalised words of a unit's English: (their letters, as written, the next word)."""
        if index not in self._spans:
            tokens = re.findall(r"[A-Za-z][A-Za-z'’-]*|\S", self.units[index].english)
            found = []
            for i in range(len(tokens)):
                for size in (1, 2, 3):
                    span = tokens[i:i + size]
                    if len(span) < size or not all(_CAPITALISED.fullmatch(t) for t in span):
                        break
                    letters = re.sub(r"[^a-z]", "", "".join(span).lower())
                    if letters:
                        found.append((letters, " ".join(span), tokens[i + size] if i + size < len(tokens) else ""))
            self._spans[index] = found
        return self._spans[index]

    def term_renderings(self, where: list[int]) -> dict[Occurrence, str | None]:
        """The English words that come with the term in most of its units and (almost) never in
        the batch's other units. When some word comes with it everywhere, a longer rendering that
        ends in it and comes in half of them or more counts instead ("medical insurance bureau" beside
        "healthcare security bureau"). A unit without the rendering, or its last words pointed back
        to ("the bureau"), renders the term another way."""
        if len(where) < 3:
            return {}
        grams = self.grams()
        counts = Counter(g for i in where for g in grams[i])
        others = len(self.units) - len(where)
        specific = [g for g, n in counts.items() if n >= 2 and self._frequency[g] - n <= _ELSEWHERE * others]
        top = max(specific, key=lambda g: (counts[g], len(g.split())), default=None)
        if top is None or counts[top] * 2 <= len(where):
            return {}
        if counts[top] == len(where):
            longer = [g for g in specific if g.endswith(" " + top) and len(where) / 2 <= counts[g] < len(where)]
            if not longer:
                return {}
            top = max(longer, key=lambda g: (counts[g], len(g.split())))
        return {self.units[i]: top if top in grams[i] or _points_back(top, self.units[i].english) else None
                for i in where}

    def grams(self) -> list[set[str]]:
        if self._grams is None:
            self._grams = [_ngrams(o.english) for o in self.units]
            for found in self._grams:
                self._frequency.update(found)
        return self._grams


def _tokens(english: str) -> list[str]:
    return [w.lower().rstrip("s") for w in _WORD.findall(english)]


def _points_back(rendering: str, english: str) -> bool:
    """The rendering's last words after a determiner: "the centre" for "Santang health centre"."""
    said = " " + " ".join(_tokens(english)) + " "
    parts = rendering.split()
    return any(f" {det} {' '.join(parts[k:])} " in said for k in range(1, len(parts)) for det in _POINTERS)


def _ngrams(english: str) -> set[str]:
    tokens = _tokens(english)
    out = set()
    for size in (1, 2, 3):
        for i in range(len(tokens) - size + 1):
            gram = tokens[i:i + size]
            if gram[0] not in _STOP and gram[-1] not in _STOP:
                out.add(" ".join(gram))
    return out


def _add(flags: dict[tuple[str, str], list[Flag]], term: str, ways: dict[Occurrence, str | None],
         expected: str | None) -> None:
    """Flag every place of a term whose renderings disagree (one inside another agrees)."""
    named = {w for w in ways.values() if w is not None}
    distinct = [w for w in named if not any(_inside(w, v) and w != v for v in named)]
    if len(distinct) + (None in ways.values() and bool(named)) < 2:
        return
    places: dict[str | None, list[Occurrence]] = {}
    for o, way in ways.items():
        longer = next((d for d in distinct if way is not None and _inside(way, d)), way)
        places.setdefault(longer, []).append(o)
    found = "; ".join(f"{f'“{way}”' if way else 'another way'} in "
                      + ", ".join(f"{o.article_id[:8]} {o.unit}" for o in where) for way, where in places.items())
    detail = f"{term} is rendered {len(places)} ways: {found}"
    for where in places.values():
        for o in where:
            flags.setdefault((o.article_id, o.unit), []).append(
                Flag(Check.INCONSISTENT, detail, f"“{expected}”" if expected else "one rendering", found))


def _inside(short: str, long: str) -> bool:
    """Whole words of one rendering inside another: "Wu" in "Wu Jingyu", not "Town" in "Township"."""
    return f" {short.lower()} " in f" {long.lower()} "
