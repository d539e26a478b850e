"""An abstract must say only what its article says: numbers and names found nowhere in the article
are flagged, so a model that invents a figure or a place is caught.

Chinese names are found by jieba's tags (people, places, organisations, with the suffix the
tagger splits off: 李家 + 镇; words.names) and Latin words; English names are runs of
capitalised words inside a sentence. Each is looked up in the article in its own language (an
English name also counts as found when it spells a name of the Chinese article in pinyin).
"""
from __future__ import annotations

import re
from typing import Sequence

from ..types import Check, Flag
from . import words
from .numbers import en_quantities, unsupported_numbers, zh_quantities

_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9.&-]+")
_EN_NAME = re.compile(r"\b[A-Z][A-Za-z'’-]+(?: [A-Z][A-Za-z'’-]+)*")


def zh_names(text: str) -> list[str]:
    return list(dict.fromkeys([*(m.group(0) for m in _LATIN.finditer(text)), *words.names(text)]))


def _in_article(name: str, article: str) -> bool:
    """Found as written, or, for a longer name, less its first or last character: the tagger may
    have joined a neighbour (9日德邦) or the article may leave a suffix off (陕西 for 陕西省)."""
    return name in article or len(name) >= 3 and (name[1:] in article or name[:-1] in article)


def en_names(text: str) -> list[str]:
    """Runs of capitalised words, less the first word of a sentence ("In Lijia Town" -> Lijia Town)."""
    names = []
    for m in _EN_NAME.finditer(text):
        words = m.group(0).split(" ")
        if text[:m.start()].rstrip()[-1:] in ("", ".", "!", "?", '"', "“", ":"):
            words = words[1:]
        if words:
            names.append(" ".join(words))
    return list(dict.fromkeys(names))


def zh_abstract_flags(abstract: str, article: str) -> list[Flag]:
    abstract, article = words.normalize(abstract), words.normalize(article)
    flags = unsupported_numbers(zh_quantities(abstract), zh_quantities(article), "Chinese")
    lowered = article.lower()
    return flags + [Flag(Check.FAITHFULNESS, f"Chinese abstract: {name} appears nowhere in the article", "", name)
                    for name in zh_names(abstract) if not _in_article(name.lower(), lowered)]


def en_abstract_flags(abstract: str, article: str, article_english: Sequence[str]) -> list[Flag]:
    """Numbers against the Chinese article and its English; names against its English, if it has any."""
    english = " ".join(article_english)
    sources = [*zh_quantities(article), *en_quantities(english)]
    flags = unsupported_numbers(en_quantities(abstract), sources, "English")
    if not english.strip():
        return flags
    lowered = english.lower()
    missing = [name for name in en_names(abstract) if name.lower() not in lowered]
    if not missing:  # tagging the whole article for its names' pinyin is most of a recheck's time
        return flags
    spelled = {"".join(words.pinyin(name)) for name in zh_names(words.normalize(article))}
    return flags + [Flag(Check.FAITHFULNESS, f"English abstract: {name} appears nowhere in the article's English",
                         "", name)
                    for name in missing if re.sub(r"[^a-z]", "", name.lower()) not in spelled]
