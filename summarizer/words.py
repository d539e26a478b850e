"""Counted words in messages and documents: '1 article', '2 articles'."""
from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and the word, in the plural unless it is 1; `many` for irregular words ('story', 'stories')."""
    return f"{count} {word if count == 1 else many or word + 's'}"
