"""Prompt templates of instruction models: a partial prompts folder falls back per file to the shipped
one, and a template is filled by plain substitution, never by str.format's attribute lookups."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from summarizer import load_settings
from summarizer.config import PACKAGE_DIR
from summarizer.errors import ConfigError
from summarizer.models.prompt import load_prompt


def _settings(prompts: Path):
    return dataclasses.replace(load_settings(), prompts_dir=prompts)


def test_a_prompts_folder_with_only_some_templates_falls_back_to_the_shipped_ones(tmp_path):
    (tmp_path / "export_index.md").write_text("# mine\n", encoding="utf-8")
    settings = _settings(tmp_path)
    prompt = load_prompt(settings.models["briefing"], settings)
    assert prompt.template == (PACKAGE_DIR / "prompts" / "briefing.txt").read_text(encoding="utf-8")


def test_the_users_own_template_wins_and_braces_are_literal(tmp_path):
    (tmp_path / "briefing.txt").write_text("Summarise {{in English}}: {text}", encoding="utf-8")
    settings = _settings(tmp_path)
    prompt = load_prompt(settings.models["briefing"], settings)
    assert prompt.fill("新闻 {text.__class__}") == "Summarise {in English}: 新闻 {text.__class__}"


@pytest.mark.parametrize("template", ["{text.__class__.__mro__}", "{text} and {other}", "{text} {0}", "{text} }"])
def test_a_template_with_another_placeholder_is_refused(tmp_path, template):
    (tmp_path / "briefing.txt").write_text(template, encoding="utf-8")
    settings = _settings(tmp_path)
    with pytest.raises(ConfigError, match="placeholder|exactly once"):
        load_prompt(settings.models["briefing"], settings)
