"""Numbers in Chinese and in English, read as values, so 11.3万 and 113,000 are the same number.

Chinese: Arabic and full-width digits with their scale (11.3万, 1.2亿, 3万亿), percentages, ranges
(17~18万: the scale is shared; 三四家 and 七八十人: adjacent numerals are a range), fractions
(四分之一, 百分之X), Chinese numerals (三千, 十二, 一万二) and magnitudes that start with a place
character (百亿元, 近百年). A Chinese numeral counts only where it is surely a number (a scale
character, a measure word after it, a year): 三塘镇, 四川, 十分 (very), 千万 (by all means), vague
amounts (数十, 上百) and numerals inside idioms (一心一意, 七上八下, from the dictionary) are words;
a false alarm costs a reviewer as much as a miss. English: digits with scale words (also
hyphenated: 5-million-yuan), number words, ordinals, fractions, decade/century/dozen, and month
names where they are dates.

Matching counts: every Chinese number needs an English number of its own, so a figure written
twice and translated wrong once is caught.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..types import Check, Flag
from . import words
from .readings import remembered


@dataclass(frozen=True)
class Quantity:
    """A number as written, its value (and other values that say the same: a fraction's percent),
    and whether a scale word (万, million) makes rounding normal."""

    text: str
    value: float
    scaled: bool = False
    also: tuple[float, ...] = ()


ZH_SCALE = {"十": 10.0, "百": 1e2, "千": 1e3, "万": 1e4, "亿": 1e8}
_ZH_DIGITS = "零〇一二两三四五六七八九"
_ZH_PLACES = "十百千万亿"
_ZH_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}
# measure words and units that make a bare Chinese numeral a count: 三家 (three), 十二月 (December)
_MEASURES = ("个人名位家所座条件台辆项次场届批种类元块岁年月日号天周倍米吨斤亩户套张本篇份例只头架艘轮期层"
             "栋间床支组部款角克度秒枚颗股起遍处段成")
_MEASURES_2 = ("分钟", "小时", "公里", "平方", "千米", "万元", "亿元")
# before a numeral these make it vague (数十, 几百, 上百, 成千) or a weekday (周三, 星期三, 礼拜三)
_VAGUE_BEFORE = "数几周期拜上成"

_ARABIC = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*([百千万亿]*)(%?)")
_ARABIC_RANGE = re.compile(
    r"(\d+(?:\.\d+)?)\s*([百千万亿]*)\s*[~\-–—至到]\s*(\d+(?:,\d{3})*(?:\.\d+)?)\s*([百千万亿]*)(%?)")
_FRACTION = re.compile(rf"(\d+|[{_ZH_DIGITS}{_ZH_PLACES}]+)分之(\d+(?:\.\d+)?|[{_ZH_DIGITS}{_ZH_PLACES}点]+)")
_SLASH_FRACTION = re.compile(r"(?<![\d/])(\d+)/(\d+)(?![\d/])")  # 1/3, read as 三分之一
_DECADE = re.compile(r"(?:(\d{2})世纪)?(\d)0年代")  # 20世纪90年代, 90年代: the 1990s
_ZH_NUMERAL = re.compile(rf"[{_ZH_DIGITS}{_ZH_PLACES}]+(?:点[{_ZH_DIGITS}]+)?")
_ADJACENT = re.compile(rf"([一两二三四五六七八])([二三四五六七八九])([{_ZH_PLACES}]*)")


def _quantities(rows: list[dict]) -> tuple[Quantity, ...]:
    return tuple(Quantity(**{**row, "also": tuple(row["also"])}) for row in rows)


@remembered("numbers", _quantities)
def zh_quantities(text: str) -> tuple[Quantity, ...]:
    """Every number of a Chinese text, in order of appearance (a range gives two)."""
    text = words.normalize(text)  # 萬 -> 万, full-width digits, ％ and ～ become ASCII
    found: list[tuple[int, Quantity]] = []
    taken: set[int] = set()  # the positions an earlier finder read: a number is read once
    for finder in (_zh_decades, _zh_ranges, _zh_fractions, _zh_adjacent, _zh_arabic, _zh_numerals):
        for start, end, quantity in finder(text):
            if start not in taken and end - 1 not in taken:
                found.append((start, quantity))
                taken.update(range(start, end))
    return tuple(q for _, q in sorted(found, key=lambda item: item[0]))


def _scale(chars: str) -> float:
    factor = 1.0
    for char in chars:
        factor *= ZH_SCALE[char]
    return factor


def _zh_decades(text: str):
    """20世纪90年代 is the 1990s; 90年代 alone is the 1990s or, for 00-20, the 2000s."""
    for m in _DECADE.finditer(text):
        century, tens = m.groups()
        decade = int(tens) * 10
        if century:
            yield m.start(), m.end(), Quantity(m.group(0), (int(century) - 1) * 100 + decade)
        else:
            yield m.start(), m.end(), Quantity(m.group(0), 1900 + decade, also=(2000 + decade, decade))


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


def _zh_fractions(text: str):
    """四分之一 is 0.25, said in English as a quarter or 25%; 百分之三十 is 30%."""
    for m in _SLASH_FRACTION.finditer(text):
        part, whole = float(m.group(1)), float(m.group(2))
        if whole:
            yield m.start(), m.end(), Quantity(m.group(0), part / whole, also=(part / whole * 100,))
    for m in _FRACTION.finditer(text):
        whole, part = (_zh_value(g) if not g[0].isdigit() else float(g) for g in m.groups())
        if whole and part is not None:
            value = part / whole
            percent = Quantity(m.group(0), value * 100, also=(value,))
            yield m.start(), m.end(), percent if whole == 100 else Quantity(m.group(0), value, also=(value * 100,))


def _zh_adjacent(text: str):
    """三四家 (three or four), 七八十人 (seventy or eighty): two numerals one apart are a range."""
    for m in _ADJACENT.finditer(text):
        low, high, places = _ZH_DIGIT_VALUE[m.group(1)], _ZH_DIGIT_VALUE[m.group(2)], m.group(3)
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 2]
        if high != low + 1 or (before and before in _ZH_DIGITS + _ZH_PLACES + _VAGUE_BEFORE):
            continue
        if not (places or _measured(after)) or after[:1] in _ZH_DIGITS or words.in_idiom(text, m.start(), m.end()):
            continue
        scale = _scale(places)
        written = m.group(0)
        yield m.start(), m.start() + 1, Quantity(f"{written} ({low * scale:g})", low * scale, bool(places))
        yield m.start() + 1, m.end(), Quantity(f"{written} ({high * scale:g})", high * scale, bool(places))


def _zh_arabic(text: str):
    for m in _ARABIC.finditer(text):
        number, scale, percent = m.groups()
        value = float(number.replace(",", "")) * _scale(scale)
        written = m.group(0)
        if text.startswith("成", m.end()) and not scale:  # 3成 is 30%
            value, written, percent = value * 10, written + "成", "%"
        also = _as_share(value, percent) + _as_clock(value, text[m.end():m.end() + 1])
        yield m.start(), m.end(), Quantity(written, value, bool(scale), also)


def _as_clock(value: float, after: str) -> tuple[float, ...]:
    """17时 is also 5 p.m., 0时 midnight (12): English gives the hour on a 12-hour clock."""
    if after in ("时", "点") and value in range(13, 24):
        return (value - 12,)
    return (12.0,) if after in ("时", "点") and value == 0 else ()


def _as_share(value: float, percent: str) -> tuple[float, ...]:
    """A percentage is also the share English may say instead: 50% as "half", 两成 as "a fifth"."""
    return (value / 100,) if percent else ()


def _zh_numerals(text: str):
    for m in _ZH_NUMERAL.finditer(text):
        run, after = m.group(0), text[m.end():m.end() + 2]
        if not _is_number(run, text[m.start() - 1:m.start()], after) or words.in_idiom(text, m.start(), m.end()):
            continue
        value = _zh_value("一" + run if run[0] in _ZH_PLACES else run)  # 百亿 is 一百亿
        if value is None:
            continue
        share = after.startswith("成")  # 八成 is 80%
        if share:
            value, run = value * 10, run + "成"
        yield m.start(), m.end(), Quantity(run, value, any(c in "万亿" for c in run), _as_share(value, "%" * share))


def _measured(after: str) -> bool:
    return after[:1] in _MEASURES or after in _MEASURES_2


def _is_number(run: str, before: str, after: str) -> bool:
    if before and before in _VAGUE_BEFORE or after[:1] in "几多余来":
        return False
    measured = _measured(after)
    if not any(c in _ZH_PLACES for c in run):
        if len(run) == 1:  # 一 reads as "a", "the" or "once" as often as "one": never checked alone
            return run != "一" and measured
        return len(run) == 4 and after[:1] == "年"  # 二〇二四年; 两三 is "two or three"
    if run[0] in "百千万亿":  # 千万 (by all means) and 万一 (in case) are words; 百亿元 and 近百年 amounts
        return measured
    return any(c in "百千万亿" for c in run) or measured


def _zh_value(run: str) -> float | None:
    """cn2an's smart mode reads colloquial forms (一万二 = 12000, 3万亿); a run it rejects is no number."""
    import cn2an  # a tenth of a second to load: only for a text never read before

    try:
        return float(cn2an.cn2an(run, "smart"))
    except ValueError:
        return None


_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_EN_DECADES = {w[:-1] + "ies": v for w, v in _EN_TENS.items()}  # "in their seventies" (七十多岁)
_EN_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9}
_EN_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
# words that are amounts: "a decade" is 十年, "nearly a century" 近百年
_EN_OTHER = {"both": 2, "twice": 2, "double": 2, "pair": 2, "triple": 3, "dozen": 12, "half": 0.5,
             "decade": 10, "century": 100, "centenary": 100, "centennial": 100, "a": 1, "an": 1, "once": 1, "single": 1}
