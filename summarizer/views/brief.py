"""The English briefing: scope, an overview, then the stories grouped by topic.

Near-duplicate articles (the same event from several outlets) become one item listing all their
sources; items are grouped into topics by their keywords (brief/similarity.py, no model). Each
item is marked when a reader should not take it as checked: unreviewed, abstracted by the
extractive stand-in, or carrying open quality flags. The overview comes from a `condense`
callable (brief/overview.py): views never load models.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from ..brief.figures import Figure, key_figures
from ..brief.overview import Overview
from ..brief.similarity import DUPLICATE, average_link, jaccard, keyword_vectors, link_groups, shingles
from ..config import Settings
from ..errors import SummarizerError
from ..sentences import EN_SENTENCE_BREAK
from ..store.db import Store
from ..words import plural
from .atomic import atomic_file
from .records import ExportRecord, Selection, select_records

SENTENCES = 3  # from each item's English abstract


@dataclass(frozen=True)
class SourceRef:
    outlet: str | None
    date: str | None
    title: str | None  # the Chinese headline, to find the article again
    article_id: str


@dataclass(frozen=True)
class Item:
    headline: str
    sentences: tuple[str, ...]
    figures: tuple[Figure, ...]
    sources: tuple[SourceRef, ...]
    marks: tuple[str, ...]  # reasons to check before relying on it; empty when reviewed and clean


@dataclass(frozen=True)
class Topic:
    items: tuple[Item, ...]  # newest first; grouped by Chinese keywords, which an English reader is not shown


@dataclass(frozen=True)
class Briefing:
    day: str
    selection: Selection
    articles: int
    outlets: tuple[str, ...]
    first_date: str | None
    last_date: str | None
    undated: int
    topics: tuple[Topic, ...]
    overview: Overview | None = None

    @property
    def items(self) -> int:
        return sum(len(t.items) for t in self.topics)


def brief(store: Store, selection: Selection, out: Path, settings: Settings,
          condense: Callable[[str], Overview], today: date | None = None,
          say: Callable[[str], None] = lambda line: None) -> Briefing:
    """Select, group, condense the overview (when there is anything to condense) and write `out`."""
    template = _template(out)  # a wrong suffix fails before any work
    records = select_records(store, selection)
    say(f"grouping {plural(len(records), 'article')} into stories and topics ...")
    briefing = build_briefing(records, selection, today or date.today())
    if briefing.items:
        briefing = replace(briefing, overview=condense(overview_input(briefing)))
    write_briefing(briefing, out, settings, template)
    return briefing


def build_briefing(records: Sequence[ExportRecord], selection: Selection, today: date) -> Briefing:
    dates = sorted(r.article.date[:10] for r in records if r.article.date)
    outlets = tuple(sorted({r.article.outlet for r in records if r.article.outlet}))
    return Briefing(today.isoformat(), selection, len(records), outlets, dates[0] if dates else None,
                    dates[-1] if dates else None, len(records) - len(dates), group(records))


def group(records: Sequence[ExportRecord]) -> tuple[Topic, ...]:
    """Near-duplicates merged into stories, stories clustered into topics, biggest topic first."""
    texts = [_text(r) for r in records]
    grams = [shingles(t) for t in texts]
    stories = link_groups(len(records), lambda i, j: jaccard(grams[i], grams[j]) >= DUPLICATE)
    vectors = keyword_vectors(["\n".join(texts[i] for i in story) for story in stories])
    topics = []
    for members in average_link(vectors):
        items = sorted((item([records[i] for i in stories[m]]) for m in members), key=_newest, reverse=True)
        topics.append(Topic(tuple(items)))
    return tuple(sorted(topics, key=lambda t: -len(t.items)))


def _text(record: ExportRecord) -> str:
    a = record.article
    return "\n".join([a.simplified_title or "", *a.simplified_paragraphs])


def _newest(item: Item) -> str:
    return max((s.date for s in item.sources if s.date), default="")  # undated sorts last


def item(records: Sequence[ExportRecord]) -> Item:
    """One story from one or more articles about it; the best-reviewed, fullest one speaks for all."""
    lead = max(records, key=_authority)
    headline = lead.title_en.text or f"[title not translated] {lead.article.title or lead.article.id}"
    figures = key_figures(lead.abstract_zh.text or "", *lead.article.simplified_paragraphs)
    sources = tuple(SourceRef(r.article.outlet, r.article.date, r.article.title, r.article.id)
                    for r in sorted(records, key=lambda r: r.article.date or ""))
    return Item(headline.replace("\n", " "), _sentences(lead), figures, sources, _marks(records))


def _authority(record: ExportRecord) -> tuple[bool, bool, bool, int]:
    return (record.review == "approved", record.abstract_en.text is not None,
            record.abstract_zh.method == "model", sum(len(p.zh) for p in record.pairs))


def _sentences(record: ExportRecord) -> tuple[str, ...]:
    text = record.abstract_en.text
    if text is None:  # no English abstract yet: the start of the translated body stands in
        text = " ".join(p.en.text for p in record.pairs if p.en.text)
    sentences = [s.strip() for s in EN_SENTENCE_BREAK.split(" ".join(text.split())) if s.strip()]
    return tuple(sentences[:SENTENCES])


def _marks(records: Sequence[ExportRecord]) -> tuple[str, ...]:
    marks = []
    if any(r.review == "flagged" for r in records):
        marks.append("flagged by a reviewer")
    elif any(r.review != "approved" for r in records):
        marks.append("unreviewed")
    if any(r.abstract_zh.method == "extractive" for r in records):
        marks.append("machine-abstracted (extractive)")
    if any(r.abstract_en.text is None for r in records):
        marks.append("no English abstract yet")
    flags = sum(r.open_flags for r in records)
    if flags:
        marks.append(f"{flags} open quality flag{'s' if flags > 1 else ''}")
    return tuple(marks)


def overview_input(briefing: Briefing) -> str:
    """What the briefing model condenses: each item's headline and sentences, one item a line."""
    return "\n".join(" ".join([f"{i.headline}.", *i.sentences]) for t in briefing.topics for i in t.items)


def write_briefing(briefing: Briefing, out: Path, settings: Settings, template: str) -> None:
    from .templates import Templates

    text = Templates(settings).render(template, briefing=briefing)
    with atomic_file(out) as handle:
        handle.write(text)


def _template(out: Path) -> str:
    suffix = out.suffix.lower()
    if suffix not in (".md", ".html"):
        raise SummarizerError(str(out), "a briefing is written as .md or .html", "name a FILE.md or FILE.html")
    return f"briefing{suffix}"
