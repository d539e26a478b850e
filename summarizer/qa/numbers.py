"""Numbers in Chinese and in English, read as values, so 11.3万 and 113,000 are the same number.

Chinese: Arabic and full-width digits with their scale (11.3万, 1.2亿, 3万亿), percentages, ranges
(17~18万: the scale is shared), Chinese numerals (三千, 十二, 一万二) and 百分之X. A Chinese numeral
counts only where it is surely a number (a scale character, a measure word after it, a year):
三塘镇, 四川, 十分 (very) and 千万 (by all means) are words, not numbers; a false alarm costs a
reviewer as much as a miss. English: digits with scale words, number words, ordinals, month names.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import cn2an

from .flags import Flag


@dataclass(frozen=True)
class Quantity:
    """A number as written, its value, and whether a scale word (万, million) makes rounding normal."""

    text: str
    value: float
    scaled: bool = False


ZH_SCALE = {"百": 1e2, "千": 1e3, "万": 1e4, "亿": 1e8}
_ZH_DIGITS = "零〇一二两三四五六七八九"
_ZH_PLACES = "十百千万亿"
# measure words and units that make a bare Chinese numeral a count: 三家 (three), 十二月 (December)
_MEASURES = ("个人名位家所座条件台辆项次场届批种类元块岁年月日号天周倍米吨斤亩户套张本篇份例只头架艘轮期层"
             "栋间床支组部款角克度秒枚颗股起遍处段成")
_MEASURES_2 = ("分钟", "小时", "公里", "平方", "千米", "万元", "亿元")
# before a numeral these make it vague (数十, 几百) or a weekday (周三, 星期三, 礼拜三)
_VAGUE_BEFORE = "数几周期拜"

_ARABIC = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*([百千万亿]*)(%?)")
_ARABIC_RANGE = re.compile(
    r"(\d+(?:\.\d+)?)\s*([百千万亿]*)\s*[~\-–—至到]\s*(\d+(?:,\d{3})*(?:\.\d+)?)\s*([百千万亿]*)(%?)")
_PERCENT_WORDS = re.compile(rf"百分之([{_ZH_DIGITS}{_ZH_PLACES}点]+|\d+(?:\.\d+)?)")
_ZH_NUMERAL = re.compile(rf"[{_ZH_DIGITS}{_ZH_PLACES}]+(?:点[{_ZH_DIGITS}]+)?")


def zh_quantities(text: str) -> list[Quantity]:
    """Every number of a Chinese text, in order of appearance (a range gives two)."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits, ％ and ～ become ASCII
    found: list[tuple[int, Quantity]] = []
    taken: list[range] = []
    for finder in (_zh_ranges, _zh_percent_words, _zh_arabic, _zh_numerals):
        for start, end, quantity in finder(text):
            if not any(start in span or end - 1 in span for span in taken):
                found.append((start, quantity))
                taken.append(range(start, end))
    return [q for _, q in sorted(found, key=lambda item: item[0])]


def _scale(chars: str) -> float:
    factor = 1.0
    for char in chars:
        factor *= ZH_SCALE[char]
    return factor


def _zh_ranges(text: str):
    for m in _ARABIC_RANGE.finditer(text):
        first, first_scale, second, second_scale, percent = m.groups()
        # 17~18万: a scale written once, after the second number, belongs to both
        shared = _scale(second_scale)
        low = float(first) * (_scale(first_scale) if first_scale else shared)
        high = float(second.replace(",", "")) * shared
        scaled = bool(first_scale or second_scale)
        yield m.start(), m.start(3), Quantity(first + first_scale, low, scaled)
        yield m.start(3), m.end(), Quantity(m.group(3) + second_scale + percent, high, scaled)


def _zh_percent_words(text: str):
    for m in _PERCENT_WORDS.finditer(text):
        value = _zh_value(m.group(1))
        if value is not None:
            yield m.start(), m.end(), Quantity(m.group(0), value)


def _zh_arabic(text: str):
    for m in _ARABIC.finditer(text):
        number, scale, _ = m.groups()
        value = float(number.replace(",", "")) * _scale(scale)
        written = m.group(0)
        if text.startswith("成", m.end()) and not scale:  # 3成 is 30%
            value, written = value * 10, written + "成"
        yield m.start(), m.end(), Quantity(written, value, bool(scale))


def _zh_numerals(text: str):
    for m in _ZH_NUMERAL.finditer(text):
        run, after = m.group(0), text[m.end():m.end() + 2]
        if not _is_number(run, text[m.start() - 1:m.start()], after):
            continue
        value = _zh_value(run)
        if value is None:
            continue
        if after.startswith("成"):  # 八成 is 80%
            value, run = value * 10, run + "成"
        yield m.start(), m.end(), Quantity(run, value, any(c in "万亿" for c in run))


def _is_number(run: str, before: str, after: str) -> bool:
    if before and before in _VAGUE_BEFORE or after[:1] in "几多余来":
        return False
    measured = after[:1] in _MEASURES or after in _MEASURES_2
    if not any(c in _ZH_PLACES for c in run):
        if len(run) == 1:  # 一 reads as "a", "the" or "once" as often as "one": never checked alone
            return run != "一" and measured
        return len(run) == 4 and after[:1] == "年"  # 二〇二四年; 两三 is "two or three"
    if run[0] in "百千万亿":  # 千万 (by all means), 万一 (in case), 百万 alone
        return False
    return any(c in "百千万亿" for c in run) or measured


