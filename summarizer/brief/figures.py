"""Key figures of a Chinese news text with their units, rendered for English readers.

A figure is a number with a measure word or unit after it (27家, 3.5万人, 12.6%); bare numbers,
dates and years say too little to stand alone in a briefing. The Chinese original is kept beside
the English rendering, so a reader can check it and a unit we do not know is still shown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_FIGURES = 4
SCALES = {"万": 1e4, "亿": 1e8}
# measure words and units -> English; generic counters (个, 张) say nothing alone and are left out
UNITS = {
    "%": "%", "％": "%", "元": "yuan", "美元": "US dollars", "人": "people", "名": "people",
    "人次": "visits", "家": "institutions", "所": "institutions", "项": "items",
    "次": "times", "例": "cases", "台": "machines", "辆": "vehicles", "吨": "tonnes", "公里": "km",
    "平方米": "square metres", "亩": "mu", "岁": "years old", "倍": "times", "年": "years",
    "天": "days", "小时": "hours", "床": "beds",
}
_UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_FIGURE = re.compile(rf"(\d+(?:\.\d+)?)\s*([万亿])?\s*({_UNIT})")


@dataclass(frozen=True)
class Figure:
    english: str  # "35,000 people"
    original: str  # "3.5万人"


def key_figures(*texts: str, limit: int = MAX_FIGURES) -> tuple[Figure, ...]:
    """The first distinct figures of the texts, in order: the abstract first, then the body."""
    found: dict[str, Figure] = {}
    for text in texts:
        for match in _FIGURE.finditer(text):
            figure = _figure(match)
            if figure and figure.original not in found:
                found[figure.original] = figure
            if len(found) == limit:
                return tuple(found.values())
    return tuple(found.values())


def _figure(match: re.Match[str]) -> Figure | None:
    number, scale, unit = match.groups()
    value = float(number) * SCALES.get(scale or "", 1)
    if unit == "年" and value >= 1000:  # 2019年 is a year, not a duration
        return None
    english = UNITS[unit]
    amount = _amount(value)
    rendered = f"{amount}%" if english == "%" else f"{amount} {english}".strip()
    return Figure(rendered, match.group(0).replace(" ", ""))


def _amount(value: float) -> str:
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"{value / size:,.4g} {word}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
