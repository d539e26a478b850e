"""A golden file per export format, from the one hard record (test_export.HARD: <script>, quotes,
newlines, =formula, CJK) after a review (edits, flags, a flagged paragraph).

After an intended change of a format: SUMMARIZER_UPDATE_GOLDEN=1 pytest tests/test_export_golden.py,
then read the diff of tests/golden/ before committing it.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_export import HARD, fill, review

from summarizer import load_settings
from summarizer.store.db import Store
from summarizer.views.export import FORMATS, export

GOLDEN = Path(__file__).resolve().parent / "golden" / "export"


def xlsx_as_text(path: Path) -> str:
    """The workbook's cells as JSON: the xlsx zip itself carries timestamps and is never identical."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheets = {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in book}
    return json.dumps(sheets, ensure_ascii=False, indent=1, default=str) + "\n"  # dates as ISO text


def read_back(path: Path) -> str:
    if path.suffix == ".xlsx":
        return xlsx_as_text(path)
    return path.read_bytes().decode("utf-8")  # bytes: the CSV's BOM and CRLF are part of the format


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_golden(name, tmp_path):
    settings = load_settings()
    with Store.open(settings.store_path) as store:
        fill(store)
        review(store)
        info = export(store, name, tmp_path, settings)
    assert info.articles == 1
    for path in info.paths:
        golden = GOLDEN / f"{path.name.replace(HARD.id, 'HARD')}{'.json' if path.suffix == '.xlsx' else ''}"
        actual = read_back(path)
        if os.environ.get("SUMMARIZER_UPDATE_GOLDEN"):
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(actual.encode("utf-8"))
        assert actual == golden.read_bytes().decode("utf-8"), f"{path.name} differs from {golden}"
