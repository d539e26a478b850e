"""HTML page -> lines of visible text, the page's headline, and the lines of its article container.

lxml's parser feeds events to a collector instead of building a tree: a page nested thousands of
levels deep neither hits a recursion limit nor loses its text. Scripts, styles, forms and other
invisible parts never reach the text, and attributes (event handlers included) are never read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_HTML_SIGNS = re.compile(r"<\s*(!doctype\s+html|html|head|body|meta|div|p|br|table|script|title|span|a)\b", re.I)
_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
         "select", "button", "textarea", "nav", "aside", "footer", "video", "audio", "math"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
          "section", "article", "header", "blockquote", "pre", "dd", "dt", "dl", "figure", "figcaption",
          "center", "hr", "main", "address", "tbody", "thead", "caption", "title", "body", "html", "head"}
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")
_SITE_SUFFIX = re.compile(r"\s*[-_|–—]+\s*[^-_|–—]{1,24}$")


@dataclass(frozen=True)
class HtmlPage:
    lines: tuple[str, ...]             # all visible text, one block per line
    headline: str | None               # <h1>, else <title> without the site name
    container: tuple[int, int] | None  # [start, end) of `lines` inside the element holding most <p> text


def looks_like_html(text: str) -> bool:
    """Told by content, not by the file suffix: a few tags near the top."""
    return len(_HTML_SIGNS.findall(text[:8192])) >= 3


def parse_html(text: str) -> HtmlPage:
    from lxml import etree

    collector = _Collector()
    parser = etree.HTMLParser(target=collector, huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        etree.fromstring(text, parser)
    except etree.LxmlError:
        pass  # the parser recovers what it can; whatever the collector got is the page
    return collector.page()


@dataclass
class _Collector:
    """lxml parser target: numbers elements in document order so an element's blocks are a range."""

    serial: int = 0
    skip: int = 0
    buffer: list[str] = field(default_factory=list)
    blocks: list[tuple[int, str]] = field(default_factory=list)
    stack: list[tuple[str, int, int]] = field(default_factory=list)  # tag, serial, text length at start
    ends: dict[int, int] = field(default_factory=dict)
    p_text: dict[int, int] = field(default_factory=dict)
    chars: int = 0
    h1: list[list[str]] = field(default_factory=list)
    title: list[str] = field(default_factory=list)

    def start(self, tag, attrib) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        self.serial += 1
        if self.skip or tag in _DROP:
            self.skip += 1
            return
        if tag in _BLOCK:
            self._flush()
        if tag == "h1":
            self.h1.append([])
        self.stack.append((tag, self.serial, self.chars))

    def end(self, tag) -> None:
        if self.skip:
            self.skip -= 1
            return
        if not self.stack:
            return
        tag, serial, chars_at_start = self.stack.pop()
        if tag in _BLOCK:
            self._flush()
        self.ends[serial] = self.serial
        if tag == "p" and self.stack:
            parent = self.stack[-1][1]
            self.p_text[parent] = self.p_text.get(parent, 0) + self.chars - chars_at_start

    def data(self, text: str) -> None:
        if self.skip:
            return
        tags = {t for t, _, _ in self.stack[-3:]}
        if "title" in tags:
            self.title.append(text)
            return
        if "h1" in tags and self.h1:
            self.h1[-1].append(text)
        self.buffer.append(text)
        self.chars += len(_SPACE.sub("", text))

    def close(self) -> None:
        self._flush()

    def _flush(self) -> None:
        line = _SPACE.sub(" ", "".join(self.buffer)).strip()
        self.buffer.clear()
        if line:
            self.blocks.append((self.serial, line))

    def page(self) -> HtmlPage:
        self._flush()
        return HtmlPage(tuple(line for _, line in self.blocks), self._headline(), self._container())

    def _headline(self) -> str | None:
        """An <h1> that the <title> repeats; else the <title> without its site name; else the first <h1>.
        Sites often put their logo in an <h1>, and their name after the headline in <title>."""
        title = _SPACE.sub(" ", "".join(self.title)).strip()
        h1s = [h for h in (_SPACE.sub(" ", "".join(parts)).strip() for parts in self.h1) if h]
        for h1 in h1s:
            if h1 in title or _SPACE.sub("", h1) in _SPACE.sub("", title):
                return h1
        stripped = _SITE_SUFFIX.sub("", title)
        if len(stripped) >= 6:
            return stripped
        return h1s[0] if h1s else stripped or None

    def _container(self) -> tuple[int, int] | None:
        """The element whose direct <p> children hold the most text: the article body on most sites."""
        if not self.p_text:
            return None
        best = max(self.p_text, key=self.p_text.get)
        if self.p_text[best] < 150:
            return None
        last = self.ends.get(best, self.serial)
        inside = [i for i, (serial, _) in enumerate(self.blocks) if best <= serial <= last]
        return (inside[0], inside[-1] + 1) if inside else None