# the denominators of "a quarter", "two thirds", "one-fifth"
_EN_PARTS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4} | {
    w + s: v for w, v in _EN_ORDINALS.items() if v > 3 for s in ("", "s")}
_MONTHS = {m: i + 1 for i, m in enumerate(
    "January February March April May June July August September October November December".split())}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())} | {"Sept": 9})
_EN_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:/\d+)?|[A-Za-z]+|[~–-]|[,;:.]")  # punctuation ends a run of number words
_HYPHEN_SCALE = re.compile(r"(?<=\d)-?(?=(?:hundred|thousand|million|billion|trillion|bn)\b)", re.IGNORECASE)
_DOT_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})(?=\s*[ap]\.?m\b)", re.IGNORECASE)  # 9.30am is 9:30


def en_quantities(text: str) -> list[Quantity]:
    """Every number of an English text; a range's first number also counts with the second's scale,
    and a fraction in words ("one fifth") also as its value."""
    text = _HYPHEN_SCALE.sub(" ", re.sub(r"(?<=\d),(?=\d{3})", "", words.normalize(text)))
    text = _DOT_TIME.sub(r"\1:\2", text)
    tokens = _EN_TOKEN.findall(text)
    found: list[Quantity] = []
    i = 0
    while i < len(tokens):
        quantity, i = _en_number(tokens, i)
        if quantity is not None:
            found.append(quantity)
    return found + _shared_range_scales(found) + _fractions(tokens)


