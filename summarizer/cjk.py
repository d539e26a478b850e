"""The ranges of Chinese characters, defined once for every layer.

HAN: every Han ideograph: the unified block with Extension A, the compatibility block, and the
supplementary planes' extensions (B to H). UNIFIED: the unified block alone, where the text of
news pages lies; a character outside it is rare, and in a trial decode a hint of a wrong one.
PUNCTUATION: the CJK symbols and punctuation block (、。「」…) and the full-width forms (，！？：
and full-width letters and digits), which Chinese text is written with.
All are written for use inside a regular expression's character class: f"[{HAN}]".
"""
from __future__ import annotations

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
UNIFIED = "\u4e00-\u9fff"
PUNCTUATION = "\u3000-\u303f\uff00-\uffef"


def is_han(ch: str) -> bool:
    """A Han ideograph (HAN)."""
    return ("\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
            or "\U00020000" <= ch <= "\U0003134f")
