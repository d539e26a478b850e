"""Errors the library raises. Only the CLI turns them into a line and an exit code."""
from __future__ import annotations


class SummarizerError(Exception):
    """An error a user can act on: what happened to which file or model, and what to do."""

    def __init__(self, subject: str, message: str, hint: str = "") -> None:
        super().__init__(f"{subject}: {message}")
        self.subject = subject
        self.message = message
        self.hint = hint

    def line(self) -> str:
        """The one line the CLI prints: `<subject>: <what happened>; <what to do>`."""
        text = f"{self.subject}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class InputError(SummarizerError):
    """A raw input that cannot be read as an article (empty, binary, too large, no body...)."""


class ConfigError(SummarizerError):
    """A config file or option with a bad value."""


class ModelNotFound(SummarizerError):
    """A configured model that is neither a local folder nor in the Hugging Face cache."""


class StoreError(SummarizerError):
    """The SQLite store cannot be opened, migrated or written."""


class ModelFailed(SummarizerError):
    """A model that raised while working on one batch: its units fail with the reason, the run goes on."""
