"""Errors the library raises. Only the CLI turns them into a line and an exit code."""
from __future__ import annotations

import re

# control characters, lone surrogates (undecodable bytes of a file name) and bidi overrides: shown
# escaped, so a hostile file name can neither garble the terminal nor disguise itself
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every character that is unsafe on a terminal written as an escape."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii")
                       if not 0xD800 <= ord(m.group()) <= 0xDFFF else f"\\x{ord(m.group()) & 0xFF:02x}", text)


class SummarizerError(Exception):
    """An error a user can act on: what happened to which file or model, and what to do."""

    def __init__(self, subject: str, message: str, hint: str = "") -> None:
        super().__init__(f"{subject}: {message}")
        self.subject = subject
        self.message = message
        self.hint = hint

    def line(self) -> str:
        """The one line the CLI prints: `<subject>: <what happened>; <what to do>`."""
        text = f"{printable(self.subject)}: {printable(self.message)}"
        return f"{text}; {self.hint}" if self.hint else text


class InputError(SummarizerError):
    """A raw input that cannot be read as an article (empty, binary, too large, no body...)."""


class ConfigError(SummarizerError):
    """A config file or option with a bad value."""


class ModelNotFound(SummarizerError):
    """A configured model that is neither a local folder nor in the Hugging Face cache."""


class StoreError(SummarizerError):
    """The SQLite store cannot be opened, migrated or written."""


class ReadOnlyStore(StoreError):
    """The store's file or medium cannot be written: reading commands still work."""


class ModelFailed(SummarizerError):
    """A model that raised while working on one batch: its units fail with the reason, the run goes on."""
