"""Chinese words for the checks, from jieba: names of people, places and organisations, idioms,
and the words of a text. The only module that imports jieba, rjieba or pypinyin, each loaded on
first use (and not at all for a text whose readings are kept: readings.py).

Why jieba: it is the segmenter most Chinese tools are built on and still maintained; pure Python,
a 350,000-word dictionary with part-of-speech tags (nr person, ns place, nt organisation, i idiom)
and an HMM that finds names the dictionary lacks. Its dictionary loads in about 0.7 s once per
process, its tags in 0.3 s more; pkuseg, LTP and HanLP tag better but load neural models (torch,
hundreds of MB) for seconds, too heavy for a check that must stay cheap.
Why rjieba for the words of a text: jieba-rs cuts with jieba's own dictionary and HMM some twenty
times faster (the words of every unit are most of a recheck's time), and its words are jieba's
(the Han words of both corpora and the dev set compared: the same); it differs only in keeping
"5.6G" or a web address whole, which no check reads. Its tagger lacks jieba's HMM for the part of
speech of unknown words, so names still come from jieba.posseg.
Reads: rjieba.cut, jieba.posseg.lcut, and jieba.posseg.dt.word_tag_tab (the dictionary's tag of
each word, no public accessor); tests/test_qa_words.py names each.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

from ..clean.script import to_simplified
from .readings import remembered

NAME_TAGS = ("nr", "nrfg", "nrt", "ns", "nt")  # person (nr*), place, organisation
IDIOM_TAGS = ("i", "l")  # 成语 and fixed expressions
_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


@lru_cache(maxsize=4096)  # a unit's source is read by several checks
def normalize(text: str) -> str:
    """Simplified script with ASCII digits and punctuation where Unicode has them (萬 -> 万, ３ -> 3):
    the checks read every input this way, whatever script the caller hands over."""
    return to_simplified(unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1)
def _posseg():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading at INFO on stderr
    return jieba.posseg


def words(text: str) -> tuple[str, ...]:
    import rjieba

    return tuple(rjieba.cut(text, True))  # with the HMM, as jieba.lcut


def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """(word, part of speech) in order; unknown words get their tag from jieba's HMM."""
    return tuple((p.word, p.flag) for p in _posseg().lcut(text))


def tag(word: str) -> str | None:
    """The dictionary's part of speech of `word`, None for a word it does not list."""
    return _posseg().dt.word_tag_tab.get(word)


def tags(segmented: tuple[str, ...]) -> tuple[str | None, ...]:
    """tag() of each word, the dictionary looked up once."""
    table = _posseg().dt.word_tag_tab
    return tuple(table.get(word) for word in segmented)


# what the tagger splits off a place or an institution name: 李家 + 镇, 仁和 + 医院
SUFFIXES = ("省", "市", "县", "区", "镇", "乡", "村", "州", "医院", "大学", "公司", "集团", "银行")


@remembered("names", tuple)
def names(text: str) -> tuple[str, ...]:
    """Names of people, places and organisations of two characters or more, each once, in order: a
    surname the tagger split off its given name joined again (赵 + 卫东), and a place or institution
    suffix that follows a name kept with it (李家 + 镇)."""
    found = []
    pairs = list(tagged(text))
    for i, (word, flag) in enumerate(pairs):
        after, after_flag = pairs[i + 1] if i + 1 < len(pairs) else ("", "")
        if flag.startswith("nr") and len(word) == 1 and after_flag.startswith("nr"):
            pairs[i + 1] = (word + after, after_flag)
        elif flag in NAME_TAGS and len(word) >= 2:
            suffix = with_suffix(after)
            # a person's name takes a suffix only standing alone: 李家 + 镇, but 李强 + 市长 is a mayor
            found.append(word + suffix if suffix == after or not flag.startswith("nr") else word)
    return tuple(dict.fromkeys(found))


def with_suffix(after: str) -> str:
    """The place or institution suffix at the start of the word after a name ("" for none)."""
    return next((s for s in SUFFIXES if after.startswith(s)), "")


def in_idiom(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (a numeral) lies inside an idiom of the dictionary: 一心一意, 七上八下.
    An idiom is a word tagged as one, or a four-character word whose numerals stand apart (三番五次)."""
    for first in range(max(start - 3, 0), min(start, len(text) - 4) + 1):
        if first + 4 < end:
            continue
        word = text[first:first + 4]
        found = tag(word)
        if found in IDIOM_TAGS or found is not None and len(_NUMERAL.findall(word)) >= 2:
            return True
    return False


@remembered("pinyin", tuple)
def pinyin(word: str) -> tuple[str, ...]:
    """Toneless syllables (张伟 -> zhang, wei), the basis of how names are written in English."""
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(word))
