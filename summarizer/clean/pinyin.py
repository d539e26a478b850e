"""Pinyin glosses glued after characters by spam mirrors: 網(wǎng), 烟(yan)台.

A gloss is one lowercase pinyin syllable (tone marks optional) in ASCII parentheses glued to
the preceding character. Genuine parentheses ((完), (DRG), (5日), (吳平華 吳潤秋)) never match
because their content is not a single pinyin syllable.
"""
from __future__ import annotations

import re
import unicodedata

from ..cjk import is_han
from .repairs import RepairLog

_INITIALS = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINALS = ("(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|"
           "ua|uo|ui|ue|ve|er|a|o|e|i|u|v)")
_SYLLABLE = re.compile(rf"(?:{_INITIALS}{_FINALS}|ng|hm|hng|m|n)")
_CANDIDATE = re.compile(r"\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,6})\)")
# A '(' swallowed by a mis-decoded byte leaves '?syllable)'.
_SWALLOWED = re.compile(r"\?([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,6})\)")


def _is_syllable(word: str) -> bool:
    if len(word) == 1 and word.isascii():  # (a), (e): list markers, not glosses
        return False
    plain = unicodedata.normalize("NFD", word.replace("ü", "v"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _SYLLABLE.fullmatch(plain) is not None


def _glued(text: str, start: int) -> bool:
    """Glued to a hanzi, or to a lone letter left by mis-decoding right after a hanzi or '?'."""
    before = text[max(0, start - 2):start]
    if before[-1:] and is_han(before[-1]):
        return True
    return len(before) == 2 and before[1].isascii() and before[1].isalpha() and (
        is_han(before[0]) or before[0] == "?")


def strip_glosses(text: str, log: RepairLog) -> str:
    def glued(match: re.Match) -> str:
        if not (_glued(text, match.start()) and _is_syllable(match.group(1))):
            return match.group(0)
        log.add("pinyin-gloss", match.group(0))
        return ""

    def swallowed(match: re.Match) -> str:
        if not _is_syllable(match.group(1)):
            return match.group(0)
        log.add("pinyin-gloss", match.group(0))
        return "?"

    text = _CANDIDATE.sub(glued, text)
    return _SWALLOWED.sub(swallowed, text)
