"""HTML page -> lines of visible text with their shape, the headline signals, and the article container.

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
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")
_CENTER = re.compile(r"text-align\s*:\s*center", re.I)


@dataclass(frozen=True)
class Shape:
    """How a line sat in the page: what its text alone cannot tell."""
    links: float = 0.0          # share of its characters inside <a>: menus and related lists are links
    after_image: bool = False   # an <img>, or an emptied centred slot, stands right above it: a caption
    centered: bool = False      # inside <center> or text-align:center, as captions often are
    heading: int = 0            # N inside <hN>, else 0


@dataclass(frozen=True)
class HtmlPage:
    lines: tuple[str, ...]             # all visible text, one block per line
    shapes: tuple[Shape, ...]          # one per line
    title: str                         # the <title>, site name and all
    og_title: str | None               # <meta property="og:title">
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


def _centered(attrib) -> bool:
    style = attrib.get("style") or ""
    return (attrib.get("align") or "").lower() == "center" or ("center" in style and bool(_CENTER.search(style)))


@dataclass
class _Collector:
    """lxml parser target: numbers elements in document order so an element's blocks are a range."""

    serial: int = 0
    skip: int = 0
    buffer: list[str] = field(default_factory=list)
    blocks: list[tuple[int, str, Shape]] = field(default_factory=list)
    # tag, serial, text length at start, centred
    stack: list[tuple[str, int, int, bool]] = field(default_factory=list)
    ends: dict[int, int] = field(default_factory=dict)
    p_text: dict[int, int] = field(default_factory=dict)
    chars: int = 0
    link_chars: int = 0       # of the buffered line
    centered_chars: int = 0   # of the buffered line
    heading: int = 0          # of the buffered line
    open_links: int = 0       # <a> elements open now
    open_centered: int = 0    # centred elements open now
    open_headings: list[int] = field(default_factory=list)  # levels of the <hN> open now
    image: bool = False       # an image since the last line
    title: list[str] = field(default_factory=list)
    og_title: str | None = None

    def start(self, tag, attrib) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        self.serial += 1
        if self.skip or tag in _DROP:
            self.skip += 1
            return
        if tag in _BLOCK:
            self._flush()
        if tag == "img":
            self.image = True
        elif tag == "meta" and attrib.get("property", attrib.get("name", "")).lower() == "og:title":
            self.og_title = _SPACE.sub(" ", attrib.get("content", "")).strip() or None
        centered = tag == "center" or (bool(attrib) and _centered(attrib))
        if centered or tag == "a" or tag in _HEADINGS:
            self._count(tag, centered, 1)
        self.stack.append((tag, self.serial, self.chars, centered))

    def end(self, tag) -> None:
        if self.skip:
            self.skip -= 1
            return
        if not self.stack:
            return
        tag, serial, chars_at_start, centered = self.stack.pop()
        if centered or tag == "a" or tag in _HEADINGS:
            self._count(tag, centered, -1)
        if tag in _BLOCK:
            self._flush()
        # a centred block left empty once held an image the saved page lost
        self.image = self.image or (centered and self.chars == chars_at_start)
        self.ends[serial] = self.serial
        if tag == "p" and self.stack:
            parent = self.stack[-1][1]
            self.p_text[parent] = self.p_text.get(parent, 0) + self.chars - chars_at_start

    def data(self, text: str) -> None:
        if self.skip:
            return
        if self.stack and self.stack[-1][0] == "title":
            self.title.append(text)
            return
        self.buffer.append(text)
        visible = len(_SPACE.sub("", text))
        self.chars += visible
        if self.open_links:
            self.link_chars += visible
        if self.open_centered:
            self.centered_chars += visible
        if visible and not self.heading and self.open_headings:
            self.heading = self.open_headings[0]

    def _count(self, tag: str, centered: bool, step: int) -> None:
        """Keep counts of open links, centred elements and headings, so text needs no walk up the stack."""
        self.open_links += step if tag == "a" else 0
        self.open_centered += step if centered else 0
        if tag in _HEADINGS:
            if step > 0:
                self.open_headings.append(int(tag[1]))
            elif self.open_headings:
                self.open_headings.pop()

    def close(self) -> None:
        self._flush()

    def _flush(self) -> None:
        line = _SPACE.sub(" ", "".join(self.buffer)).strip()
        self.buffer.clear()
        if line:
            visible = max(1, len(line) - line.count(" "))
            shape = Shape(self.link_chars / visible, self.image, self.centered_chars * 2 > visible, self.heading)
            self.blocks.append((self.serial, line, shape))
            self.image = False
        self.link_chars = self.centered_chars = self.heading = 0

    def page(self) -> HtmlPage:
        self._flush()
        return HtmlPage(tuple(line for _, line, _ in self.blocks), tuple(shape for _, _, shape in self.blocks),
                        _SPACE.sub(" ", "".join(self.title)).strip(), self.og_title, self._container())

    def _container(self) -> tuple[int, int] | None:
        """The element whose direct <p> children hold the most text: the article body on most sites."""
        if not self.p_text:
            return None
        best = max(self.p_text, key=self.p_text.get)
        if self.p_text[best] < 150:
            return None
        last = self.ends.get(best, self.serial)
        inside = [i for i, (serial, _, _) in enumerate(self.blocks) if best <= serial <= last]
        return (inside[0], inside[-1] + 1) if inside else None
