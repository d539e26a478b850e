"""An abstract must say only what its article says: numbers and names found nowhere in the article
are flagged, so a model that invents a figure or a place is caught.

Chinese names are found by jieba's tags (people, places, organisations: words.names), by their
suffix where the tagger splits them (三塘镇, 仁和医院), and Latin words; English names are runs of
capitalised words inside a sentence. Each is looked up in the article in its own language (an
English name also counts as found when it spells a name of the Chinese article in pinyin).
"""
from __future__ import annotations

import re
from typing import Sequence

from ..types import Check, Flag
from . import words
from .numbers import en_quantities, unsupported_numbers, zh_quantities

_SUFFIXES = "省|市|县|镇|乡|村|区|州|医院|大学|公司|集团|银行"
_ZH_NAME = re.compile(rf"([\u4e00-\u9fff]{{2}})({_SUFFIXES})")
# words a suffix ends that are no names (城市 is "city"), and words that point back (该镇, 全市)
_ZH_WORDS = {"城市", "超市", "都市", "门市", "上市", "股市", "楼市", "车市", "地区", "社区", "景区", "园区",
             "小区", "城区", "市区", "郊区", "山区", "辖区", "农村", "乡村", "分公司", "子公司", "本市", "本县"}
_POINTERS = set("该本此全各这那每其我贵")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9.&-]+")
_EN_NAME = re.compile(r"\b[A-Z][A-Za-z'’-]+(?: [A-Z][A-Za-z'’-]+)*")


def zh_names(text: str) -> list[str]:
    names = [m.group(0) for m in _LATIN.finditer(text)] + words.names(text)
    for m in _ZH_NAME.finditer(text):
        core, suffix = m.groups()
        if core[-1] in _POINTERS or core[-1] + suffix in _ZH_WORDS or core + suffix in _ZH_WORDS:
            continue
        names.append(core + suffix)
    names = list(dict.fromkeys(names))
    return [n for n in names if not any(n in longer and n != longer for longer in names)]  # 李家 in 李家镇


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
                    for name in zh_names(abstract) if name.lower() not in lowered]


def en_abstract_flags(abstract: str, article: str, article_english: Sequence[str]) -> list[Flag]:
    """Numbers against the Chinese article and its English; names against its English, if it has any."""
    english = " ".join(article_english)
    sources = zh_quantities(article) + en_quantities(english)
    flags = unsupported_numbers(en_quantities(abstract), sources, "English")
    if not english.strip():
        return flags
    lowered = english.lower()
    spelled = {"".join(words.pinyin(name)) for name in zh_names(words.normalize(article))}
    return flags + [Flag(Check.FAITHFULNESS, f"English abstract: {name} appears nowhere in the article's English",
                         "", name)
                    for name in en_names(abstract)
                    if name.lower() not in lowered and re.sub(r"[^a-z]", "", name.lower()) not in spelled]
