"""Exports as a user reads them: the xlsx read back with openpyxl (widths, real dates, frozen header,
filter), paragraphs numbered from 1, provenance that reads as a sentence, and a date window that
says how many undated articles it left out."""
from __future__ import annotations

import dataclasses
from datetime import datetime

from cli_runner import run_cli
from test_export import HARD, store  # noqa: F401  (fixture)


UNDATED = dataclasses.replace(HARD, date=None, title="无日期", simplified_title="无日期",
                              paragraphs=("没有日期的一段。",), simplified_paragraphs=("没有日期的一段。",))




def test_xlsx_has_widths_real_dates_a_frozen_header_and_a_filter(store, tmp_path, capsys):
    from openpyxl import load_workbook

    result = run_cli(capsys, "export", "--format", "xlsx", "--out", tmp_path)
    assert result.code == 0 and "wrote 1 article to" in result.err
    book = load_workbook(tmp_path / "articles.xlsx")
    articles, paragraphs = book["articles"], book["paragraphs"]
    for sheet in (articles, paragraphs):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
        header = [cell.value for cell in sheet[1]]
        widths = {name: sheet.column_dimensions[chr(ord("A") + i)].width for i, name in enumerate(header)}
        assert all(8 <= w <= 66 for w in widths.values())
    date_cell = articles.cell(row=2, column=2)
    assert isinstance(date_cell.value, datetime) and date_cell.value.date().isoformat() == "2024-01-02"
    assert date_cell.number_format == "yyyy-mm-dd"
    header = [cell.value for cell in articles[1]]
    width = {name: articles.column_dimensions[chr(ord("A") + i)].width for i, name in enumerate(header)}
    assert width["id"] >= len(HARD.id) and width["title_en_by"] == 47 and width["flags"] > 8  # longest line + 2
    assert [row[1] for row in paragraphs.iter_rows(min_row=2, values_only=True)] == [1, 2]


def test_documents_number_paragraphs_from_one_and_say_who_wrote_each_text(store, tmp_path, capsys):
    assert run_cli(capsys, "export", "--format", "md", "--out", tmp_path).code == 0
    text = (tmp_path / f"{HARD.id}.md").read_text(encoding="utf-8")
    assert "### Paragraph 1 (unreviewed)" in text and "### Paragraph 2 (flagged)" in text
    assert "Paragraph 0" not in text and "by edited" not in text and "_by " not in text
    assert "_edited by a reviewer, over the text made by the model tiny/marian (revision rev1)_" in text
    assert "(2 open flags)" in text


def test_a_date_window_says_how_many_undated_articles_it_left_out(store, tmp_path, capsys):
    with store.transaction():
        store.add_articles([UNDATED])
    result = run_cli(capsys, "export", "--format", "jsonl", "--out", tmp_path, "--since", "2024-01-01")
    assert result.code == 0
    assert "warning: 1 undated article left out by --since/--until" in result.err
    assert "wrote 1 article to" in result.err
    quiet = run_cli(capsys, "export", "--format", "jsonl", "--out", tmp_path, "--since", "2024-01-01", "-q")
    assert quiet.err == ""
    whole = run_cli(capsys, "export", "--format", "jsonl", "--out", tmp_path)
    assert "undated" not in whole.err and "wrote 2 articles" in whole.err
