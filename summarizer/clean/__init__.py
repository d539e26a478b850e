"""Raw page -> Article: decode, repair characters, find the article, read its metadata, keep a
Simplified form for the models, and record every repair and every damaged spot.

    collect_inputs(paths) -> (files, errors)   folders expanded, symlinks kept inside their folder
    clean_file(path, settings) -> Article      raises InputError for a file that holds no article
    clean_bytes(data, name, settings) -> Article
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..config import Settings
from ..decode import decode
from ..errors import InputError
from ..types import Article, Source
from .body import Body, find_body, post_before_replies, prose_units, repair_line, strip_inline_spam, with_lead
from .damage import find_damage
from .headline import Signals
from .html import Shape, looks_like_html, parse_html
from .inputs import collect_inputs, path_text
from .layout import Line, classify_lines
from .lines import EXPANDER, Kind, han_count
from .metadata import read_metadata
from .normalize import normalize
from .pinyin import strip_glosses
from .repairs import RepairLog
from .script import detect_script, to_simplified

__all__ = ["clean_bytes", "clean_file", "collect_inputs", "path_text"]

_MARGIN = 20
_OUTSIDE = 2     # how much more prose outside the marked-up container overrules it,
_SUMMARY_CHARS = 30  # a repeat shorter than this may be a refrain or a quote said twice
_TOO_SHORT = 60  # when the container holds less than a paragraph (a reply under a forum post)
_SPACE = re.compile(r"\s+")
# a script or style block left inside a text dump's paragraph: code, never text (never run either)
_INLINE_SCRIPT = re.compile(r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z]")
_DROPPED = {Kind.CAPTION: "removed-caption", Kind.META: "removed-byline-or-dateline",
            Kind.SPAM: "removed-spam-line", Kind.NOISE: "removed-page-furniture"}


def clean_file(path: Path, settings: Settings) -> Article:
    """Check the file before reading it all: a regular file, within the size limit."""
    if not path.is_file():
        what = "a folder" if path.is_dir() else "not a regular file" if path.exists() else "not found"
        raise InputError(str(path), what, "give summarizer saved page files (a folder is expanded)")
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise InputError(str(path), f"too large ({size:,} bytes; the limit is {settings.max_file_bytes:,})",
                         "raise input.max_file_bytes in config.toml if this really is one article")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})", "check its permissions") from exc
    return clean_bytes(data, path_text(path), settings)


def clean_bytes(data: bytes, name: str, settings: Settings) -> Article:
    decoded = decode(data, name)
    log = RepairLog()
    for kind, count, example in decoded.repaired:
        log.add(kind, example, count)
    text = normalize(decoded.text, log)
    is_html = looks_like_html(text)
    lines, shapes, signals, window = _page_lines(text, is_html, log)
    lines = [strip_inline_spam(strip_glosses(line, log), log) for line in lines]
    classified, body = _article(lines, shapes, window)
    if body is None:
        raise InputError(name, "no article body found (only navigation, lists or notices)",
                         "check that the page was saved after the article loaded")
    _log_dropped(classified, body, log)
    paragraphs = _without_summary([p for p in (repair_line(line.text, log) for line in body.lines) if p], log)
    meta = read_metadata(classified, body, signals)
    if meta.title and paragraphs and _SPACE.sub("", paragraphs[0]) == _SPACE.sub("", meta.title):
        paragraphs = paragraphs[1:]  # a headline that reads like a sentence ("…何时停？") pulled into the span
    source = Source(path=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                    encoding=decoded.encoding, format="html" if is_html else "text")
    language = _language(paragraphs, settings.min_cjk_ratio)
    warnings = list(decoded.notes)
    if language != "zh":
        warnings.append(f"not Chinese (looks like {language}): processed, but the models expect Chinese")
    return Article(
        source=source, title=meta.title, date=meta.date, outlet=meta.outlet, author=meta.author,
        script=detect_script(paragraphs), language=language, paragraphs=tuple(paragraphs),
        simplified_title=to_simplified(meta.title) if meta.title else None,
        simplified_paragraphs=tuple(to_simplified(p) for p in paragraphs),
        repairs=log.records(), damage=find_damage(paragraphs, meta.title), warnings=tuple(warnings),
    )


def _article(lines: list[str], shapes: tuple[Shape, ...], window: tuple[int, int]) -> tuple[list[Line], Body | None]:
    """The article inside the window the markup points at (the element holding most <p> text);
    the whole page when that holds no paragraph's worth and far more prose stands outside it,
    or when it sits below a reply header: a forum's first post or a blog set in tables, with
    only the replies in <p>."""
    window = _unfold(lines, window)
    classified = classify_lines(lines, shapes, window[0] - _MARGIN, window[1] + _MARGIN)
    body = find_body([line for line in classified if window[0] <= line.index < window[1]])
    post = post_before_replies(classified)
    in_replies = post is not None and body is not None and classified[post[1] - 1].index < body.start
    if window == (0, len(lines)) or (body is not None and prose_units(body) >= _TOO_SHORT and not in_replies):
        return classified, with_lead(classified, body) if body else body
    everything = classify_lines(lines, shapes)
    wider = find_body(everything)
    if wider is not None and (body is None or in_replies or prose_units(wider) > _OUTSIDE * prose_units(body)):
        return everything, wider
    return classified, body


def _unfold(lines: list[str], window: tuple[int, int]) -> tuple[int, int]:
    """A portal that folds its article behind "展开全文" puts the two halves in two elements:
    the window takes in the half across the button."""
    start, end = window
    before = [i for i in range(max(0, start - 3), start) if EXPANDER.match(lines[i])]
    after = [i for i in range(end, min(len(lines), end + 3)) if EXPANDER.match(lines[i])]
    return (max(0, before[0] - _MARGIN) if before else start, min(len(lines), after[-1] + _MARGIN) if after else end)


def _page_lines(text: str, is_html: bool, log: RepairLog) -> tuple[list[str], tuple[Shape, ...], Signals, tuple[int, int]]:
    """Lines of the page, their shapes, its headline signals, and the window where the article is looked for."""
    if not is_html:
        text = log.sub("inline-script", _INLINE_SCRIPT, "", text)
        lines = [line.strip(" \t\u3000") for line in text.split("\n")]
        return lines, (), Signals(), (0, len(lines))
    page = parse_html(text)
    lines = list(page.lines)
    # <h1>s before <h2>s, each in page order: the resolver prefers earlier headings among equals
    headings = tuple(line for level in (1, 2) for line, shape in zip(lines, page.shapes) if shape.heading == level)
    return lines, page.shapes, Signals(page.title, page.og_title, headings), page.container or (0, len(lines))


def _without_summary(paragraphs: list[str], log: RepairLog) -> list[str]:
    """A summary box opening the text repeats the paragraphs below it word for word, across more
    than one of them (sites fill it from the body): said twice, it goes; the text in place stays.
    A quote or refrain repeated inside one paragraph is the author's and is kept."""
    keys = [_SPACE.sub("", p) for p in paragraphs]
    if len(keys) < 3 or len(keys[0]) < _SUMMARY_CHARS or any(keys[0] in key for key in keys[1:]):
        return paragraphs
    if keys[0] in "".join(keys[1:]):
        log.add("repeated-summary", paragraphs[0])
        return paragraphs[1:]
    return paragraphs


def _log_dropped(classified: list[Line], body: Body, log: RepairLog) -> None:
    for line in classified:
        if body.start <= line.index < body.end and line.kind in _DROPPED:
            log.add(_DROPPED[line.kind], line.text)


def _language(paragraphs: list[str], min_cjk_ratio: float) -> str:
    """zh, ja (kana among the hanzi), ko, en (Latin letters), or und; a letter-share test, not a model."""
    text = "".join(paragraphs)
    han, kana = han_count(text), len(_KANA.findall(text))
    hangul, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
    if kana >= 0.1 * (han + kana) and kana:
        return "ja"
    if hangul > han:
        return "ko"
    # a Latin word is worth about one hanzi: compare units of meaning, not letters
    if han and han / (han + latin / 5) >= min_cjk_ratio:
        return "zh"
    return "en" if latin else "und"
