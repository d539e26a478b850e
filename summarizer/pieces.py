"""Long units as pieces: a paragraph or an article longer than input.piece_chars is cut at sentence
ends into pieces, each an ordinary unit of work with its own cache key, so its result is stored as
soon as its batch is done. Pieces are sent in batches like any other units, so memory is bounded by
a batch and a kill loses at most the batch in flight, whatever the size of the file.

The pieces' results are joined in order (a translation), or, for an abstract, joined and abstracted
again until the text fits one piece (a map-reduce whose map steps are stored too).
Piece units are named `<unit>#<round>.<n>`; views look units up by their own names and never see them.
"""
from __future__ import annotations

from .models.chunk import sentence_spans
from .store.keys import Unit


def piece_units(unit: Unit, limit: int, round_: int) -> list[Unit]:
    """`unit`'s text cut into consecutive pieces of at most `limit` characters, together the whole text."""
    return [Unit(unit.article_id, unit.task, f"{unit.name}#{round_}.{n}", unit.text[start:end])
            for n, (start, end) in enumerate(piece_spans(unit.text, limit))]


def reduce_unit(unit: Unit, text: str, round_: int) -> Unit:
    """The last step of a long abstract: the joined piece abstracts, abstracted once more."""
    return Unit(unit.article_id, unit.task, f"{unit.name}#{round_}", text)


def piece_spans(text: str, limit: int) -> list[tuple[int, int]]:
    """Greedy: whole sentences while they fit; a sentence longer than a piece is cut every `limit`
    characters. Linear in the text, so a file of many megabytes is cut in moments."""
    spans: list[tuple[int, int]] = []
    start = end = 0
    for _, sentence_end in sentence_spans(text):
        if sentence_end - start > limit:
            if end > start:
                spans.append((start, end))
                start = end
            while sentence_end - start > limit:
                spans.append((start, start + limit))
                start += limit
        end = sentence_end
    if end > start:
        spans.append((start, end))
    return spans
