"""Documents for reading: one bilingual page per article, named by its id, and an index page;
HTML (self-contained, side by side, prints well) or Markdown, from templates in prompts/."""
from __future__ import annotations

from typing import IO, Any, Sequence

from ...config import Settings
from ..records import ExportRecord
from ..templates import Templates
from . import OutFile


def html_files(records: Sequence[ExportRecord], settings: Settings) -> list[OutFile]:
    return _files(records, settings, "html")


def markdown_files(records: Sequence[ExportRecord], settings: Settings) -> list[OutFile]:
    return _files(records, settings, "md")


def _files(records: Sequence[ExportRecord], settings: Settings, suffix: str) -> list[OutFile]:
    templates = Templates(settings)
    pages = [OutFile(f"{r.article.id}.{suffix}", _writer(templates, f"export_article.{suffix}", record=r,
                                                          suffix=suffix)) for r in records]
    index = OutFile(f"index.{suffix}", _writer(templates, f"export_index.{suffix}", records=records,
                                               suffix=suffix))
    return [*pages, index]


def _writer(templates: Templates, name: str, **context: Any):
    def write(out: IO[str]) -> None:
        out.write(templates.render(name, **context))

    return write
