"""Export the store to files: a registry of formats (name -> files writer, suffix), like harlequin
export.py.

Every format takes the same records (views/records.py), so formats never disagree about what an
article holds. Every file goes through views/atomic.py: written beside its target and renamed into
place, named only from fixed words and article ids, never outside the folder given.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..config import Settings
from ..errors import SummarizerError
from ..store.db import Store
from .atomic import atomic_file, inside
from .formats import OutFile, documents, jsonl, sheets
from .records import ExportRecord, Selection, select_records

FilesWriter = Callable[[Sequence[ExportRecord], Settings], list[OutFile]]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    files: FilesWriter
    description: str


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("jsonl", jsonl.files, "articles.jsonl, one article per line"),
    ExportFormat("csv", sheets.csv_files, "articles.csv and paragraphs.csv (UTF-8 with BOM)"),
    ExportFormat("xlsx", sheets.xlsx_files, "articles.xlsx with an articles and a paragraphs sheet"),
    ExportFormat("md", documents.markdown_files, "<article id>.md per article and index.md"),
    ExportFormat("html", documents.html_files, "<article id>.html per article and index.html"),
)}


@dataclass(frozen=True)
class ExportInfo:
    paths: tuple[Path, ...]
    format: str
    articles: int


def export_format(name: str) -> ExportFormat:
    if name not in FORMATS:
        raise SummarizerError(name, "unknown export format", f"use one of: {', '.join(sorted(FORMATS))}")
    return FORMATS[name]


def export(store: Store, format_name: str, out_dir: Path, settings: Settings,
           selection: Selection = Selection()) -> ExportInfo:
    """Write the selected articles of `store` into out_dir in one format; see the module docstring."""
    fmt = export_format(format_name)
    records = select_records(store, selection)
    paths = []
    for out in fmt.files(records, settings):
        target = inside(out_dir, out.name)
        with atomic_file(target, binary=out.binary) as handle:
            out.write(handle)
        paths.append(target)
    return ExportInfo(tuple(paths), fmt.name, len(records))
