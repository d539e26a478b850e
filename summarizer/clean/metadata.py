"""Title, date, outlet and author, read only from what the page states near its article.

Dates come from the lines between the headline and the article; a related-news list after
the article is never searched, so its dates can never become the article's date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .body import Body
from .headline import Signals, plausible, resolve
from .layout import Line
from .lines import DATE, ROC_DATE, Kind

_ROC_EPOCH = 1911  # 民國1年 is 1912

_HEADER_WINDOW = 8  # lines above the article searched for its headline and dateline
_OUTLET = re.compile(r"(?:来源|來源|转自|轉自|稿源|出处|出處|文章来源|文章來源|新闻来源|新聞來源)\s*[:：]\s*"
                     r"([^\s|｜:：]{2,30}?)(?=\s|$|\d{4}[-/年]|编辑|編輯|作者|记者|記者|责任|責任|[|｜])")
_AUTHOR_PATTERNS = [
    re.compile(r"^(?:作者|撰文|文)\s*[:：]\s*(.{2,20})$"),
    re.compile(r"^(?:记者|記者)\s*[:：]\s*([^，。？！?!,]{2,20})$"),  # not an interviewer's question
    # the Taiwanese byline: 記者王小明／台北報導
    re.compile(r"^(?:记者|記者)\s*([^\s／/]{2,4}(?:[、，,][^\s／/]{2,4})*)\s*[／/]\s*\S{0,8}(?:报导|報導|报道|報道)$"),
    re.compile(r"^[□■●◎]?\s*(?:本报|本報)(?:记者|記者)\s*([^\s文摄攝/]{2,12}(?:[、，,][^\s文摄攝/]{2,4})*)"),
    re.compile(r"^(?:新华社|新華社|中新社|人民日报|人民日報)(?:记者|記者)\s*(.{2,20})$"),
    re.compile(r"[【\[〔（(]\s*(?:本报|本報)?(?:记者|記者)\s*([^】\]〕）)／/]{2,16}?)\s*(?:[／/][^】\]〕）)]*)?[】\]〕）)]"),
    re.compile(r"[电電]\s*[（(]\s*([^\s）)0-9]{2,4}(?:\s+[^\s）)0-9]{2,4}){0,3})\s*[）)]"),
    re.compile(r"[（(][^（(）)]{0,12}(?:记者|記者)\s+([^\s）)]{2,4})[）)]$"),
    # inside a date/source line: "发布时间：… 作者：李明 浏览次数：…"
    re.compile(r"(?:^|\s)作者\s*[:：]\s*([^\s|｜:：，。？！?!]{2,12})(?=\s|$|[|｜])"),
]
_CORRESPONDENT = [
    re.compile(r"^(?:通讯员|通訊員)\s*[:：]\s*(.{2,20})$"),
    re.compile(r"[（(]\s*(?:通讯员|通訊員)\s*([^）)]{2,12}?)\s*[）)]$"),
]


@dataclass(frozen=True)
class Metadata:
    title: str | None
    date: str | None
    outlet: str | None
    author: str | None


def read_metadata(lines: list[Line], body: Body, page: Signals) -> Metadata:
    """`page` holds what the page says outside its lines (<title>, og:title, headings)."""
    header = _header(lines, body)
    title = resolve(_with_header(page, header))
    near = [line for line in lines if body.start - _HEADER_WINDOW <= line.index < body.end + 12]
    search = [line.text for line in near if line.text != title and (
        line.index < body.end or line.kind is Kind.META) and line.kind not in (Kind.BOUNDARY, Kind.REPLIES)]
    return Metadata(title, _date(header), _first(_OUTLET, search), _author(search))


def _header(lines: list[Line], body: Body) -> list[Line]:
    before = [line for line in lines if line.index < body.start]
    return before[-_HEADER_WINDOW:]


def _with_header(page: Signals, header: list[Line]) -> Signals:
    """Add the lines above the article: the nearest text line above its date/source lines first."""
    texts = [line for line in header if line.kind in (Kind.SHORT, Kind.PROSE) and plausible(line.text)]
    metas = [line.index for line in header if line.kind is Kind.META]
    above_dateline = next((line.text for line in reversed(texts) if metas and line.index < metas[-1]), None)
    return Signals(page.title, page.og_title, page.headings, tuple(line.text for line in texts), above_dateline)


def _date(header: list[Line]) -> str | None:
    for line in header:
        match = DATE.search(line.text) or ROC_DATE.search(line.text)
        if match and line.kind in (Kind.META, Kind.SHORT, Kind.NOISE):
            year, month, day = (int(g) for g in match.groups())
            year += _ROC_EPOCH if match.re is ROC_DATE else 0
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _first(pattern: re.Pattern, texts: list[str]) -> str | None:
    for text in texts:
        match = pattern.search(text)
        if match:
            return match.group(1).strip()
    return None


def _author(texts: list[str]) -> str | None:
    """Reporters first; a correspondent only when no reporter is named."""
    for patterns in (_AUTHOR_PATTERNS, _CORRESPONDENT):
        for pattern in patterns:
            found = _first(pattern, texts)
            if found:
                return found.strip(" ：:")
    return None
