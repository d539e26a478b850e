"""Which script an article is written in, and its Simplified form for the models (OpenCC)."""
from __future__ import annotations

from functools import lru_cache

from ..types import Script
from .lines import han_count


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional -> Simplified, character-aligned in practice; Simplified input comes back unchanged."""
    return _converter("t2s").convert(text)


@lru_cache(maxsize=65536)
def simplified_char(ch: str) -> str:
    return _converter("t2s").convert(ch)


def detect_script(texts: list[str]) -> Script:
    text = "".join(texts)
    hanzi = han_count(text)
    if hanzi == 0:
        return "none"
    as_simplified = to_simplified(text)
    as_traditional = _converter("s2t").convert(text)
    traditional_only = sum(a != b for a, b in zip(text, as_simplified)) / hanzi
    simplified_only = sum(a != b for a, b in zip(text, as_traditional)) / hanzi
    if traditional_only < 0.01:
        return "simplified"
    if simplified_only < 0.02 or traditional_only > 3 * simplified_only:
        return "traditional"
    return "mixed"