def _en_number(tokens: list[str], i: int) -> tuple[Quantity | None, int]:
    token, lower = tokens[i], tokens[i].lower()
    if token[0].isdigit():
        if "/" in token:  # 1/4
            whole, part = token.split("/")
            return (Quantity(token, float(whole) / float(part)) if float(part) else None), i + 1
        value, j = float(token), i + 1
        while j < len(tokens) and tokens[j].lower() in _EN_SCALES:
            value, j = value * _EN_SCALES[tokens[j].lower()], j + 1
        return Quantity(" ".join(tokens[i:j]), value, j > i + 1), j
    if lower in _EN_UNITS or lower in _EN_TENS:
        return _en_words(tokens, i)
    if lower in ("a", "an") and i + 1 < len(tokens) and tokens[i + 1].lower() in _EN_SCALES:
        return Quantity(f"{lower} {tokens[i + 1].lower()}", _EN_SCALES[tokens[i + 1].lower()], True), i + 2
    for table in (_EN_ORDINALS, _EN_OTHER, _EN_DECADES):
        if lower in table:
            return Quantity(lower, float(table[lower])), i + 1
    if token in _MONTHS and _is_date(tokens, i):
        return Quantity(token, float(_MONTHS[token])), i + 1
    return None, i + 1


def _is_date(tokens: list[str], i: int) -> bool:
    """A month name is a date, not a name (Wang Jun) or a verb (may, march): capitalised, and an
    abbreviation only beside a day or a year (Jun 5, 5 Jun., Jun. 2024)."""
    if len(tokens[i]) > 3 and tokens[i] != "May":
        return True
    after = tokens[i + 2] if i + 2 < len(tokens) and tokens[i + 1] == "." else tokens[i + 1] if i + 1 < len(tokens) else ""
    before = tokens[i - 1] if i else ""
    return after[:1].isdigit() or before[:1].isdigit()


def _en_words(tokens: list[str], i: int) -> tuple[Quantity, int]:
    """three thousand two hundred and five -> 3205 (the usual total/current accumulator)."""
    total, current, j = 0.0, 0.0, i
    while j < len(tokens):
        word = tokens[j].lower()
        nxt = tokens[j + 1].lower() if j + 1 < len(tokens) else ""
        if word in _EN_UNITS or word in _EN_TENS:
            current += _EN_UNITS.get(word, _EN_TENS.get(word, 0))
        elif word == "hundred":
            current *= 100
        elif word in _EN_SCALES:
            total, current = total + current * _EN_SCALES[word], 0.0
        elif not (word in ("and", "-") and (nxt in _EN_UNITS or nxt in _EN_TENS or nxt in _EN_SCALES)):
            break
        j += 1
    written = " ".join(t.lower() for t in tokens[i:j]).replace(" - ", "-")
    return Quantity(written, total + current, total > 0 or "hundred" in written), j


