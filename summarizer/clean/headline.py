"""One headline resolver: every signal a page gives votes, and signals that agree win.

Signals: the <title> (the headline plus a site or channel name), og:title, the <h1>/<h2> lines,
and the lines just above the article (a headline sits right above its dateline). A line the
<title> starts with is the headline with the site name cut off at the right place; a <title>
that only names a channel ("新闻动态--某学会") agrees with nothing near the article and loses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..sentences import FULL_STOP
from .lines import han_count, text_units

_SPACE = re.compile(r"\s+")
# "headline - channel _ site": separators that sites put between the headline and their name
_SEPARATOR = re.compile(r"\s*(?:[-_|–—]+|\s[:：·]\s)\s*|\s{2,}")
# a label in brackets before the headline: [组图], 【独家】, [advertiser]; not part of the headline
_LABEL = re.compile(r"^\s*[\[【［〔][^\]】］〕]{1,12}[\]】］〕]\s*(?=\S)")
# a site's own name in its logo <h1> or its bare <title>: short and ending like one
_SITE_NAME = re.compile(r"(网|網|网站|網站|日报|日報|晚报|晚報|频道|頻道|官网|官網|在线|在線|电视台|電視台|门户|門戶|"
                        r"\.com|\.cn|\.net)$", re.I)
_SITE_PENALTY = 4.0  # outweighs the <title> repeating the name
# a photo caption or credit a dump glued after the headline: "某某开幕 图为开幕式现场"
_GLUED_CAPTION = re.compile(r"\s*(?:图为|圖為|图片为|圖片為|图片来源|圖片來源|图[:：/]|圖[:：/]).*$")
_JUNK = re.compile(r"[>›»＞]|^\d+$|^(分享|首页|首頁|当前位置|當前位置|您的位置)")


@dataclass(frozen=True)
class Signals:
    title: str = ""                    # the <title>, as the page has it
    og_title: str | None = None
    headings: tuple[str, ...] = ()     # <h1>/<h2> texts, in page order
    above: tuple[str, ...] = ()        # headline-like lines above the article, nearest last
    above_dateline: str | None = None  # the line right above the article's date/source lines


def resolve(signals: Signals) -> str | None:
    """The best-supported headline, without a leading bracket label; None when the page states none."""
    best = max(_candidates(signals), key=lambda c: c[0], default=None)
    if best is None or best[0] <= 0:
        return None
    head = _LABEL.sub("", best[1]).strip() or best[1]
    cut = _GLUED_CAPTION.sub("", head)
    return cut if text_units(cut) >= 4 else head


def _candidates(signals: Signals) -> list[tuple[float, str]]:
    title, og = _key(signals.title), _key(signals.og_title or "")
    out: list[tuple[float, str]] = []
    # the first heading and the nearest line above the article come first among equals
    lines = [(text, 1.0 - pos * 0.01) for pos, text in enumerate(signals.headings)]
    lines += [(text, 0.5 + pos * 0.01) for pos, text in enumerate(signals.above)]
    if signals.above_dateline:
        lines.append((signals.above_dateline, 2.0))
    for text, base in lines:
        key = _key(text)
        agreement = _agreement(key, title) + _agreement(key, og)
        # a short name (an encyclopedia entry) counts only when the <title> or og:title repeats it
        if plausible(text, 2 if agreement >= 3 else 4):
            out.append((base + agreement - _site_name(text), text))
    if og and plausible(signals.og_title or ""):
        og_head = _strip_site(signals.og_title or "")
        out.append((1.5 + _agreement(og, title) - _site_name(og_head), og_head))
    head = _strip_site(signals.title)
    if plausible(head):
        out.append((1.0 - _site_name(head), head))
    return out


def _site_name(text: str) -> float:
    return _SITE_PENALTY if text_units(text) <= 10 and _SITE_NAME.search(text.strip()) else 0.0


def _agreement(key: str, other: str) -> float:
    """How strongly another signal repeats a candidate: starting it counts most; a signal cut
    short (an og:title truncated at a quote mark) still agrees with the line it starts."""
    if not other or not key:
        return 0.0
    if other.startswith(key) or (len(other) >= 6 and key.startswith(other)):
        return 3.0
    return 2.0 if key in other else 0.0


def _strip_site(title: str) -> str:
    """The <title> up to its first separator, when what is left still reads as a headline."""
    parts = [p for p in _SEPARATOR.split(title.strip()) if p]
    if not parts:
        return ""
    head = parts[0]
    for part in parts[1:]:  # a separator inside the headline itself: keep going while parts are long
        if han_count(head) >= 6:
            break
        head = f"{head} {part}"
    return head.strip()


def plausible(text: str, min_units: int = 4) -> bool:
    """Reads as a headline: a few words to a long line, no sentence break, not navigation."""
    units = text_units(text)
    return min_units <= units <= 70 and FULL_STOP not in text and not text.endswith(("：", ":")) \
        and not _JUNK.search(text)


def _key(text: str) -> str:
    return _LABEL.sub("", _SPACE.sub("", text))
