"""`summarizer review`: a full-screen review of the store (Textual), harlequin style.

The article list on the left, the selected article on the right with each unit (title, abstract,
paragraphs) as a row: original | English with its flags. Every decision and edit is committed to
the store the moment it is made (store/review.py), so quitting or a kill loses nothing, and the next
session opens at the unit the reviewer last touched. Loading an article and recomputing flags after
an edit run in thread workers, each with its own SQLite connection, and report back by message.
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from .. import recheck
from ..config import Settings
from ..store.db import Store
from ..store.review import ARTICLE, Flag, add_term, approve_article, decide, dismiss_flag, save_edit
from .review_screens import HelpScreen, Prompt, TextEditor
from .viewer import STATUS_STYLE, ArticleView, ListRow, english_cell, list_rows, ordered

UNIT_STATUS = {"approved": "✓ approved", "flagged": "⚑ flagged"}


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
    rows = [Row("title", article.title or "", article.simplified_title or "",
                english_cell(shown.title, view.flags.get("title", ())), bool(view.flags.get("title"))),
            Row("abstract", shown.abstract_zh or "", shown.abstract_zh or "",
                english_cell(shown.abstract_en, view.flags.get("abstract", ())), bool(view.flags.get("abstract")))]
    for i, (original, simplified, unit) in enumerate(zip(article.paragraphs, article.simplified_paragraphs,
                                                         shown.paragraphs)):
        review = view.review.paragraphs.get(i)
        flags = view.flags.get(unit.unit, ())
        rows.append(Row(unit.unit, original, simplified, english_cell(unit, flags, review),
                        bool(flags) or (review is not None and review.status == "flagged")))
    return rows


class UnitRow(Horizontal):
    def __init__(self, row: Row, simplified: bool) -> None:
        super().__init__(classes="unit")
        self.row = row
        self.simplified = simplified

    def compose(self) -> ComposeResult:
        yield Static(self.row.unit, classes="name")
        yield Static(self.row.simplified if self.simplified else self.row.original, classes="zh")
        yield Static(self.row.english, classes="en")


class ReviewApp(App):
    CSS = """
    #articles { width: 38; }
    #article { width: 1fr; }
    .unit { height: auto; border-bottom: solid $panel; }
    .unit.current { background: $boost; border-left: thick $accent; }
    .name { width: 9; color: $text-muted; }
    .zh { width: 1fr; padding-right: 1; }
    .en { width: 1fr; }
    """
    BINDINGS = [
        Binding("j,down", "move(1)", "next"), Binding("k,up", "move(-1)", "prev"),
        Binding("n", "article(1)", "next article"), Binding("p", "article(-1)", "prev article"),
        Binding("a", "approve", "approve"), Binding("A", "approve_article", "approve article"),
        Binding("f", "flag", "flag"), Binding("e", "edit", "edit"),
        Binding("right_square_bracket", "next_flag", "next flag"), Binding("slash", "search", "search"),
        Binding("s", "script", "script"), Binding("g", "glossary", "glossary"),
        Binding("x", "dismiss_flag", "dismiss flag"),
        Binding("question_mark", "help", "keys"), Binding("q", "quit", "quit"),
    ]

    def __init__(self, settings: Settings, start: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.store = Store.open(settings.store_path, create=False)
        self.terms = recheck.glossary(settings, self.store)
        self.ids: list[str] = []
        self.article_id, self.start_unit = start, None
        if start is None:
            self.article_id, self.start_unit = last_touched(self.store)
        self.view: ArticleView | None = None
        self.rows: list[Row] = []
        self.cursor = 0
        self.simplified = False

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="articles", cursor_type="row", zebra_stripes=True)
            yield VerticalScroll(id="article")
        yield Footer()

    def on_mount(self) -> None:
        self.columns = self.query_one(DataTable).add_columns("review", "⚑", "title")
        self.load_list()

    def on_unmount(self) -> None:
        self.store.close()

    # workers: each opens its own connection (sqlite3 objects stay in their thread)

    @work(thread=True, exclusive=True, group="list")
    def load_list(self) -> None:
        with Store.open(self.settings.store_path, create=False) as store:
            self.post_message(ListLoaded(list_rows(store)))

    @work(thread=True, exclusive=True, group="article")
    def load_article(self, article_id: str) -> None:
        with Store.open(self.settings.store_path, create=False) as store:
            self.post_message(ArticleLoaded(ArticleView.load(store, article_id)))

    @work(thread=True, exclusive=True, group="recheck")
    def recheck_article(self, article_id: str, everything: bool = False) -> None:
        """Flags follow an edit (and a new glossary term) at once; the batch check spans the store."""
        with Store.open(self.settings.store_path, create=False) as store:
            if everything:
                recheck.recheck_all(store, self.terms)
            else:
                with store.transaction():
                    recheck.refresh(store, [article_id], self.terms)
                recheck.refresh_batch(store, self.terms)
        self.call_from_thread(self.reload)

    # messages from the workers

    @on(ListLoaded)
    def show_list(self, message: ListLoaded) -> None:
        table = self.query_one(DataTable)
        ids = [row.id for row in message.rows]
        if ids != self.ids:
            table.clear()
            for row in message.rows:
                table.add_row(*self._cells(row), key=row.id)
        else:  # in place: clearing would move the cursor and with it the article under review
            for row in message.rows:
                for column, value in zip(self.columns, self._cells(row)):
                    table.update_cell(row.id, column, value)
        self.ids = ids
        if ids and self.article_id not in ids:
            self.article_id = ids[0]
        if ids and self.view is None:
            table.move_cursor(row=ids.index(self.article_id))
            self.load_article(self.article_id)

    @staticmethod
    def _cells(row: ListRow) -> tuple:
        return Text(row.status, style=STATUS_STYLE[row.status]), str(row.flags or ""), row.title or row.id

    @on(ArticleLoaded)
    def show_article(self, message: ArticleLoaded) -> None:
        same = self.view is not None and self.view.shown.article.id == message.view.shown.article.id
        self.view = message.view
        self.rows = rows_of(message.view)
        if not same:
            self.cursor = self._start_cursor()
        self.cursor = min(self.cursor, len(self.rows) - 1)
        self.render_rows()

    def _start_cursor(self) -> int:
        names = [row.unit for row in self.rows]
        unit, self.start_unit = self.start_unit, None
        return names.index(unit) if unit in names else 0

    @on(DataTable.RowSelected)
    @on(DataTable.RowHighlighted)
    def pick_article(self, event: DataTable.RowHighlighted) -> None:
        article_id = event.row_key.value
        # before the first article is shown, highlights come from filling the table, not the reviewer
        if self.view is not None and article_id != self.article_id:
            self.article_id = article_id
            self.load_article(article_id)

    def render_rows(self) -> None:
        pane = self.query_one("#article", VerticalScroll)
        pane.remove_children()
        article = self.view.shown.article
        header = Text(article.title or "(no headline)", style="bold")
        header.append(f"\n{article.outlet or '—'}  {article.date or '—'}  {article.author or ''}  "
                      f"{article.source.path}  {article.source.encoding}  {article.script}", style="dim")
        header.append(f"\nreview: {self.view.review.status}", style=STATUS_STYLE[self.view.review.status])
        pane.mount(Static(header))
        pane.mount_all(UnitRow(row, self.simplified) for row in self.rows)
        self.call_after_refresh(self._mark_cursor)

    def _mark_cursor(self) -> None:
        rows = list(self.query(UnitRow))
        for index, widget in enumerate(rows):
            widget.set_class(index == self.cursor, "current")
        if rows:
            rows[self.cursor].scroll_visible(animate=False)

    def reload(self) -> None:
        self.load_list()
        if self.article_id:
            self.load_article(self.article_id)

    # the reviewer's keys

    @property
    def unit(self) -> str | None:
        return self.rows[self.cursor].unit if self.rows else None

    def action_move(self, step: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + step))
            self._mark_cursor()

    def action_article(self, step: int) -> None:
        if self.ids:
            index = (self.ids.index(self.article_id) + step) % len(self.ids)
            self.query_one(DataTable).move_cursor(row=index)

    def _paragraph_only(self) -> bool:
        if self.unit is None or not self.unit.startswith("p"):
            self.notify("approve or flag paragraphs; A approves the whole article", severity="warning")
            return False
        return True

    def action_approve(self) -> None:
        if self._paragraph_only():
            decide(self.store, self.article_id, self.unit, "approved")
            self.action_move(1)
            self.reload()

    def action_approve_article(self) -> None:
        if self.view is not None:
            approve_article(self.store, self.article_id, len(self.view.shown.article.paragraphs))
            self.notify("article approved")
            self.reload()

    def action_flag(self) -> None:
        if self._paragraph_only():
            unit = self.unit
            self.push_screen(Prompt("Flag: what is wrong?"), lambda note: self._flag(unit, note))

    def _flag(self, unit: str, note: str | None) -> None:
        if note is not None:
            decide(self.store, self.article_id, unit, "flagged", note.strip() or None)
            self.reload()

    def action_dismiss_flag(self) -> None:
        """The unit's first open flag (as listed) is a false alarm: the reviewer says why."""
        flags = ordered(self.view.flags.get(self.unit, ())) if self.view is not None else []
        if not flags:
            self.notify("no open flag on this unit", severity="warning")
            return
        unit, flag = self.unit, flags[0]
        self.push_screen(Prompt(f"Dismiss as a false alarm — {flag.check}: {flag.detail}. Why?"),
                         lambda note: self._dismiss(unit, flag, note))

    def _dismiss(self, unit: str, flag: Flag, note: str | None) -> None:
        if note is not None:
            dismiss_flag(self.store, self.article_id, unit, flag, note.strip())
            self.reload()

    def action_edit(self) -> None:
        if self.view is None or not self.rows:
            return
        shown = {u.unit: u for u in self.view.shown.units}.get(self.unit)
        if shown is None or not shown.source.strip():
            self.notify("nothing to translate here", severity="warning")
            return
        self.push_screen(TextEditor(shown.english or "", f"English of {shown.unit}"),
                         lambda text: self._edit(shown, text))

    def _edit(self, shown, text: str | None) -> None:
        if text is not None and text.strip() and text != shown.english:
            save_edit(self.store, self.article_id, shown.unit, text.strip(), shown.result.key if shown.result else None)
            self.recheck_article(self.article_id)

    def action_next_flag(self) -> None:
        later = [i for i, row in enumerate(self.rows) if i > self.cursor and row.flagged]
        if later:
            self.cursor = later[0]
            self._mark_cursor()
        else:
            self.notify("no more flags in this article; n for the next article")

    def action_search(self) -> None:
        self.push_screen(Prompt("Search this article (Chinese or English)"), self._search)

    def _search(self, query: str | None) -> None:
        if not query:
            return
        order = list(range(self.cursor + 1, len(self.rows))) + list(range(self.cursor + 1))
        for i in order:
            row = self.rows[i]
            if query in row.original or query in row.simplified or query.lower() in row.english.plain.lower():
                self.cursor = i
                self._mark_cursor()
                return
        self.notify(f"not found: {query}", severity="warning")

    def action_script(self) -> None:
        self.simplified = not self.simplified
        if self.view is not None:
            self.render_rows()

    def action_glossary(self) -> None:
        self.push_screen(Prompt("Glossary term: Chinese = English (e.g. 医联体 = medical consortium)"),
                         self._add_term)

    def _add_term(self, entry: str | None) -> None:
        source, _, target = (entry or "").partition("=")
        if not source.strip() or not target.strip():
            if entry:
                self.notify("write it as: Chinese = English", severity="warning")
            return
        add_term(self.store, source.strip(), target.strip(), self.article_id)
        self.terms = recheck.glossary(self.settings, self.store)
        self.notify(f"glossary: {source.strip()} → {target.strip()}; rechecking every article")
        self.recheck_article(self.article_id, everything=True)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.BINDINGS))


def last_touched(store: Store) -> tuple[str | None, str | None]:
    """The article and unit of the newest decision or edit: where the last session stopped."""
    row = store.conn.execute("""
        SELECT article_id, unit FROM (
            SELECT article_id, unit, created FROM decisions UNION ALL
            SELECT article_id, unit, created FROM edits)
        ORDER BY created DESC LIMIT 1""").fetchone()
    if row is None:
        return None, None
    return row[0], row[1] if row[1] != ARTICLE else None

