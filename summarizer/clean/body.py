"""Find the article in a page's classified lines: the run of lines with the most prose, never
crossing a notice, a related-news list or the replies, then keep its text lines and repair what
is glued inside them."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..cjk import UNIFIED
from ..sentences import ASCII_EXCLAIM_ASK, CLOSERS, ENDS, EXCLAIM_ASK, FULL_STOP
from .layout import Line
from .lines import SPAM_WORDS, Kind, is_dateline, spam_hits, text_units
from .repairs import RepairLog

# What a line adds to a candidate article span: prose pulls the span over it, a short line
# between prose (a subheading, a caption) costs little, runs of menu items cost a lot.
_WEIGHT = {Kind.SHORT: -4, Kind.END: 2, Kind.META: -3, Kind.CAPTION: -2, Kind.NOISE: -8, Kind.SPAM: -40}
_MIN_ARTICLE = 15  # prose units below which a page states no article (a notice, a menu item that reads like one)
_LEAD_REACH = 2  # lines above the article searched for a lead set apart
_MIN_POST = 50  # prose a post before the replies needs to be the article
_GAP = 4        # lines (its date, counters, a divider) between a post and the first reply
_LEAD_IN_UNITS = 12  # an address or lead-in line, not an editor's note introducing the text
_KEEP = {Kind.PROSE, Kind.SHORT, Kind.END}

_SPAM_INLINE = re.compile(
    f"[{UNIFIED}]{{0,2}}(?:" + "|".join(map(re.escape, SPAM_WORDS)) + f")[{UNIFIED}A-Za-z]{{0,6}}?"
    r"(?:网址|網址|官网|官網|平台|登入|注册|註冊|开户|開戶)[：:，,]?", re.I)
# promotion pasted into article text by spam sites, whatever the brand:
#   a bracketed tag naming an app, site or mirror link: 【某某体育app】, 【某某网站】
#   a mirror-link token, Latin letters and digits then a name: js333某某线路
#   a bare domain between two hanzi, with no word introducing it (登录/访问/网址 … www.x.cn is kept)
_PROMO = re.compile(
    r"[【\[][^】\]\s]{1,10}?(?:app|APP|App|官网|官網|网站|網站|线路|線路|平台|入口|登录|登錄|娱乐|娛樂)[】\]]"
    r"|[A-Za-z]{1,6}\d{2,6}" f"[{UNIFIED}]{{0,4}}?" r"(?:线路|線路|网址|網址|官网|官網|娱乐|娛樂|入口)"
    f"|(?<=[{UNIFIED}])" r"(?<!登录|登錄|访问|訪問|网址|網址|官网|官網|网站|網站|登陆|登陸|浏览|瀏覽|进入|進入|打开|打開|搜索|详见|詳見|参见|參見|请见|請見|查询|查詢|关注|關注|链接|鏈接)"
    r"(?:https?://)?www\.[a-z0-9-]+(?:\.[a-z]{2,6}){1,2}" f"(?=[{UNIFIED}，。；、])")
# an interview's speaker label: the question it opens is text, not a headline
_SPEAKER = re.compile(r"^(记者|記者|问|問|答|主持人|Q|A)\s*[:：]", re.I)
_GLUED_CAPTION = re.compile(f"(?<=[{ENDS}{CLOSERS}])" r"\s*(?:图为|圖為|图片为|圖片為).{0,120}?[摄攝]$")
_EDIT_LINK = re.compile(r"\s*\[\s*(?:编辑|編輯|编辑源代码|編輯原始碼|edit|edit source)\s*\]$", re.I)
_EDITORIAL = re.compile(r"\s*[（(](?:文章|本文|原文)?(?:有删改|有刪改|有删节|有刪節|略有删节|略有刪節|有改动|有改動)[)）]$")


@dataclass(frozen=True)
class Body:
    lines: tuple[Line, ...]      # kept article lines, in order
    start: int                   # index of the first line of the span
    end: int                     # index one past the last line of the span


def find_body(lines: list[Line]) -> Body | None:
    """Maximum-sum span over line weights (prose counts its length); None when no prose at all.
    Replies answer the article, so a post before the first reply wins over a longer reply."""
    best_span = _best_span(lines)
    post = post_before_replies(lines)
    if best_span is not None and post is not None and best_span[0] > post[1]:
        best_span = post
    if best_span is None:
        return None
    span = _drop_header(lines[best_span[0]:best_span[1]])
    if span:
        span = _drop_top_headline(span, at_top=span[0] is lines[0])
    kept = tuple(line for line in span if line.kind in _KEEP)
    if _prose(kept) < _MIN_ARTICLE:
        return None
    return Body(kept, span[0].index, span[-1].index + 1)


def with_lead(lines: list[Line], body: Body) -> Body:
    """Sites set the lead paragraph in its own element above the body's: a prose line right
    above the article (a dropped label such as "广告" between them at most) belongs to it."""
    above = [line for line in lines if line.index < body.start][-_LEAD_REACH:]
    lead: list[Line] = []
    for line in reversed(above):
        if line.kind is Kind.PROSE and not _headline_like(line):
            lead.insert(0, line)
        elif lead or line.kind not in (Kind.NOISE, Kind.CAPTION):
            break
    if not lead:
        return body
    return Body(tuple(lead) + body.lines, lead[0].index, body.end)


def prose_units(body: Body) -> int:
    return _prose(body.lines)


def _prose(lines) -> int:
    return sum(text_units(line.text) for line in lines if line.kind is Kind.PROSE)


def post_before_replies(lines: list[Line]) -> tuple[int, int] | None:
    """The text right above the first reply header that has a post's worth of prose right above
    it (a sidebar's "Trackbacks (25)" or "最新评论" heading, away from any text, does not count)."""
    for pos, line in enumerate(lines):
        if line.kind is Kind.REPLIES:
            post = _best_span(lines[:pos])
            if post is not None and pos - post[1] <= _GAP and _prose(lines[post[0]:post[1]]) >= _MIN_POST:
                return post
    return None


def _best_span(lines: list[Line]) -> tuple[int, int] | None:
    best, best_span = 0, None
    total, start = 0, 0
    for pos, line in enumerate(lines):
        if line.kind in (Kind.BOUNDARY, Kind.REPLIES):
            total, start = 0, pos + 1
            continue
        total += _weight(line)
        if total <= 0:
            total, start = 0, pos + 1
        elif total > best:
            best, best_span = total, (start, pos + 1)
    return best_span


def _weight(line: Line) -> int:
    if line.kind is Kind.PROSE:
        return text_units(line.text)
    if line.kind is Kind.SHORT and line.text.endswith(("：", ":")) and text_units(line.text) <= _LEAD_IN_UNITS:
        return 1  # a lead-in ("女士们、先生们：") belongs to what follows it
    return _WEIGHT[line.kind]


def _drop_header(span: list[Line]) -> list[Line]:
    """A headline pulled into the span stops at the date/source lines below it."""
    for pos, line in enumerate(span[:4]):
        if line.kind is Kind.META and all(_headline_like(other) for other in span[:pos]):
            return _drop_header(span[pos + 1:])
    return span


def _drop_top_headline(span: list[Line], at_top: bool) -> list[Line]:
    """A page that opens with its article opens with the headline: a short line with no full stop
    above a longer paragraph ("某某能否成功代替某某？" then the story). Further down a page only a
    headline that asks or exclaims reads as a sentence; it is one when a paragraph twice its
    length follows."""
    first = span[0]
    if len(span) < 2 or first.kind is not Kind.PROSE or not _headline_like(first) or span[1].kind is not Kind.PROSE:
        return span
    units, after = text_units(first.text), text_units(span[1].text)
    if at_top and units <= 40 and after > units:
        return span[1:]
    if units <= 30 and first.text.endswith(tuple(EXCLAIM_ASK + ASCII_EXCLAIM_ASK)) and after >= 2 * units \
            and not _SPEAKER.match(first.text):
        return span[1:]
    return span


def _headline_like(line: Line) -> bool:
    if line.kind is not Kind.PROSE:
        return True
    return FULL_STOP not in line.text and text_units(line.text) <= 60 and not is_dateline(line.text)


def strip_inline_spam(text: str, log: RepairLog) -> str:
    """Spam phrases injected inside sentences, removed before lines are judged."""
    text = log.sub("inline-promotion", _PROMO, "", text)
    return log.sub("inline-spam", _SPAM_INLINE, "", text) if spam_hits(text) else text


def repair_line(text: str, log: RepairLog) -> str:
    """Remove what sites glue onto the end of article lines: photo captions, editorial notes,
    a wiki's section-edit link."""
    text = log.sub("glued-caption", _GLUED_CAPTION, "", text)
    text = log.sub("edit-link", _EDIT_LINK, "", text)
    return log.sub("editorial-note", _EDITORIAL, "", text).strip()
