"""Prompt templates for instruction models: a plain-text file with one {text} placeholder."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..config import PACKAGE_DIR, ModelSpec, Settings
from ..errors import ConfigError

# any brace left once escaped pairs and the one {text} are gone: another placeholder, or a stray brace
_PLACEHOLDER = re.compile(r"[{}]")


@dataclass(frozen=True)
class Prompt:
    template: str
    hash: str  # part of a result's identity: a changed prompt means a new result

    def fill(self, text: str) -> str:
        # a plain substitution: str.format would let a template reach attributes ({text.__class__})
        before, after = self.template.split("{text}")
        return _unescape(before) + text + _unescape(after)


def _unescape(part: str) -> str:
    return part.replace("{{", "{").replace("}}", "}")


def prompt_path(settings: Settings, name: str) -> Path:
    """The user's prompts folder need hold only the templates it changes; the rest are the shipped ones."""
    own = Path(settings.prompts_dir) / name
    return own if own.exists() else PACKAGE_DIR / "prompts" / name


def load_prompt(spec: ModelSpec, settings: Settings) -> Prompt | None:
    """The template of an instruction model, checked now so a bad one fails before any work."""
    if spec.kind != "instruction":
        return None
    path = prompt_path(settings, spec.prompt)
    try:
        template = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read the prompt of models.{spec.task} ({exc.__class__.__name__})",
                          f"name a UTF-8 file of the prompts folder in models.{spec.task}.prompt") from exc
    if template.count("{text}") != 1:
        raise ConfigError(str(path), "the prompt must contain {text} exactly once", "add the {text} placeholder")
    if _PLACEHOLDER.search(template.replace("{{", "").replace("}}", "").replace("{text}", "")):
        raise ConfigError(str(path), "the prompt has a placeholder other than {text}",
                          "use {text} once and write other braces as {{ }}")
    return Prompt(template, hashlib.sha256(template.encode("utf-8")).hexdigest()[:16])
