"""Export the store to files: a registry of formats (name -> writer, suffix), like harlequin export.py.

A record is one article with the result a view shows for each unit (store.pick_current): the same
choice the viewer makes, so an export never disagrees with the screen. Files are written to a temp
file in the target folder and renamed into place: a reader never sees half a file.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO

from ..errors import SummarizerError
from ..store.db import Store, StoredResult, pick_current
from ..store.keys import ABSTRACT_UNIT, TITLE_UNIT, abstract_unit, paragraph_unit, text_hash
from ..types import Article

Record = dict[str, Any]  # the JSON-able shape every format writes, documented in article_record()


@dataclass(frozen=True)
class ExportFormat:
    name: str
    suffix: str
    write: Callable[[Iterable[Record], TextIO], int]  # returns the number of records written


def write_jsonl(records: Iterable[Record], out: TextIO) -> int:
    count = 0
    for record in records:
        # ensure_ascii=False keeps Chinese readable; json escapes the newlines inside strings
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (ExportFormat("jsonl", ".jsonl", write_jsonl),)}


@dataclass(frozen=True)
class ExportInfo:
    path: Path
    format: str
    articles: int


def export_format(name: str) -> ExportFormat:
    if name not in FORMATS:
        raise SummarizerError(name, "unknown export format", f"use one of: {', '.join(sorted(FORMATS))}")
    return FORMATS[name]


def export(store: Store, format_name: str, out_dir: Path) -> ExportInfo:
    """Write every article of `store` to out_dir/articles<suffix>; nothing is written outside out_dir."""
    fmt = export_format(format_name)
    target = out_dir / f"articles{fmt.suffix}"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=out_dir,
                                         prefix=".articles-", suffix=".tmp", delete=False) as tmp:
            try:
                count = fmt.write(records(store), tmp)
            except BaseException:
                os.unlink(tmp.name)
                raise
        os.replace(tmp.name, target)
    except OSError as exc:
        raise SummarizerError(str(out_dir), f"cannot write the export ({exc.strerror or exc})",
                              "check the folder exists or can be made, and is writable") from exc
    return ExportInfo(target, fmt.name, count)


def records(store: Store) -> Iterator[Record]:
    for article in store.articles():
        yield article_record(article, store.results(article.id))


def article_record(article: Article, results: list[StoredResult]) -> Record:
    """One article: metadata, source, abstracts in both languages and every paragraph in both."""
    abstract = pick_current(results, "abstract", ABSTRACT_UNIT, abstract_unit(article).input_hash)
    abstract_zh = abstract.result.text if abstract and abstract.result.status == "done" else None
    title = _translation(results, TITLE_UNIT, article.simplified_title)
    return {
        "id": article.id,
        "source": {"path": article.source.path, "sha256": article.source.sha256,
                   "encoding": article.source.encoding},
        "title": article.title,
        "title_en": title["text"],
        "date": article.date,
        "outlet": article.outlet,
        "author": article.author,
        "script": article.script,
        "abstract_zh": _field(abstract),
        "abstract_en": _translation(results, ABSTRACT_UNIT, abstract_zh),
        "paragraphs": [_paragraph(results, i, zh, simplified) for i, (zh, simplified)
                       in enumerate(zip(article.paragraphs, article.simplified_paragraphs))],
    }


def _field(result: StoredResult | None) -> Record:
    """text, status, method, model, chunks and reason of one result; a unit with no result yet is pending."""
    if result is None:
        return {"text": None, "status": "pending", "method": None, "model": None, "chunks": 0,
                "reason": "not run yet"}
    r = result.result
    return {"text": r.text if r.status == "done" else None, "status": r.status, "method": r.method,
            "model": r.model, "chunks": r.chunks, "reason": r.reason}


def _translation(results: list[StoredResult], unit: str, source: str | None) -> Record:
    # keyed by the input's hash: a translation of an older abstract is not this abstract's translation
    found = pick_current(results, "translate", unit, text_hash(source)) if source else None
    return _field(found)


def _paragraph(results: list[StoredResult], index: int, zh: str, simplified: str) -> Record:
    en = _translation(results, paragraph_unit(index), simplified)
    return {"zh": zh, "en": en["text"], "status": en["status"], "model": en["model"], "chunks": en["chunks"]}
