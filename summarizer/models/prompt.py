"""Prompt templates for instruction models: a plain-text file with one {text} placeholder."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..config import ModelSpec, Settings
from ..errors import ConfigError


@dataclass(frozen=True)
class Prompt:
    template: str
    hash: str  # part of a result's identity: a changed prompt means a new result

    def fill(self, text: str) -> str:
        return self.template.format(text=text)


def load_prompt(spec: ModelSpec, settings: Settings) -> Prompt | None:
    """The template of an instruction model, checked now so a bad one fails before any work."""
    if spec.kind != "instruction":
        return None
    path = Path(settings.prompts_dir) / spec.prompt
    try:
        template = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read the prompt of models.{spec.task} ({exc.__class__.__name__})",
                          f"name a UTF-8 file of the prompts folder in models.{spec.task}.prompt") from exc
    try:
        template.format(text="")
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(str(path), f"bad placeholder {exc} in the prompt",
                          "use {text} once and write other braces as {{ }}") from exc
    if template.count("{text}") != 1:
        raise ConfigError(str(path), "the prompt must contain {text} exactly once", "add the {text} placeholder")
    return Prompt(template, hashlib.sha256(template.encode("utf-8")).hexdigest()[:16])
