"""Export the store to files: a registry of formats (name -> files writer, suffix), like harlequin
export.py.

Every format takes the same records (views/records.py), so formats never disagree about what an
article holds. Every file goes through views/atomic.py: written beside its target and renamed into
place, named only from fixed words and article ids, never outside the folder given. An export
leaves exactly its own files: the article pages an earlier export of the same format left there
and this one did not write are removed (remove_stale_pages).
"""
from __future__ import annotations

import re
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
    page_suffix: str = ""  # of the per-article pages, named by article id; "" for formats without


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("jsonl", jsonl.files, "articles.jsonl, one article per line"),
    ExportFormat("csv", sheets.csv_files, "articles.csv and paragraphs.csv (UTF-8 with BOM)"),
    ExportFormat("xlsx", sheets.xlsx_files, "articles.xlsx with an articles and a paragraphs sheet"),
    ExportFormat("md", documents.markdown_files, "<article id>.md per article and index.md", "md"),
    ExportFormat("html", documents.html_files, "<article id>.html per article and index.html", "html"),
)}

# an article page's name: its article's id, the whole SHA-256 (or the 16-digit prefix older
# versions used), so no file a user named stands a chance of being taken for one of ours
ARTICLE_PAGE = re.compile(r"[0-9a-f]{16}(?:[0-9a-f]{48})?")


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
    remove_stale_pages(out_dir, fmt, {path.name for path in paths})
    return ExportInfo(tuple(paths), fmt.name, len(records))


def remove_stale_pages(out_dir: Path, fmt: ExportFormat, written: set[str]) -> None:
    """Remove the article pages of this format that an earlier export left in out_dir and this one
    did not write (an article no longer selected), so the folder holds exactly what its index lists.
    Only files named as our pages are touched: a user's own files stay."""
    if not fmt.page_suffix:
        return  # fixed file names: this export has just replaced them
    for path in out_dir.glob(f"*.{fmt.page_suffix}"):
        stale = ARTICLE_PAGE.fullmatch(path.stem) and path.name not in written
        if stale and (path.is_symlink() or path.is_file()):
            try:
                path.unlink()
            except OSError as exc:
                raise SummarizerError(str(path), f"cannot remove this page of an earlier export ({exc.strerror})",
                                      "check the folder is writable, or export into a new folder") from exc