def _shared_range_scales(found: list[Quantity]) -> list[Quantity]:
    """"17 to 18 million", "two or three hundred": the scale of the second number belongs to the
    first too; added beside the plain 17 (extra values never flag)."""
    extra = []
    for first, second in zip(found, found[1:]):
        scale = second.text.split()[-1]
        if not first.scaled and scale in _EN_SCALES and " " not in first.text and first.text not in _EN_OTHER:
            extra.append(Quantity(f"{first.text} {scale}", first.value * _EN_SCALES[scale], True))
    return extra


def _fractions(tokens: list[str]) -> list[Quantity]:
    """"a quarter", "two-thirds", "one in five": the value beside the words' own numbers."""
    extra = []
    lower = [t.lower() for t in tokens]
    for i, word in enumerate(lower):
        count = lower[i - 2] if i >= 2 and lower[i - 1] == "-" else lower[i - 1] if i else ""
        amount = 1 if count in ("a", "an", "one") else _EN_UNITS.get(count)
        if word in _EN_PARTS and amount:
            extra.append(Quantity(f"{count} {word}", amount / _EN_PARTS[word]))
        if word in ("in", "of") and i + 1 < len(lower) and count in _EN_UNITS and lower[i + 1] in _EN_UNITS:
            if _EN_UNITS[lower[i + 1]]:  # one in five
                extra.append(Quantity(f"{count} in {lower[i + 1]}", _EN_UNITS[count] / _EN_UNITS[lower[i + 1]]))
    return extra


def same_number(reference: Quantity, written: Quantity) -> bool:
    """Equal (to the value or another way of saying it), or `written` is `reference` rounded where a
    scale word makes rounding normal (12.36亿 as 1.24 billion); a changed digit (17.46 -> 17.64) is
    never the same."""
    return any(_same_value(value, written) for value in (reference.value, *reference.also))


def _same_value(reference: float, written: Quantity) -> bool:
    if abs(reference - written.value) <= 1e-6 * max(abs(reference), 1.0):
        return True
    if not written.scaled or written.value == 0:
        return False
    digits = len(f"{written.value:.15g}".replace(".", "").replace("-", "").strip("0"))
    return digits >= 2 and float(f"{reference:.{digits}g}") == written.value


def show(q: Quantity) -> str:
    value = f"{q.value:,.0f}" if q.value == int(q.value) else f"{q.value:,.6g}"  # 1/3 as 0.333333
    plain = q.text.replace(",", "").rstrip("%")
    return q.text if plain == value.replace(",", "") or "(" in q.text else f"{q.text} ({value})"


def unmatched(source: Sequence[Quantity], written: Sequence[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """The source numbers without an English number of their own, and the English numbers left over
    (a maximum matching: each English number stands for one source number)."""
    owner: dict[int, int] = {}  # English index -> source index

    def place(s: int, seen: set[int]) -> bool:
        for w, quantity in enumerate(written):
            if w not in seen and same_number(source[s], quantity):
                seen.add(w)
                if w not in owner or place(owner[w], seen):
                    owner[w] = s
                    return True
        return False

    missing = [q for s, q in enumerate(source) if not place(s, set())]
    return missing, [w for i, w in enumerate(written) if i not in owner]


def missing_numbers(chinese: str, english: str) -> list[Flag]:
    """One flag per Chinese number the English lacks, with the English numbers that match nothing."""
    missing, left = unmatched(zh_quantities(chinese), en_quantities(english))
    if not missing:
        return []
    # number words that are often no number at all (a, half, both) are no evidence of a wrong figure
    others = [w for w in left if w.text not in _EN_OTHER or w.text in ("decade", "century", "dozen")]
    found = ", ".join(dict.fromkeys(show(w) for w in others))
    other = f"; the English has {found}" if found else ""
    return [Flag(Check.NUMBERS, f"{show(q)} is not in the English{other}", show(q), found) for q in missing]


# English words that are seldom a count ("one of the", "for the first time"); 一 alone is never read
_NOT_COUNTS = {*_EN_OTHER, "one", "first"}


def unsupported_numbers(written: Sequence[Quantity], sources: Sequence[Quantity], side: str) -> list[Flag]:
    """Numbers of an abstract that appear nowhere in the article: a figure the model made up."""
    return [Flag(Check.FAITHFULNESS, f"{side} abstract: {show(w)} appears nowhere in the article", "", show(w))
            for w in written if w.text not in _NOT_COUNTS and not any(same_number(s, w) for s in sources)]
