"""`summarizer view`: one article side by side (original | English, flags inline) or the list of all.

Reads the store only. rich measures CJK as two cells, so the columns line up at any width; piped
to a file the console writes plain text (rich drops styles when it is not a terminal).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..qa import CHECKS, Flag
from ..store.current import CurrentArticle, Shown, current
from ..store.db import Store
from ..store.keys import paragraph_index, paragraph_unit
from ..store.review import FlagCount, ParagraphReview, ReviewState, flag_counts, flags_for, review_state
from ..store.search import Hit
from ..types import UnitName
from ..words import plural
from .article import damage_table, header_grid, repairs_table  # the clean view's pieces, so both read alike

STATUS_STYLE = {"approved": "green", "flagged": "bold red", "in_review": "yellow", "unreviewed": "dim"}
NARROW = 100  # columns under which the views stack Chinese over English instead of side by side


def unit_label(unit: str) -> str:
    """A unit as readers name it: paragraphs from 1 (¶1), the title and abstract by name."""
    index = paragraph_index(unit)
    return unit if index is None else f"¶{index + 1}"


@dataclass(frozen=True)
class ArticleView:
    """Everything `view` shows of one article, read from the store in one go."""

    shown: CurrentArticle
    flags: dict[str, tuple[Flag, ...]]
    review: ReviewState

    @classmethod
    def load(cls, store: Store, article_id: str) -> ArticleView:
        article = store.article(article_id)
        return cls(current(store, article), flags_for(store, article_id), review_state(store, article_id))


def labels(shown: Shown, flags: tuple[Flag, ...], review: ParagraphReview | None = None) -> list[str]:
    """Short words for what a result is: pending, failed, extractive, chunked, edited, flagged..."""
    out = [] if shown.status in ("done", "edited") else [shown.status]
    result = shown.result.result if shown.result else None
    if result and result.method == "extractive":
        out.append("extractive")
    if result and result.chunks > 1:
        out.append(f"chunked ×{result.chunks}")
    if shown.edit is not None:
        out.append("edited")
    if flags:
        out.append(f"{len(flags)} flag{'s' * (len(flags) > 1)}")
    if review is not None and review.status != "unreviewed":
        out.append(review.status)
    return out


def ordered(flags: tuple[Flag, ...]) -> list[Flag]:
    """Flags in the order of the checks, as every view lists them."""
    return sorted(flags, key=lambda f: CHECKS.index(f.check))


def flag_text(flags: tuple[Flag, ...]) -> Text:
    text = Text()
    for flag in ordered(flags):
        text.append(f"\n⚑ {flag.check}: ", style="bold red")
        text.append(flag.detail, style="red")
    return text


def english_cell(shown: Shown, flags: tuple[Flag, ...], review: ParagraphReview | None = None) -> Text:
    words = labels(shown, flags, review)
    text = Text(f"[{', '.join(words)}] " if words else "", style="italic yellow")
    english = shown.english
    if english is None:
        # a pending unit's reason is the same missing model for every paragraph: said once, in the header
        failed = shown.status == "failed" and shown.result is not None
        text.append(shown.result.result.reason or "failed" if failed else "not translated yet", style="dim")
    else:
        text.append(english)
    if review is not None and review.note:
        text.append(f"\nnote: {review.note}", style="yellow")
    return text + flag_text(flags)


def render_view(console: Console, view: ArticleView, *, simplified: bool = False) -> None:
    article = view.shown.article
    console.print(Panel(Group(_title_en(view), Text(""), header_grid(article),
                              Text(f"source  {article.source.path}", style="dim")),
                        title=Text(article.title or "(no headline found)", style="bold"),
                        subtitle=Text(view.review.status, style=STATUS_STYLE[view.review.status])))
    if article.repairs:
        console.print(repairs_table(article))
    if article.damage:
        console.print(damage_table(article))
    stacked = console.width < NARROW
    console.print(_abstracts(view, stacked))
    console.print(_paragraphs(view, simplified, stacked))


def _title_en(view: ArticleView) -> Text:
    title = view.shown.title
    text = Text("English  ", style="dim") + english_cell(title, view.flags.get(UnitName.TITLE, ()))
    if title.status == "pending" and title.result is not None and title.result.result.reason:
        text.append(f"\n{title.result.result.reason}", style="dim")
    return text


def pair_table(stacked: bool, chinese: str, *, numbered: bool = False, title: str | None = None) -> Table:
    """Chinese beside English, or (stacked, on narrow terminals) English under its Chinese in one column."""
    table = Table(title=title, title_justify="left", expand=True, show_lines=True)
    if numbered:
        table.add_column("#", justify="right", style="dim", no_wrap=True)
    if stacked:
        table.add_column(f"{chinese} / English", ratio=1, overflow="fold")
    else:
        table.add_column(chinese, ratio=1, overflow="fold")
        table.add_column("English", ratio=1, overflow="fold")
    return table


def pair_cells(stacked: bool, zh: Text, en: Text) -> tuple[Text, ...]:
    return (Text.assemble(zh, "\n", Text("→ ", style="dim"), en),) if stacked else (zh, en)


def _abstracts(view: ArticleView, stacked: bool) -> Table:
    table = pair_table(stacked, "Chinese", title="Abstract")
    abstract = view.shown.abstract
    zh = Text(view.shown.abstract_zh or (abstract.result.reason if abstract else None) or "not written yet")
    if abstract is not None and abstract.result.method == "extractive":
        zh = Text("[extractive] ", style="italic yellow") + zh
    en = english_cell(view.shown.abstract_en, view.flags.get(UnitName.ABSTRACT, ()))
    table.add_row(*pair_cells(stacked, zh, en))
    return table


def _paragraphs(view: ArticleView, simplified: bool, stacked: bool) -> Table:
    table = pair_table(stacked, "Simplified" if simplified else "Original", numbered=True)
    article = view.shown.article
    texts = article.simplified_paragraphs if simplified else article.paragraphs
    damaged: dict[int, list[str]] = {}
    for item in article.damage:
        damaged.setdefault(item.paragraph, []).append(item.text)
    for index, (original, shown) in enumerate(zip(texts, view.shown.paragraphs)):
        source = Text(original)
        source.highlight_words(damaged.get(index, []), style="bold white on red")
        flags = view.flags.get(paragraph_unit(index), ())
        english = english_cell(shown, flags, view.review.paragraphs.get(index))
        table.add_row(str(index + 1), *pair_cells(stacked, source, english))
    return table


@dataclass(frozen=True)
class ListRow:
    id: str
    title: str | None
    title_en: str | None
    date: str | None
    outlet: str | None
    status: str
    flags: int


def list_rows(store: Store) -> list[ListRow]:
    counts = flag_counts(store)
    return [ListRow(a.id, a.title, current(store, a).title.english, a.date, a.outlet,
                    review_state(store, a.id).status, counts.get(a.id, 0)) for a in store.articles()]


def render_list(console: Console, rows: list[ListRow]) -> None:
    if console.width < NARROW:
        console.print(_narrow_list(rows))
        return
    table = Table(title=plural(len(rows), "article"), title_justify="left", expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("title", ratio=1, overflow="fold")
    table.add_column("date", no_wrap=True)
    table.add_column("outlet", overflow="fold")
    table.add_column("review", no_wrap=True)
    table.add_column("flags", justify="right", no_wrap=True)
    for row in rows:
        title = Text(row.title or "—") + Text(f"\n{row.title_en or '(not translated yet)'}", style="dim")
        table.add_row(row.id[:8], title, row.date or "—", row.outlet or "—",
                      Text(row.status, style=STATUS_STYLE[row.status]), str(row.flags) if row.flags else "")
    console.print(table)


def render_flag_summary(console: Console, counts: list[FlagCount]) -> None:
    """Flags by check: open, dismissed as false alarms, and the share of them reviewers dismissed."""
    table = Table(title="quality flags by check", title_justify="left")
    table.add_column("check", no_wrap=True)
    for name in ("open", "dismissed", "false alarms"):
        table.add_column(name, justify="right", no_wrap=True)
    for c in counts:
        rate = f"{c.false_alarm_rate:.0%}" if c.open + c.dismissed else "—"
        table.add_row(str(c.check), str(c.open), str(c.dismissed), rate)
    console.print(table)


def _narrow_list(rows: list[ListRow]) -> Table:
    """One article a few lines: headline, English headline, then id, date and outlet; review beside."""
    table = Table(title=plural(len(rows), "article"), title_justify="left", expand=True)
    table.add_column("article", ratio=1, overflow="fold")
    table.add_column("review", no_wrap=True)
    for row in rows:
        where = f"{row.id[:8]}  {row.date or 'undated'}  {row.outlet or ''}".rstrip()
        article = Text.assemble(row.title or "—", "\n", (row.title_en or "(not translated yet)", "dim"),
                                "\n", (where, "dim"))
        review = Text(row.status, style=STATUS_STYLE[row.status])
        if row.flags:
            review.append(f"\n⚑ {row.flags}", style="red")
        table.add_row(article, review)
    return table


SNIPPET = 40  # characters shown on each side of a match


def snippet(text: str, query: str) -> str:
    """The text around the first match, marked with … where it was cut; the whole text when short."""
    at = text.lower().find(query.lower())
    if at < 0:
        return text[:2 * SNIPPET] + ("…" if len(text) > 2 * SNIPPET else "")
    start, end = max(0, at - SNIPPET), min(len(text), at + len(query) + SNIPPET)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def render_hits(console: Console, hits: list[Hit], query: str) -> None:
    """Search matches grouped by article: the headline once, then each unit's Chinese and English
    with the query highlighted (English case-insensitively)."""
    # a grid, not one Text a line: CJK has no spaces, so a label in the same Text would be wrapped alone
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    article = None
    for hit in hits:
        if hit.article_id != article:
            article = hit.article_id
            grid.add_row(hit.article_id[:8], Text(hit.title or "(no headline)", style="bold"))
        for label, text in ((unit_label(hit.unit), hit.zh), ("", hit.en)):
            if text:
                line = Text(snippet(" ".join(text.split()), query))
                line.highlight_words([query], "bold black on yellow", case_sensitive=False)
                grid.add_row(f"  {label}", line)
    console.print(grid)


def view_json(view: ArticleView) -> dict[str, Any]:
    """The article as scripts read it: every unit with its English, status, labels, flags and review."""
    def unit(shown: Shown, review: ParagraphReview | None = None) -> dict[str, Any]:
        flags = view.flags.get(shown.unit, ())
        return {"unit": shown.unit, "source": shown.source, "english": shown.english, "status": shown.status,
                "labels": labels(shown, flags),
                "flags": [{"check": f.check, "detail": f.detail, "expected": f.expected, "found": f.found}
                          for f in flags],
                "review": review.status if review else None, "note": review.note if review else None}

    article = view.shown.article
    return {
        "id": article.id, "title": article.title, "date": article.date, "outlet": article.outlet,
        "author": article.author, "source": article.source.path, "encoding": article.source.encoding,
        "script": article.script, "review": view.review.status, "abstract_zh": view.shown.abstract_zh,
        "title_en": unit(view.shown.title), "abstract_en": unit(view.shown.abstract_en),
        "paragraphs": [dict(unit(shown, view.review.paragraphs.get(i)), original=original)
                       for i, (original, shown) in enumerate(zip(article.paragraphs, view.shown.paragraphs))],
    }
