"""The review app's dialogs: a one-line prompt, a yes/no question, the English editor and the key map."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static, TextArea

DIALOG_CSS = """
    Vertical { width: 80%; min-width: 60; height: auto; max-height: 90%; border: thick $accent;
               background: $surface; padding: 1 2; }
    TextArea { height: 10; }
    .source { height: auto; max-height: 10; overflow-y: auto; color: $text-muted; margin-bottom: 1; }
"""


class Prompt(ModalScreen[str | None]):
    """One line of input: Enter returns it, Escape returns None."""

    DEFAULT_CSS = "Prompt { align: center middle; }" + DIALOG_CSS
    BINDINGS = [Binding("escape", "dismiss(None)", "cancel")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Input()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class Confirm(ModalScreen[bool]):
    """A yes/no question before a decision that is easy to regret: y confirms, n or Escape does not."""

    DEFAULT_CSS = "Confirm { align: center middle; }" + DIALOG_CSS
    BINDINGS = [Binding("y", "dismiss(True)", "yes"), Binding("n,escape", "dismiss(False)", "no")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Label("y: yes   n / Esc: no")


class TextEditor(ModalScreen[str | None]):
    """The English of one unit under its Chinese source: Ctrl+S saves it as a new revision, Escape
    leaves it as it was, Ctrl+A selects all of it (to replace it whole)."""

    DEFAULT_CSS = "TextEditor { align: center middle; }" + DIALOG_CSS
    BINDINGS = [Binding("ctrl+s", "save", "save"), Binding("escape", "dismiss(None)", "cancel"),
                Binding("ctrl+a", "select_all", "select all", priority=True)]

    def __init__(self, text: str, title: str, source: str = "") -> None:
        super().__init__()
        self.text = text
        self.heading = title
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.heading}   (Ctrl+S save, Esc cancel, Ctrl+A select all)")
            yield Static(self.source, classes="source", markup=False)
            yield TextArea(self.text, soft_wrap=True)

    def action_select_all(self) -> None:
        self.query_one(TextArea).select_all()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)


class HelpScreen(ModalScreen[None]):
    """Every key of the review, read from the app's own bindings so it cannot go stale."""

    DEFAULT_CSS = "HelpScreen { align: center middle; }" + DIALOG_CSS
    BINDINGS = [Binding("escape,q,question_mark", "dismiss(None)", "close")]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Keys (Esc to close); every decision is saved at once")
            yield DataTable(show_header=False, cursor_type="none")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("key", "does")
        for binding in self.bindings:
            table.add_row(key_names(binding.key), binding.description)


KEY_NAMES = {"right_square_bracket": "]", "question_mark": "?", "slash": "/", "less_than_sign": "<",
             "greater_than_sign": ">"}


def key_names(keys: str) -> str:
    return ",".join(KEY_NAMES.get(key, key) for key in keys.split(","))
