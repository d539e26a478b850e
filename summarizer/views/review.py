"""`summarizer review`: a full-screen review of the store (Textual), harlequin style.

The article list on the left, the selected article on the right with each unit (title, abstract,
paragraphs) as a row: original | English with its flags. Every decision and edit is committed to
the store the moment it is made (store/review.py), so quitting or a kill loses nothing, and the next
session opens at the unit the reviewer last looked at. Loading an article and recomputing flags after
an edit run in thread workers, each with its own SQLite connection, and report back by message.
"""
from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Static

from .. import recheck
from ..config import Settings
from ..store.db import Store
from ..store.keys import paragraph_index, paragraph_unit
from ..store.review import (Flag, Undo, add_term, approve_article, before_decisions, before_edit, decide,
                            dismiss_flag, last_position, save_edit, save_position, undo)
from ..store.search import Hit, search
from ..types import UnitName
from ..words import plural
from .review_rows import ArticleLoaded, ListLoaded, Row, UnitRow, rows_of
from .review_screens import Confirm, HelpScreen, Prompt, TextEditor
from .viewer import NARROW, STATUS_STYLE, ArticleView, ListRow, list_rows, ordered, unit_label


class ReviewApp(App):
    CSS = """
    #articles { width: 38; }
    #article { width: 1fr; }
    .unit { height: auto; border-bottom: solid $panel; }
    .unit.current { background: $boost; border-left: thick $accent; }
    .name { width: 9; color: $text-muted; }
    .zh { width: 1fr; padding-right: 1; }
    .en { width: 1fr; }
    /* under NARROW columns: the article takes the whole width (n/p move between articles, the
       header says which one this is), and each unit's English goes under its Chinese */
    .narrow #articles { display: none; }
    .narrow .unit { layout: vertical; }
    .narrow .name, .narrow .zh, .narrow .en { width: 1fr; padding-right: 0; }
    """
    # the footer shows the daily keys only, so it fits 80 columns; ? lists every key
    BINDINGS = [
        Binding("j,down", "move(1)", "next", show=False), Binding("k,up", "move(-1)", "prev", show=False),
        Binding("n", "article(1)", "next article", show=False), Binding("p", "article(-1)", "prev article", show=False),
        Binding("a", "approve", "approve"), Binding("A", "approve_article", "approve article", show=False),
        Binding("f", "flag", "flag"), Binding("e", "edit", "edit"), Binding("u", "undo", "undo"),
        Binding("right_square_bracket", "next_flag", "next flag", show=False), Binding("slash", "search", "search"),
        Binding("greater_than_sign", "next_match(1)", "next match", show=False),
        Binding("less_than_sign", "next_match(-1)", "previous match", show=False),
        Binding("s", "script", "script", show=False), Binding("g", "glossary", "glossary", show=False),
        Binding("x", "dismiss_flag", "dismiss flag", show=False),
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
            self.article_id, self.start_unit = last_position(self.store) or last_touched(self.store)
        self.view: ArticleView | None = None
        self.rows: list[Row] = []
        self.cursor = 0
        self.simplified = False
        self.undos: list[Undo] = []  # this session's decisions and edits, newest last
        self.seen: dict[str, set[str]] = {}  # article id -> units the cursor has been on
        self.search_query: str | None = None
        self.hits: list[Hit] = []
        self.hit = -1

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="articles", cursor_type="row", zebra_stripes=True)
            yield VerticalScroll(id="article")
        yield Footer()

    def on_mount(self) -> None:
        self.columns = self.query_one(DataTable).add_columns("review", "⚑", "title")
        self.load_list()

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < NARROW, "narrow")

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
        if article.id in self.ids:
            header.append(f"   article {self.ids.index(article.id) + 1} of {len(self.ids)} (n/p)", style="dim")
        pane.mount(Static(header))
        pane.mount_all(UnitRow(row, self.simplified, self.search_query) for row in self.rows)
        self.call_after_refresh(self._mark_cursor)

    def _mark_cursor(self) -> None:
        rows = list(self.query(UnitRow))
        for index, widget in enumerate(rows):
            widget.set_class(index == self.cursor, "current")
        if rows:
            rows[self.cursor].scroll_visible(animate=False)
        if self.unit is not None and self.article_id:
            self.seen.setdefault(self.article_id, set()).add(self.unit)
            save_position(self.store, self.article_id, self.unit)

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
        if self.unit is None or paragraph_index(self.unit) is None:
            self.notify("approve or flag paragraphs; A approves the whole article", severity="warning")
            return False
        return True

    def _confirmed(self, question: str | None, then) -> None:
        """Run `then` at once, or after a yes when there is a question to ask first."""
        if question is None:
            then()
        else:
            self.push_screen(Confirm(question), lambda yes: then() if yes else self.notify("not approved"))

    def action_approve(self) -> None:
        if not self._paragraph_only():
            return
        unit, row = self.unit, self.rows[self.cursor]
        review = self.view.review.paragraphs.get(paragraph_index(unit))
        if review is not None and review.status == "approved":
            self.notify(f"{unit_label(unit)} is already approved; u undoes the last decision")
            return
        question = f"{unit_label(unit)} has open flags. Approve it anyway?" if row.flagged else None
        self._confirmed(question, lambda: self._approve(unit))

    def _approve(self, unit: str) -> None:
        self.undos.append(before_decisions(self.store, self.article_id, [unit], f"approval of {unit_label(unit)}"))
        decide(self.store, self.article_id, unit, "approved")
        if self.unit == unit:
            self.action_move(1)
        self.reload()

    def action_approve_article(self) -> None:
        if self.view is None:
            return
        paragraphs = [row for row in self.rows if paragraph_index(row.unit) is not None]
        unseen = [row for row in paragraphs if row.unit not in self.seen.get(self.article_id, set())]
        flagged = [row for row in self.rows if row.flagged]
        doubts = ([f"{len(unseen)} of {plural(len(paragraphs), 'paragraph')} never shown"] if unseen else []) + \
                 ([f"{plural(len(flagged), 'unit')} with open flags"] if flagged else [])
        question = f"Approve the whole article? {'; '.join(doubts)}." if doubts else None
        self._confirmed(question, self._approve_article)

    def _approve_article(self) -> None:
        count = len(self.view.shown.article.paragraphs)
        units = [paragraph_unit(i) for i in range(count)] + [UnitName.ARTICLE]
        self.undos.append(before_decisions(self.store, self.article_id, units, "approval of the article"))
        approve_article(self.store, self.article_id, count)
        self.notify("article approved; u undoes it")
        self.reload()

    def action_flag(self) -> None:
        if self._paragraph_only():
            unit = self.unit
            self.push_screen(Prompt("Flag: what is wrong?"), lambda note: self._flag(unit, note))

    def _flag(self, unit: str, note: str | None) -> None:
        if note is not None:
            self.undos.append(before_decisions(self.store, self.article_id, [unit], f"flag on {unit_label(unit)}"))
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

    def action_undo(self) -> None:
        """Put back what the newest decision or edit of this session replaced, as new rows."""
        if not self.undos:
            self.notify("nothing to undo in this session", severity="warning")
            return
        change = self.undos.pop()
        undo(self.store, change)
        self.notify(f"undone: {change.what}")
        if change.edit is not None:
            self.recheck_article(change.article_id)
        else:
            self.reload()

    def action_edit(self) -> None:
        if self.view is None or not self.rows:
            return
        shown = {u.unit: u for u in self.view.shown.units}.get(self.unit)
        if shown is None or not shown.source.strip():
            self.notify("nothing to translate here", severity="warning")
            return
        row = self.rows[self.cursor]
        source = row.simplified if self.simplified else row.original
        self.push_screen(TextEditor(shown.english or "", f"English of {unit_label(shown.unit)}", source),
                         lambda text: self._edit(shown, text))

    def _edit(self, shown, text: str | None) -> None:
        if text is not None and text.strip() and text != shown.english:
            self.undos.append(before_edit(self.store, self.article_id, shown.unit, f"edit of {unit_label(shown.unit)}"))
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
        self.push_screen(Prompt("Search every article, Chinese or English (> and < step through the matches; "
                                "an empty search clears them)"), self._search)

    def _search(self, query: str | None) -> None:
        if query is None:
            return
        if not query.strip():  # the highlight goes, the matches are forgotten
            self.search_query, self.hits = None, []
            if self.view is not None:
                self.render_rows()
            return
        self.search_query, self.hits = query.strip(), search(self.store, query)
        if not self.hits:
            self.notify(f"not found in any article: {self.search_query}", severity="warning")
            self.search_query = None
            return
        articles = len({hit.article_id for hit in self.hits})
        self.notify(f"{plural(len(self.hits), 'match', 'matches')} in {plural(articles, 'article')}")
        self.hit = -1
        self.action_next_match(1)

    def action_next_match(self, step: int) -> None:
        if not self.hits:
            self.notify("no search yet: / searches every article", severity="warning")
            return
        self.hit = (self.hit + step) % len(self.hits)
        hit = self.hits[self.hit]
        if hit.article_id != self.article_id:
            self.start_unit = hit.unit  # the article loads in a worker; the cursor goes there after
            self.query_one(DataTable).move_cursor(row=self.ids.index(hit.article_id))
            return
        names = [row.unit for row in self.rows]
        if hit.unit in names:
            self.cursor = names.index(hit.unit)
        self.render_rows()

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
    return row[0], row[1] if row[1] != UnitName.ARTICLE else None

