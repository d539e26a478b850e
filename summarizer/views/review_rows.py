"""What the review screen is made of: the worker messages, one row per unit (original | English with
its flags) and the search highlight on it."""
from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from ..types import UnitName
from .viewer import ArticleView, ListRow, english_cell, unit_label

MATCH = "bold black on yellow"  # a search's matches on screen


class ArticleLoaded(Message):
    def __init__(self, view: ArticleView) -> None:
        super().__init__()
        self.view = view


class ListLoaded(Message):
    def __init__(self, rows: list[ListRow]) -> None:
        super().__init__()
        self.rows = rows


@dataclass(frozen=True)
class Row:
    """One unit on screen: its name, the original and Simplified Chinese, and what to show beside them."""

    unit: str
    original: str
    simplified: str
    english: Text
    flagged: bool


def rows_of(view: ArticleView) -> list[Row]:
    shown, article = view.shown, view.shown.article
    title, abstract = view.flags.get(UnitName.TITLE, ()), view.flags.get(UnitName.ABSTRACT, ())
    rows = [Row(UnitName.TITLE, article.title or "", article.simplified_title or "",
                english_cell(shown.title, title), bool(title)),
            Row(UnitName.ABSTRACT, shown.abstract_zh or "", shown.abstract_zh or "",
                english_cell(shown.abstract_en, abstract), bool(abstract))]
    for i, (original, simplified, unit) in enumerate(zip(article.paragraphs, article.simplified_paragraphs,
                                                         shown.paragraphs)):
        review = view.review.paragraphs.get(i)
        flags = view.flags.get(unit.unit, ())
        rows.append(Row(unit.unit, original, simplified, english_cell(unit, flags, review),
                        bool(flags) or (review is not None and review.status == "flagged")))
    return rows


def mark(text: Text, query: str, searched: str) -> None:
    """Highlight each place of `query` in `searched` (case-insensitive) on `text`: the same string,
    or the Simplified twin of a Traditional text, whose characters convert one for one at the same
    offsets (a conversion that changed the length is left unmarked rather than marked wrongly)."""
    if len(searched) != len(text.plain):
        return
    haystack, needle = searched.lower(), query.lower()
    start = haystack.find(needle)
    while start >= 0:
        text.stylize(MATCH, start, start + len(needle))
        start = haystack.find(needle, start + 1)


class UnitRow(Horizontal):
    def __init__(self, row: Row, simplified: bool, query: str | None) -> None:
        super().__init__(classes="unit")
        self.row = row
        self.simplified = simplified
        self.match = query

    def compose(self) -> ComposeResult:
        zh = Text(self.row.simplified if self.simplified else self.row.original)
        english = self.row.english.copy()
        if self.match:  # the search's matches stand out where they are
            mark(zh, self.match, self.row.simplified)
            mark(english, self.match, english.plain)
        yield Static(unit_label(self.row.unit), classes="name")
        yield Static(zh, classes="zh")
        yield Static(english, classes="en")
