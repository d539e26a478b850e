"""Spreadsheets: an articles table and a paragraphs table (one row per paragraph pair), as two
CSV files or two sheets of one xlsx workbook, from the same rows.

Every text cell that a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage
return before one) is neutralised with a leading apostrophe (OWASP's CSV injection advice):
exported text is data, never code that runs when the file is opened.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date
from typing import IO, Any, Sequence

from ...config import Settings
from ..records import ExportRecord, Pair, Shown
from . import OutFile

ARTICLE_COLUMNS = ("id", "date", "outlet", "author", "review", "title", "title_en", "title_en_by",
                   "abstract_zh", "abstract_zh_by", "abstract_en", "abstract_en_by", "flags", "source")
PAIR_COLUMNS = ("article_id", "paragraph", "zh", "en", "en_by", "status", "review", "note", "flags")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 forbids these control characters; openpyxl would refuse the whole workbook
MIN_WIDTH, MAX_WIDTH = 8, 66  # xlsx column widths, in characters of the default font; a full article id (64 hex digits) fits
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _flags(shown_units: Sequence[Shown]) -> str:
    return "\n".join(f"{f.check}: {f.detail}" for unit in shown_units for f in unit.flags)


def article_row(record: ExportRecord) -> tuple[Any, ...]:
    a = record.article
    units = (record.title_en, record.abstract_en, *(p.en for p in record.pairs))
    return (a.id, a.date, a.outlet, a.author, record.review, a.title, record.title_en.text,
            record.title_en.provenance, record.abstract_zh.text, record.abstract_zh.provenance,
            record.abstract_en.text, record.abstract_en.provenance, _flags(units), a.source.path)


def pair_row(record: ExportRecord, pair: Pair) -> tuple[Any, ...]:
    return (record.article.id, pair.number, pair.zh, pair.en.text, pair.en.provenance, pair.en.status,
            pair.review, pair.note, _flags([pair.en]))


def tables(records: Sequence[ExportRecord]) -> dict[str, list[tuple[Any, ...]]]:
    """Sheet name -> rows, header first, every cell neutralised."""
    articles = [ARTICLE_COLUMNS, *(article_row(r) for r in records)]
    pairs = [PAIR_COLUMNS, *(pair_row(r, p) for r in records for p in r.pairs)]
    return {name: [tuple(neutralise(v) for v in row) for row in rows]
            for name, rows in (("articles", articles), ("paragraphs", pairs))}


def csv_files(records: Sequence[ExportRecord], settings: Settings) -> list[OutFile]:
    return [OutFile(f"{name}.csv", lambda out, rows=rows: write_csv(rows, out))
            for name, rows in tables(records).items()]


def write_csv(rows: Sequence[tuple[Any, ...]], out: IO[str]) -> None:
    # the BOM makes Excel read UTF-8 (it assumes the locale's code page otherwise and garbles Chinese)
    out.write("\ufeff")
    csv.writer(out, lineterminator="\r\n").writerows(rows)


def xlsx_files(records: Sequence[ExportRecord], settings: Settings) -> list[OutFile]:
    return [OutFile("articles.xlsx", lambda out: write_xlsx(tables(records), out), binary=True)]


def write_xlsx(sheets: dict[str, list[tuple[Any, ...]]], out: IO[bytes]) -> None:
    from openpyxl import Workbook  # only xlsx exports pay for it
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        dates = {i for i, column in enumerate(rows[0]) if column == "date"}
        for number, row in enumerate(rows):
            sheet.append([_xlsx_value(v, number > 0 and i in dates) for i, v in enumerate(row)])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if cell.is_date:
                    cell.number_format = "yyyy-mm-dd"
        for index, column in enumerate(zip(*rows), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column_width(column)
        sheet.freeze_panes = "A2"  # the header stays in view
        sheet.auto_filter.ref = sheet.dimensions  # a filter button on every column
    book.save(out)


def _xlsx_value(value: Any, is_date: bool) -> Any:
    if is_date and isinstance(value, str):
        try:
            return date.fromisoformat(value)  # a real date: sorts, filters and formats as one
        except ValueError:
            return value  # a date the page wrote wrongly stays as its text, never dropped
    return _XML_ILLEGAL.sub("\ufffd", value) if isinstance(value, str) else value


def column_width(cells: Sequence[Any]) -> float:
    """Wide enough for the longest line of the column (CJK counts double), within MIN..MAX; longer
    text wraps inside the cell."""
    longest = max((_cells(line) for value in cells if value is not None for line in str(value).splitlines()),
                  default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
