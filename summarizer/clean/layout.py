"""The kind of each line of a page: its words (lines.classify, matched in Simplified script),
then what the page around it says: the HTML shape of the line (links, an image above it,
centring, headings) and its neighbours (teaser lists closing a dump, figure titles between a
paragraph and a bulleted heading)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..sentences import CLOSERS, ENDS, FULL_STOP, SEMICOLONS
from .html import Shape
from .lines import Kind, classify, han_count, is_prose, text_units
from .script import to_simplified


@dataclass(frozen=True)
class Line:
    index: int
    text: str
    kind: Kind


_PLAIN = Shape()
_CAPTION_UNITS = 35   # a caption under an image is a phrase, not a paragraph
_SHORT_CAPTION = 10  # "搜救现场。": under an image a phrase with a full stop is no paragraph
# a line that ends as a sentence or a clause does, in Chinese or English (a '.' at the line's end
# is a full stop on either kind of page)
_SENTENCE_END = re.compile(f"[{ENDS}{SEMICOLONS}.]\\s*[{CLOSERS}]?$")
_LINKED_UNITS = 80    # a line mostly made of links is a menu or a related list unless it is long prose


def classify_lines(texts: list[str], shapes: tuple[Shape, ...] = (), start: int = 0,
                   end: int | None = None) -> list[Line]:
    start = max(0, start)
    chosen = texts[start:end]
    lines = [Line(i, t, _shaped(classify(s), s, shapes[i] if i < len(shapes) else _PLAIN))
             for i, t, s in zip(range(start, start + len(chosen)), chosen, _for_matching(chosen)) if t]
    return _latin_credits(_unheaded(_teasers(lines)))


def _for_matching(texts: list[str]) -> list[str]:
    """The lines in Simplified script, so each rule's words match pages in either script; the
    article keeps the page's own text. One OpenCC call for the page; should a conversion ever
    join or split lines, the lines are matched as they are."""
    simple = to_simplified("\n".join(texts)).split("\n")
    return simple if len(simple) == len(texts) else texts


_LATIN_ONLY = re.compile(r"^[A-Za-z][A-Za-z .,'’&/:()|\-]*$")
_CREDIT_WORDS = 6     # "AFP PHOTO / John Smith": a name or a credit, not a heading
_CHINESE_PAGE = 100   # hanzi of prose that make a page Chinese


def _latin_credits(lines: list[Line]) -> list[Line]:
    """In a Chinese page a short line in Latin script alone is a photo credit or a caption that
    names people ("Photo: Reuters", "Tim Cook"), not a paragraph or a heading."""
    if sum(han_count(line.text) for line in lines if line.kind is Kind.PROSE) < _CHINESE_PAGE:
        return lines
    return [Line(line.index, line.text, Kind.CAPTION)
            if line.kind is Kind.SHORT and _LATIN_ONLY.match(line.text) and len(line.text.split()) <= _CREDIT_WORDS
            else line for line in lines]


_BULLET = re.compile(r"^[●■◆▲★•◎□]")
# a numbered section heading ("一、", "（二）", "3.", "第四章") has sub-points under it by design
_NUMBERED = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|第[一二三四五六七八九十\d]+[章节部分条])")


def _unheaded(lines: list[Line]) -> list[Line]:
    """A subheading introduces text; a short line followed straight by a bulleted heading
    introduces nothing: it is the title of a screenshot or chart that stood between them."""
    out = list(lines)
    for pos in range(1, len(lines) - 1):
        line, after = lines[pos], lines[pos + 1]
        if line.kind is Kind.SHORT and lines[pos - 1].kind is Kind.PROSE and after.kind is Kind.SHORT \
                and _BULLET.match(after.text) and not _BULLET.match(line.text) and not _NUMBERED.match(line.text) \
                and not line.text.endswith(("：", ":")):
            out[pos] = Line(line.index, line.text, Kind.CAPTION)
    return out


_TEASER_RUN = 3  # this many unfinished lines end the page: a list of teasers, not paragraphs


def _teasers(lines: list[Line]) -> list[Line]:
    """Related headlines cut to a fixed width close many dumps; an article's last line closes a
    sentence (a hard-wrapped essay's too), so the unfinished lines after it are that list."""
    tail = len(lines)
    while tail > 0 and _cut_like(lines[tail - 1]):
        tail -= 1
    if len(lines) - tail < _TEASER_RUN:
        return lines
    return lines[:tail] + [Line(line.index, line.text, Kind.NOISE) for line in lines[tail:]]


def _cut_like(line: Line) -> bool:
    """A headline cut short: no full stop anywhere (headlines have none), no sentence end, not long."""
    return line.kind in (Kind.PROSE, Kind.SHORT) and len(line.text) >= 8 and FULL_STOP not in line.text \
        and not _SENTENCE_END.search(line.text) and text_units(line.text) < _LINKED_UNITS // 2


def _shaped(kind: Kind, text: str, shape: Shape) -> Kind:
    """What the page's structure says about a line its words leave open."""
    if kind not in (Kind.PROSE, Kind.SHORT):
        return kind
    units = text_units(text)
    if shape.links >= 0.5 and (units < _LINKED_UNITS or not is_prose(text)):
        return Kind.NOISE
    if shape.after_image and not shape.heading and units <= _CAPTION_UNITS and (
            shape.centered or (units <= _SHORT_CAPTION and _SENTENCE_END.search(text))):
        return Kind.CAPTION
    return kind
