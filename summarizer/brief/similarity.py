"""Near-duplicates by shingle Jaccard, topics by keyword TF-IDF cosine; no segmenter, no model.

Chinese needs no word segmentation for either: character bigrams of the CJK runs are the terms
(most Chinese words are one or two characters, and a bigram spanning two words is rare enough
across articles to weigh little), and ASCII words and numbers are terms as they are.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Callable, Sequence

from ..cjk import HAN

SHINGLE = 4  # characters per shingle: long enough that two stories on one topic rarely share many
DUPLICATE = 0.5  # shingle Jaccard at and above which two texts report the same event
TOPIC = 0.12  # mean keyword cosine at and above which two groups of stories share a topic
KEYWORDS = 40  # terms kept per text: the rest are too rare in it to say what it is about

_CJK_RUN = re.compile(f"[{HAN}]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]+|\d+(?:\.\d+)?")


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Overlapping character windows of the text without spaces or punctuation."""
    chars = "".join(_CJK_RUN.findall(text)) + " ".join(_WORD.findall(text))
    return {chars[i:i + size] for i in range(max(1, len(chars) - size + 1))} if chars else set()


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def terms(text: str) -> Counter[str]:
    """Term counts: character bigrams of each CJK run, and ASCII words lower-cased."""
    counts: Counter[str] = Counter()
    for run in _CJK_RUN.findall(text):
        counts.update(run[i:i + 2] for i in range(len(run) - 1))
    counts.update(w.lower() for w in _WORD.findall(text) if not w[0].isdigit())
    return counts


def keyword_vectors(texts: Sequence[str], keep: int = KEYWORDS) -> list[dict[str, float]]:
    """Each text's top TF-IDF terms as a unit vector. Smoothed IDF (1 + log((1+N)/(1+df))):
    a term in every text still counts, or a set that is all one topic would have no keywords."""
    counts = [terms(t) for t in texts]
    df = Counter(term for c in counts for term in c)
    n = len(texts)
    vectors = []
    for c in counts:
        total = sum(c.values()) or 1
        weights = {t: k / total * (1 + math.log((1 + n) / (1 + df[t]))) for t, k in c.items()}
        top = dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])
        norm = math.sqrt(sum(w * w for w in top.values())) or 1.0
        vectors.append({t: w / norm for t, w in top.items()})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def link_groups(n: int, linked: Callable[[int, int], bool]) -> list[list[int]]:
    """Connected components of the pairs `linked` accepts, each in index order, ordered by first index."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if root(i) != root(j) and linked(i, j):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def average_link(vectors: Sequence[dict[str, float]], threshold: float = TOPIC) -> list[list[int]]:
    """Agglomerative clustering: merge the two closest clusters (mean pairwise cosine) while that
    mean reaches `threshold`. Average rather than single link, so one broad story cannot chain
    two unrelated topics together."""
    sim = [[cosine(a, b) for b in vectors] for a in vectors]
    clusters = [[i] for i in range(len(vectors))]
    while len(clusters) > 1:
        score, x, y = max((_mean_link(sim, a, b), i, j) for i, a in enumerate(clusters)
                          for j, b in enumerate(clusters) if i < j)
        if score < threshold:
            break
        clusters[x] += clusters.pop(y)
    return [sorted(c) for c in sorted(clusters, key=min)]


def _mean_link(sim: list[list[float]], a: list[int], b: list[int]) -> float:
    return sum(sim[i][j] for i in a for j in b) / (len(a) * len(b))
