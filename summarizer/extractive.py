"""An extractive Chinese abstract for when the abstract model is missing: no model, no dependencies.

TextRank over sentences, with character-bigram overlap as the similarity (Chinese needs no word
segmentation for that) and a teleport biased to sentences dense in numbers, because the facts of a
news story are its dates, counts and amounts (on the gold corpus this bias lifts key-fact recall
well above both plain TextRank and the lead baseline; see tests/test_extractive.py). Sentences are
picked by rank until a character budget, skipping near-repeats, and given back in article order.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from .sentences import split as split_sentences

METHOD_ID = "textrank-bigram"
METHOD_VERSION = "2"  # bump when the selection changes: stored abstracts are keyed by it (2: 】 and 》 close a sentence)
MAX_CHARS = 200
MIN_SENTENCE_CHARS = 8  # shorter pieces are captions, datelines and bylines, not statements
DAMPING = 0.5  # half the rank from centrality, half from the number prior
NUMBER_WEIGHT = 20.0  # teleport weight of a sentence = 1 + NUMBER_WEIGHT * numbers per character
REDUNDANCY = 0.6  # share of a sentence's bigrams already in the abstract above which it is a repeat

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Comparison:
    """Key-fact coverage of the extractive abstract and of the lead baseline, over a set of articles."""

    articles: int
    extractive: float
    lead: float
    extractive_chars: float  # mean abstract length
    lead_chars: float


def bigrams(text: str) -> Counter[str]:
    chars = [c for c in text if not c.isspace()]
    return Counter(a + b for a, b in zip(chars, chars[1:]))


def abstract(text: str, max_chars: int = MAX_CHARS) -> str:
    return "".join(select(text, max_chars))


def select(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """The highest-ranked sentences of `text` within `max_chars`, in their original order.

    Never cuts a sentence: when the best one alone is longer than the budget, it is the abstract.
    """
    sentences = [s for s in split_sentences(text) if len(s) >= MIN_SENTENCE_CHARS] or split_sentences(text)
    scores = rank(sentences)
    order = sorted(range(len(sentences)), key=lambda i: -scores[i])
    return [sentences[i] for i in sorted(_select(sentences, order, max_chars))]


def lead(text: str, max_chars: int) -> str:
    """The baseline: the first sentences that fit in `max_chars` (at least one)."""
    sentences = [s for s in split_sentences(text) if len(s) >= MIN_SENTENCE_CHARS] or split_sentences(text)
    return "".join(sentences[i] for i in _select(sentences, range(len(sentences)), max_chars, redundancy=1.0))


def rank(sentences: Sequence[str], iterations: int = 50) -> list[float]:
    """PageRank over the bigram-overlap graph, teleporting to number-dense sentences more often."""
    n = len(sentences)
    grams = [set(bigrams(s)) for s in sentences]
    weights = [[_similarity(grams[i], grams[j]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    out = [sum(row) or 1.0 for row in weights]
    # the edges into each sentence, normalised by their source's weight, built once for all iterations
    incoming = [[(j, weights[j][i] / out[j]) for j in range(n) if weights[j][i]] for i in range(n)]
    prior = [1.0 + NUMBER_WEIGHT * len(_NUMBER.findall(s)) / len(s) for s in sentences]
    total = sum(prior)
    prior = [p / total for p in prior]
    scores = prior[:]
    for _ in range(iterations):
        scores = [(1 - DAMPING) * prior[i] + DAMPING * sum(w * scores[j] for j, w in incoming[i]) for i in range(n)]
    return scores


def _similarity(a: set[str], b: set[str]) -> float:
    # TextRank's normalisation: shared items over the log lengths, so long sentences do not win by size
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return len(a & b) / (math.log(len(a)) + math.log(len(b)))


def _select(sentences: Sequence[str], order: Iterable[int], max_chars: int,
            redundancy: float = REDUNDANCY) -> list[int]:
    chosen: list[int] = []
    used = 0
    seen: set[str] = set()
    for i in order:
        grams = set(bigrams(sentences[i]))
        if chosen and (used + len(sentences[i]) > max_chars or _overlap(grams, seen) > redundancy):
            continue
        chosen.append(i)
        used += len(sentences[i])
        seen |= grams
    return chosen


def _overlap(grams: set[str], seen: set[str]) -> float:
    return len(grams & seen) / len(grams) if grams else 1.0


def key_fact_recall(summary: str, facts: Sequence[str]) -> float:
    """Share of the key facts' character bigrams that the summary contains (counts clipped)."""
    wanted = sum((bigrams(f) for f in facts), Counter())
    have = bigrams(summary)
    total = sum(wanted.values())
    return sum(min(n, have[g]) for g, n in wanted.items()) / total if total else 0.0


def compare_with_lead(cases: Iterable[tuple[str, Sequence[str]]], max_chars: int = MAX_CHARS) -> Comparison:
    """Mean key-fact recall of abstract() and lead() at the same budget over (text, key facts) cases."""
    rows = [(abstract(text, max_chars), lead(text, max_chars), facts) for text, facts in cases]
    return Comparison(
        articles=len(rows),
        extractive=_mean([key_fact_recall(a, f) for a, _, f in rows]),
        lead=_mean([key_fact_recall(b, f) for _, b, f in rows]),
        extractive_chars=_mean([len(a) for a, _, _ in rows]),
        lead_chars=_mean([len(b) for _, b, _ in rows]))


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
