"""Cut a text into pieces that fit a model's input window, measured in the model's own tokens.

Nothing is ever truncated: the pieces partition the text (each carries its character offsets)
so outputs map back in order. Cuts prefer sentence ends, then clause commas, and only as a
last resort fixed windows, which still avoid cutting inside a number such as 17.46%.
"""
from __future__ import annotations

import re
from typing import Callable

from ..sentences import CLAUSE_END, CLOSERS, ELLIPSIS, SEMICOLON, STOPS, spans
from ..types import Chunk

Counter = Callable[[str], int]

# A model's input is cut after a full-width end or semicolon, or a line break, with the closing
# quotes or brackets after it, so “……。” and 「……！」 stay whole. Not at ASCII ! ? ; (in Chinese text
# as often part of a name, a link or code), and kept so: where an input is cut is no part of its
# result's cache key, so moving the cuts would change results stored under unchanged keys.
SENTENCE_END = re.compile(f"[{STOPS}{SEMICOLON}{ELLIPSIS}\n]+[{CLOSERS}]*")
LEVELS = ("sentences", "commas", "windows")


def chunk_text(text: str, budget: int, count: Counter) -> tuple[list[Chunk], str]:
    """Pieces of `text` with count(piece) <= budget each, and the deepest cut needed
    ("none" when the text fits whole)."""
    tokens = count(text)
    if tokens <= budget:
        return [Chunk(0, len(text), text, tokens)], "none"
    used: set[str] = set()
    chunks = _split(text, 0, len(text), budget, count, 0, used)
    _verify(text, chunks, budget)
    return chunks, max(used, key=LEVELS.index)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences in text[start:end]; they cover it without gaps."""
    return spans(text, SENTENCE_END, start, end)


def _split(text: str, start: int, end: int, budget: int, count: Counter, level: int,
           used: set[str]) -> list[Chunk]:
    used.add(LEVELS[level])
    if LEVELS[level] == "windows":
        return _windows(text, start, end, budget, count)
    pattern = SENTENCE_END if LEVELS[level] == "sentences" else CLAUSE_END
    chunks: list[Chunk] = []
    current: Chunk | None = None
    for s, e in spans(text, pattern, start, end):
        if current is not None:
            merged = count(text[current.start:e])
            if merged <= budget:
                current = Chunk(current.start, e, text[current.start:e], merged)
                continue
            chunks.append(current)
            current = None
        tokens = count(text[s:e])
        if tokens <= budget:
            current = Chunk(s, e, text[s:e], tokens)
        else:
            chunks.extend(_split(text, s, e, budget, count, level + 1, used))
    if current is not None:
        chunks.append(current)
    return chunks


def _windows(text: str, start: int, end: int, budget: int, count: Counter) -> list[Chunk]:
    """The longest prefixes that fit, found by bisection on the character length."""
    chunks = []
    while start < end:
        low, high = start + 1, end  # invariant: text[start:low] fits, text[start:high + 1] does not
        if count(text[start:low]) > budget:
            raise ValueError(f"input window of {budget} tokens cannot hold one character {text[start]!r}")
        while low < high:
            middle = (low + high + 1) // 2
            if count(text[start:middle]) <= budget:
                low = middle
            else:
                high = middle - 1
        cut = _step_back_from_number(text, start, low) if low < end else low
        chunks.append(Chunk(start, cut, text[start:cut], count(text[start:cut])))
        start = cut
    return chunks


def _step_back_from_number(text: str, start: int, cut: int) -> int:
    """Move a cut that falls inside a number (17.46%, 1,000) to the number's start, when it can."""
    i = cut
    while i > start and _numeric(text[i - 1]) and _numeric(text[i]):
        i -= 1
    return i if i > start else cut


def _numeric(char: str) -> bool:
    return char.isdigit() or char in ".%,"


def _verify(text: str, chunks: list[Chunk], budget: int) -> None:
    """The promise of this module, checked on every call: the pieces partition the text and fit."""
    position = 0
    for chunk in chunks:
        if chunk.start != position or chunk.tokens > budget or text[chunk.start:chunk.end] != chunk.text:
            raise RuntimeError(f"chunking bug at character {position}: pieces must partition the text")
        position = chunk.end
    if position != len(text):
        raise RuntimeError("chunking bug: pieces do not reach the end of the text")
