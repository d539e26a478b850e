"""Checks on one English output: empty, cut off, Chinese left in it, a generation loop, its length."""
from __future__ import annotations

import re
import statistics
import zlib
from typing import Sequence

from ..cjk import HAN, PUNCTUATION
from ..sentences import ELLIPSIS, EN_CLOSERS, EN_STOPS, ends_sentence
from ..types import Check, Flag

_CJK = re.compile(f"[{HAN}]+")
_CHINESE_END = re.compile(f"[{HAN}{PUNCTUATION}]")
_SENTENCE_END_EN = tuple(EN_STOPS + ELLIPSIS + EN_CLOSERS)
# faster-whisper flags a segment whose zlib compression ratio is above 2.4; natural English reaches
# that only over a few thousand characters, so the ratio is taken over windows of this size
LOOP_WINDOW = 300
LOOP_RATIO = 2.4
LOOP_REPEATS = 3  # a phrase said this many times back to back ("of the city of the city of the city")
# English characters per Chinese character is about 3 in news; a unit this many times off the
# article's own ratio has lost or gained a sentence
LENGTH_NORM = 3.0
LENGTH_FACTOR = 2.5
LENGTH_MIN_SOURCE = 15  # shorter sources (a name, a date line) vary too much to judge


def untranslated(english: str) -> list[Flag]:
    runs = list(dict.fromkeys(_CJK.findall(english)))
    if not runs:
        return []
    shown = ", ".join(runs[:5]) + (f" and {len(runs) - 5} more" if len(runs) > 5 else "")
    return [Flag(Check.UNTRANSLATED, f"Chinese left in the English: {shown}", "English", shown)]


def empty(english: str) -> list[Flag]:
    if english.strip():
        return []
    return [Flag(Check.EMPTY, "the English is empty", "a translation", "nothing")]


def cut_off(source: str, english: str) -> list[Flag]:
    """A source ending in a full sentence whose English stops mid-sentence was cut off."""
    english = english.rstrip()
    if english and _CHINESE_END.match(english[-1]):  # Chinese copied through: the untranslated check's finding
        return []
    if english and ends_sentence(source) and not english.endswith(_SENTENCE_END_EN):
        end = english[-40:]
        return [Flag(Check.CUT_OFF, f"the English stops mid-sentence: …{end}", "a full sentence", f"…{end}")]
    return []


def mostly_chinese(english: str) -> bool:
    return sum(map(len, _CJK.findall(english))) * 2 > len("".join(english.split()))


def loop(english: str) -> list[Flag]:
    repeated = _repeated_phrase(english.split())
    if repeated:
        return [Flag(Check.LOOP, f"“{repeated}” repeated {LOOP_REPEATS}+ times in a row", "", repeated)]
    ratio = max((_compression_ratio(english[i:i + LOOP_WINDOW])
                 for i in range(0, max(len(english) - LOOP_WINDOW, 0) + 1, LOOP_WINDOW // 2)), default=0.0)
    if ratio > LOOP_RATIO:
        return [Flag(Check.LOOP, f"repetitive text (compression ratio {ratio:.1f} > {LOOP_RATIO})",
                     f"ratio ≤ {LOOP_RATIO}", f"{ratio:.1f}")]
    return []


def _compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def _repeated_phrase(words: Sequence[str], longest: int = 16) -> str | None:
    """The shortest phrase of 1..longest words that occurs LOOP_REPEATS times back to back."""
    lowered = [w.lower().strip(".,;:") for w in words]
    for size in range(1, longest + 1):
        for start in range(len(lowered) - size * LOOP_REPEATS + 1):
            if lowered[start] != lowered[start + size]:  # cheap test first: most starts fail here
                continue
            phrase = lowered[start:start + size]
            if all(lowered[start + k * size:start + (k + 1) * size] == phrase for k in range(1, LOOP_REPEATS)):
                return " ".join(words[start:start + size])
    return None


def length_norm(pairs: Sequence[tuple[str, str]]) -> float:
    """The article's English/Chinese length ratio: the median over its paragraphs, when it has enough
    and it is plausible (a model that writes nonsense everywhere must not make nonsense the norm)."""
    ratios = [len(en) / len(zh) for zh, en in pairs if len(zh) >= LENGTH_MIN_SOURCE and en.strip()]
    norm = statistics.median(ratios) if len(ratios) >= 3 else LENGTH_NORM
    return norm if LENGTH_NORM / LENGTH_FACTOR <= norm <= LENGTH_NORM * LENGTH_FACTOR else LENGTH_NORM


def length(source: str, english: str, norm: float) -> list[Flag]:
    # English that is mostly Chinese is the untranslated check's finding; its length says nothing
    if len(source) < LENGTH_MIN_SOURCE or not english.strip() or mostly_chinese(english):
        return []
    ratio = len(english) / len(source)
    if norm / LENGTH_FACTOR <= ratio <= norm * LENGTH_FACTOR:
        return []
    side = "short: a sentence may be missing" if ratio < norm else "long: text may be added or repeated"
    return [Flag(Check.LENGTH, f"English/Chinese length {ratio:.1f}× against {norm:.1f}× for this article ({side})",
                 f"{norm:.1f}×", f"{ratio:.1f}×")]
