"""JSON Lines: one article per line, the record_json shape."""
from __future__ import annotations

import json
from typing import IO, Sequence

from ...config import Settings
from ..records import ExportRecord, record_json
from . import OutFile


def files(records: Sequence[ExportRecord], settings: Settings) -> list[OutFile]:
    return [OutFile("articles.jsonl", lambda out: write_jsonl(records, out))]


def write_jsonl(records: Sequence[ExportRecord], out: IO[str]) -> None:
    for record in records:
        # ensure_ascii=False keeps Chinese readable; json escapes the newlines inside strings
        out.write(json.dumps(record_json(record), ensure_ascii=False) + "\n")
