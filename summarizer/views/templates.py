"""Document templates (Jinja2) from the prompts folder: plain files users may edit.

A user's prompts folder (config prompts.dir) needs to hold only the templates it changes; the
rest come from the shipped folder. Every value is escaped on output by the environment, never
by a template remembering to: HTML by autoescape, Markdown by `finalize` (see markdown_escape).

A template is data, not code: it may come from a folder someone else prepared, so it renders in
Jinja2's immutable sandbox, where reaching Python internals (`__globals__`, `__class__`...) or
mutating a value raises SecurityError, reported like any other template error.
"""
from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from ..config import PACKAGE_DIR, Settings
from ..errors import ConfigError

# CommonMark lets any ASCII punctuation be backslash-escaped; these would otherwise become
# markup (emphasis, links, raw HTML, tables, code) or an entity reference
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#|&~!])")
# at a line start, these would begin a list, quote, heading underline or numbered item
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))", re.MULTILINE)


def markdown_escape(value: Any) -> str:
    """A value as Markdown text that renders as itself; line breaks kept as hard breaks.
    Markup (a macro's output passed through `|safe`) is already escaped and is left alone."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    text = _MD_INLINE.sub(r"\\\1", str(value))
    text = _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if not m.group(2).isdigit()
                              else f"{m.group(1)}{m.group(2)}\\", text)
    return text.replace("\n", "  \n")


class Templates:
    """Renders `name` (ending .html or .md) from the user's prompts folder, else the shipped one."""

    def __init__(self, settings: Settings) -> None:
        import jinja2  # only the commands that write documents pay for it
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        folders = [str(settings.prompts_dir), str(PACKAGE_DIR / "prompts")]
        loader = jinja2.FileSystemLoader(list(dict.fromkeys(folders)))
        common = {"loader": loader, "undefined": jinja2.StrictUndefined, "keep_trailing_newline": True,
                  "trim_blocks": True, "lstrip_blocks": True}
        self._errors = (jinja2.TemplateError,)
        self._html = ImmutableSandboxedEnvironment(autoescape=True, **common)
        self._markdown = ImmutableSandboxedEnvironment(autoescape=False, finalize=markdown_escape, **common)

    def render(self, name: str, **context: Any) -> str:
        env = self._html if name.endswith(".html") else self._markdown
        try:
            return env.get_template(name).render(**context)
        except self._errors as exc:
            where = getattr(exc, "filename", None) or name
            line = getattr(exc, "lineno", None)
            raise ConfigError(f"{where}:{line}" if line else where, f"template error ({exc})",
                              "fix the template, or delete it from your prompts folder to use the shipped one"
                              ) from exc
