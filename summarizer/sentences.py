"""The marks that end a sentence or a clause, defined once for every layer.

Chinese first: the full-width stops and their ASCII forms, the ellipsis, the semicolon, the
closing quotes and brackets that belong to the sentence they follow (“……。” stays whole), and
the clause marks inside a sentence. Then the few English marks that the checks and the briefing
read in translations. A module that needs a variant (cleaning takes a semicolon as a sign of
prose; chunking cuts at full-width marks only) builds it from these strings and says why.
The Chinese strings fit inside a regular expression's character class as they are: f"[{ENDS}]".
"""
from __future__ import annotations

import re

FULL_STOP = "。"  # a line with one holds a sentence; a headline has none
EXCLAIM_ASK = "！？"  # exclamation and question marks, as Chinese is written
# the same two typed on an ASCII keyboard; '.' has no place here: in Chinese text it is a decimal
# point or a web address's dot, never a full stop
ASCII_EXCLAIM_ASK = "!?"
STOPS = FULL_STOP + EXCLAIM_ASK
ELLIPSIS = "…"
ENDS = STOPS + ASCII_EXCLAIM_ASK + ELLIPSIS
SEMICOLON = "；"
ASCII_SEMICOLON = ";"
SEMICOLONS = SEMICOLON + ASCII_SEMICOLON
CLOSERS = "”’」』）】》\"')"  # follow an end and belong to its sentence
CLAUSES = "，、,：:"  # comma, enumeration comma and colon, full-width and ASCII

EN_STOPS = ".!?"
EN_CLOSERS = "\"'”’)]"  # what may close an English sentence after its stop

# the end of a sentence: its run of end marks and the closing quotes or brackets after them
SENTENCE_END = re.compile(f"[{ENDS}]+[{CLOSERS}]*")
CLAUSE_END = re.compile(f"[{CLAUSES}]+")
_ENDED = re.compile(f"[{ENDS}][{CLOSERS}]*$")
# a sentence: words up to an end (with its closers), or up to a line break or the text's end
_SENTENCE = re.compile(f"[^{ENDS}\n]*(?:{SENTENCE_END.pattern})|[^{ENDS}\n]+")
# where two English sentences meet: a stop, space, and the capital or number that starts the next
EN_SENTENCE_BREAK = re.compile(f"(?<=[{EN_STOPS}])\\s+(?=[A-Z0-9\"“])")


def split(text: str) -> list[str]:
    """The sentences of `text`, stripped, empty ones left out; a line break ends a sentence too."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def ends_sentence(text: str) -> bool:
    """`text` ends as a full sentence does: an end mark, perhaps closing quotes or brackets after it
    (a line ending in a quote or a bracket alone is a heading, a title or a byline)."""
    return bool(_ENDED.search(text.rstrip()))


def spans(text: str, pattern: re.Pattern[str] = SENTENCE_END, start: int = 0,
          end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of text[start:end] that cover it without gaps, each ending at a match of
    `pattern` (the last one at `end`). A match between two digits is no end: 1,000 and 10:30 are
    one number, not two clauses."""
    end = len(text) if end is None else end
    found, cut = [], start
    for match in pattern.finditer(text, start, end):
        if 0 < match.start() and match.end() < len(text) and text[match.start() - 1].isdigit() \
                and text[match.end()].isdigit():
            continue
        found.append((cut, match.end()))
        cut = match.end()
    if cut < end:
        found.append((cut, end))
    return found
