"""Find text that was damaged before it reached us and cannot be repaired: U+FFFD, private-use
characters, '?' left where bytes were lost, and mojibake (GBK bytes read one byte off, which
turns into rare characters with stray Latin letters between them).

It is reported with its paragraph and context and left in place: guessing the original would
be inventing text. A span needs evidence of two kinds (a structural mark and its neighbours
scoring high) so that rare characters in names, or a half-width '?' used as punctuation, are
never reported on their own.
"""
from __future__ import annotations

import re

from ..cjk import HAN, PUNCTUATION, is_han
from ..decode import gb2312_level
from ..types import Damage
from .script import simplified_char

_WINDOW = 5
_THRESHOLD = 5
_CONTEXT = 15
_RARITY = {1: 0, 2: 1, 0: 2}  # GB2312 level -> rarity weight


# a site's word filter replaced characters by asterisks: "但**惜", "**有潜力"
_MASKED = re.compile(r"[*＊]{2,}")
# hanzi inside a Latin word, lower case on both sides ("Windo袱ws", "Micro锟斤拷soft"): a GBK
# conversion artefact; the particles that do sit between Latin words ("iPhone的app") are left alone
_STRAY = re.compile(f"(?<=[a-z]{{2}})[{HAN}]{{1,3}}(?=[a-z]{{2}})")
# bytes lost from a legacy encoding, one '?' each: two or more between hanzi ("玉溪市??区")
_LOST = re.compile(f"(?<=[{HAN}])\\?{{2,}}(?=[{HAN}\\d])")
_JOINERS = set("的和与與及或在是把被用从從到对對为為向给給版等个個不没沒")  # "cool不cool" is grammar


def find_damage(paragraphs: list[str], title: str | None) -> tuple[Damage, ...]:
    found: list[Damage] = []
    for number, text in ([(-1, title)] if title else []) + list(enumerate(paragraphs)):
        for start, end, kind in sorted(_spans(text) + _marked(text)):
            context = text[max(0, start - _CONTEXT):end + _CONTEXT]
            found.append(Damage(paragraph=number, text=text[start:end], kind=kind, context=context))
    return tuple(found)


# every damaged span holds at least one structural mark; most paragraphs have none
_ANY_MARK = re.compile(f"[\ufffd\ue000-\uf8ff?]|[{HAN}][A-Za-z](?![A-Za-z])")


def _marked(text: str) -> list[tuple[int, int, str]]:
    """Damage that one pattern shows: masked words between hanzi, hanzi stuck inside a Latin word,
    a run of '?' where a legacy character was lost."""
    spans = [(max(0, m.start() - 3), min(len(text), m.end() + 3), "masked-word") for m in _MASKED.finditer(text)
             if _near_hanzi(text, m.start(), m.end())]
    spans += [(m.start() - 2, m.end() + 2, "stray-hanzi-in-latin-word") for m in _STRAY.finditer(text)
              if not _JOINERS.intersection(m.group(0))]
    spans += [(m.start() - 1, m.end() + 1, "lost-bytes") for m in _LOST.finditer(text)]
    return spans


def _near_hanzi(text: str, start: int, end: int) -> bool:
    return (start > 0 and is_han(text[start - 1])) or (end < len(text) and is_han(text[end]))


def _spans(text: str) -> list[tuple[int, int, str]]:
    if not _ANY_MARK.search(text):
        return []
    weights = [_weight(text, i) for i in range(len(text))]
    marks = [_structural(text, i) for i in range(len(text))]
    hot = [False] * len(text)
    for i in range(len(text)):
        window = range(i, min(len(text), i + _WINDOW))
        if sum(weights[j] for j in window) >= _THRESHOLD and any(marks[j] for j in window):
            for j in window:
                hot[j] = weights[j] > 0 or hot[j]
    return _merge(text, hot, marks)


def _merge(text: str, hot: list[bool], marks: list[str | None]) -> list[tuple[int, int, str]]:
    """Join hot characters that are at most one character apart into spans."""
    spans, start, last = [], None, None
    for i, is_hot in enumerate(hot + [False, False]):
        if is_hot:
            start = i if start is None else start
            last = i
        elif start is not None and i - last > 1:
            kinds = {m for m in marks[start:last + 1] if m}
            spans.append((start, last + 1, _kind(kinds)))
            start = None
    return spans


def _kind(kinds: set[str]) -> str:
    for kind in ("replacement-character", "private-use-character", "lost-bytes", "mojibake"):
        if kind in kinds:
            return kind
    return "mojibake"


def _structural(text: str, i: int) -> str | None:
    ch = text[i]
    if ch == "\ufffd":
        return "replacement-character"
    if "\ue000" <= ch <= "\uf8ff":
        return "private-use-character"
    if ch == "?" and _between_cjk(text, i):
        return "lost-bytes"
    if _lone_letter(text, i):
        return "mojibake"
    return None


def _weight(text: str, i: int) -> int:
    ch = text[i]
    mark = _structural(text, i)
    if mark in ("replacement-character", "private-use-character"):
        return _THRESHOLD  # unreadable on its own: always reported
    if mark:
        return 2
    return _rarity(ch) if is_han(ch) else 0


def _rarity(ch: str) -> int:
    """0 for the 3,755 common hanzi, 1 for the rest of GB2312, 2 outside it (after Traditional->Simplified)."""
    return _RARITY[gb2312_level(simplified_char(ch))]


_CJK_PUNCT = re.compile(f"[{PUNCTUATION}\u2018-\u201f]")  # with the curly quotes Chinese text uses


def _cjk_like(ch: str) -> bool:
    return is_han(ch) or bool(_CJK_PUNCT.match(ch)) or "\ue000" <= ch <= "\uf8ff" or ch in "?\ufffd"


def _between_cjk(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return bool(before) and bool(after) and _cjk_like(before) and (_cjk_like(after) or after.isdigit())


def _lone_letter(text: str, i: int) -> bool:
    """One ASCII letter glued between CJK characters: a trail byte left over by a bad decode."""
    ch = text[i]
    if not (ch.isascii() and ch.isalpha()):
        return False
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return is_han(before) and (after == "" or _cjk_like(after))
