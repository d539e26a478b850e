"""Raw page -> Article. PLACEHOLDER internals: being rewritten; the API below is stable.

    collect_inputs(paths) -> (files, errors)      expand folders, refuse symlinks leaving them
    clean_file(path, settings) -> Article         raises InputError for a file that is no article
    clean_bytes(data, name, settings) -> Article
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..config import Settings
from ..errors import InputError
from ..types import Article, Source


def collect_inputs(paths: list[Path]) -> tuple[list[Path], list[InputError]]:
    files: list[Path] = []
    errors: list[InputError] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            errors.append(InputError(str(p), "not found", "check the path"))
    return files, errors


def clean_file(path: Path, settings: Settings) -> Article:
    return clean_bytes(path.read_bytes(), str(path), settings)


def clean_bytes(data: bytes, name: str, settings: Settings) -> Article:
    if not data.strip():
        raise InputError(name, "empty file", "nothing to do")
    text = data.decode("utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines() if len(line.strip()) > 30]
    source = Source(path=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                    encoding="utf-8", format="text")
    return Article(source=source, title=None, date=None, outlet=None, author=None, script="simplified",
                   language="zh", paragraphs=tuple(lines), simplified_title=None,
                   simplified_paragraphs=tuple(lines))
