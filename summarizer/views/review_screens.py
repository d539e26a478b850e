"""The review app's dialogs: a one-line prompt, the English editor and the key map."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, TextArea

DIALOG_CSS = """
    Vertical { width: 80%; height: auto; max-height: 80%; border: thick $accent; background: $surface;
               padding: 1 2; }
    TextArea { height: 12; }
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


class TextEditor(ModalScreen[str | None]):
    """The English of one unit: Ctrl+S saves it as a new revision, Escape leaves it as it was."""

    DEFAULT_CSS = "TextEditor { align: center middle; }" + DIALOG_CSS
    BINDINGS = [Binding("ctrl+s", "save", "save"), Binding("escape", "dismiss(None)", "cancel")]

    def __init__(self, text: str, title: str) -> None:
        super().__init__()
        self.text = text
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.heading}   (Ctrl+S save, Esc cancel)")
            yield TextArea(self.text, soft_wrap=True)

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
            keys = binding.key.replace("right_square_bracket", "]").replace("question_mark", "?").replace("slash", "/")
            table.add_row(keys, binding.description)