def _zh_value(run: str) -> float | None:
    """cn2an's smart mode reads colloquial forms (一万二 = 12000, 3万亿); a run it rejects is no number."""
    try:
        return float(cn2an.cn2an(run, "smart"))
    except ValueError:
        return None


_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_EN_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_EN_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
_EN_OTHER = {"both": 2, "twice": 2, "double": 2, "pair": 2, "triple": 3, "dozen": 12, "half": 0.5,
             "a": 1, "an": 1, "once": 1, "single": 1}
_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items()) if m != "may"})
_MONTHS["sept"] = 9
_EN_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+|[~–-]|[,;:.]")  # punctuation ends a run of number words


def en_quantities(text: str) -> list[Quantity]:
    """Every number of an English text; a range's first number also counts with the second's scale."""
    tokens = _EN_TOKEN.findall(re.sub(r"(?<=\d),(?=\d{3})", "", unicodedata.normalize("NFKC", text).lower()))
    found: list[Quantity] = []
    i = 0
    while i < len(tokens):
        quantity, i = _en_number(tokens, i)
        if quantity is not None:
            found.append(quantity)
    return found + _shared_range_scales(found, tokens)


def _en_number(tokens: list[str], i: int) -> tuple[Quantity | None, int]:
    token = tokens[i]
    if token[0].isdigit():
        value, j = float(token), i + 1
        while j < len(tokens) and tokens[j] in _EN_SCALES:
            value, j = value * _EN_SCALES[tokens[j]], j + 1
        return Quantity(" ".join(tokens[i:j]), value, j > i + 1), j
    if token in _EN_UNITS or token in _EN_TENS:
        return _en_words(tokens, i)
    if token in ("a", "an") and i + 1 < len(tokens) and tokens[i + 1] in _EN_SCALES:
        return Quantity(f"{token} {tokens[i + 1]}", _EN_SCALES[tokens[i + 1]], True), i + 2
    for table in (_EN_ORDINALS, _EN_OTHER, _MONTHS):
        if token in table:
            return Quantity(token, float(table[token])), i + 1
    return None, i + 1


def _en_words(tokens: list[str], i: int) -> tuple[Quantity, int]:
    """three thousand two hundred and five -> 3205 (the usual total/current accumulator)."""
    total, current, j = 0.0, 0.0, i
    while j < len(tokens):
        word = tokens[j]
        if word in _EN_UNITS or word in _EN_TENS:
            current += _EN_UNITS.get(word, _EN_TENS.get(word, 0))
        elif word == "hundred":
            current *= 100
        elif word in _EN_SCALES:
            total, current = total + current * _EN_SCALES[word], 0.0
        elif not (word in ("and", "-") and j + 1 < len(tokens) and tokens[j + 1] in (*_EN_UNITS, *_EN_TENS)):
            break
        j += 1
    return Quantity(" ".join(tokens[i:j]).replace(" - ", "-"), total + current, total > 0), j


def _shared_range_scales(found: list[Quantity], tokens: list[str]) -> list[Quantity]:
    """"17 to 18 million": 17 million is meant; added beside the plain 17 (extra values never flag)."""
    extra = []
    for first, second in zip(found, found[1:]):
        scale = second.text.split()[-1]
        if not first.scaled and scale in _EN_SCALES and first.text[:1].isdigit():
            extra.append(Quantity(f"{first.text} {scale}", first.value * _EN_SCALES[scale], True))
    return extra


def same_number(reference: Quantity, written: Quantity) -> bool:
    """Equal, or `written` is `reference` rounded where a scale word makes rounding normal
    (12.36亿 as 1.24 billion); a changed digit (17.46 -> 17.64) is never the same."""
    if abs(reference.value - written.value) <= 1e-9 * max(abs(reference.value), 1.0):
        return True
    if not written.scaled or written.value == 0:
        return False
    digits = len(f"{written.value:.15g}".replace(".", "").replace("-", "").strip("0"))
    return digits >= 2 and float(f"{reference.value:.{digits}g}") == written.value


def show(q: Quantity) -> str:
    value = f"{q.value:,.10g}"
    plain = q.text.replace(",", "").rstrip("%")
    return q.text if plain == value.replace(",", "") else f"{q.text} ({value})"


def missing_numbers(chinese: str, english: str) -> list[Flag]:
    """One flag per Chinese number the English lacks, with the English numbers that match nothing."""
    source, written = zh_quantities(chinese), en_quantities(english)
    missing = [q for q in source if not any(same_number(q, w) for w in written)]
    if not missing:
        return []
    unmatched = [w for w in written if w.text not in ("a", "an")
                 and not any(same_number(q, w) for q in source)]
    other = f"; the English has {', '.join(show(w) for w in unmatched)}" if unmatched else ""
    return [Flag("numbers", f"{show(q)} is not in the English{other}") for q in missing]


def unsupported_numbers(written: list[Quantity], sources: list[Quantity], side: str) -> list[Flag]:
    """Numbers of an abstract that appear nowhere in the article: a figure the model made up."""
    return [Flag("faithfulness", f"{side} abstract: {show(w)} appears nowhere in the article")
            for w in written if w.text not in _EN_OTHER and not any(same_number(s, w) for s in sources)]
