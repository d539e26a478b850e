"""`summarizer export`: the record of one hard article, the format registry, selection, errors.

HARD and fill() are the one hard record every export test (and the golden files) start from.
"""
from __future__ import annotations

import json

import pytest

from cli_runner import run_cli

from summarizer import load_settings
from summarizer.extractive import METHOD_VERSION
from summarizer.pipeline import ExtractiveWorker, stored_result
from summarizer.store.db import Store
from summarizer.store.keys import Recipe, abstract_unit, result_key, translation_units
from summarizer.store.review import Flag, add_flags, decide, save_edit
from summarizer.types import Article, Damage, Source, Task, TaskResult

HARD = Article(
    source=Source(path="in/<script>.html", sha256="ab" * 32, size=99, encoding="gb18030", format="html"),
    title="“测试”<script>alert(1)</script>", date="2024-01-02", outlet="新华网", author=None,
    script="traditional", language="zh",
    paragraphs=("第一段說：“=SUM(A1)”。\n第二行", "第二段，含\"引号\"和\t制表符。"),
    simplified_title="“测试”<script>alert(1)</script>",
    simplified_paragraphs=("第一段说：“=SUM(A1)”。\n第二行", "第二段，含\"引号\"和\t制表符。"),
    damage=(Damage(paragraph=1, text="\ufffd", kind="mojibake", context="含"),),
)
MODEL = Recipe("model", "tiny/marian", "rev1", "", {"num_beams": 1})
XSS = "<img src=x onerror=alert(1)>"


def fill(store: Store) -> None:
    """An extractive abstract, the title and first paragraph translated, the rest pending."""
    abstract = abstract_unit(HARD)
    extract = ExtractiveWorker()
    rows = [stored_result(abstract, result_key(abstract, extract.recipe), extract.recipe, extract.produce([abstract])[0])]
    for unit in translation_units(HARD, extract.produce([abstract])[0].text):
        done = unit.name in ("title", "p0")
        result = TaskResult(task=Task.TRANSLATE, unit=unit.name, text=f"EN <{unit.name}>\n=1+1" if done else "",
                            status="done" if done else "pending", method="model", model=MODEL.model_id,
                            revision=MODEL.revision, reason=None if done else "tiny/marian: missing; get it")
        rows.append(stored_result(unit, result_key(unit, MODEL), MODEL, result))
    with store.transaction():
        store.add_articles([HARD])
        store.save_results(rows)


def review(store: Store) -> None:
    """A reviewer's pass over HARD: flags, an edit that must win over the model, a flagged paragraph."""
    with store.transaction():
        add_flags(store, HARD.id, {"p0": (Flag("numbers", "“1” missing in <English>"),),
                                    "abstract": (Flag("length", "=too long, \"quoted\""),)})
    save_edit(store, HARD.id, "p0", f"@Reviewer's {XSS}\n+second line", None)
    save_edit(store, HARD.id, "abstract", "-An edited \"abstract\" <b>bold</b>", None)
    decide(store, HARD.id, "p1", "flagged", "=HYPERLINK(\"x\") <script>")


EXPECTED = {
    "id": HARD.id,
    "source": {"path": "in/<script>.html", "sha256": "ab" * 32, "encoding": "gb18030"},
    "title": "“测试”<script>alert(1)</script>", "title_en": "EN <title>\n=1+1",
    "date": "2024-01-02", "outlet": "新华网", "author": None, "script": "traditional",
    "abstract_zh": {"text": "第一段说：“=SUM(A1)”。第二段，含\"引号\"和\t制表符。", "status": "done",
                    "method": "extractive", "model": "textrank-bigram", "chunks": 1, "reason": None},
    "abstract_en": {"text": None, "status": "pending", "method": "model", "model": "tiny/marian", "chunks": 1,
                    "reason": "tiny/marian: missing; get it"},
    "paragraphs": [
        {"zh": "第一段說：“=SUM(A1)”。\n第二行", "en": "EN <p0>\n=1+1", "status": "done", "model": "tiny/marian",
         "chunks": 1},
        {"zh": "第二段，含\"引号\"和\t制表符。", "en": None, "status": "pending", "model": "tiny/marian", "chunks": 1},
    ],
}


def _subset(record, shape):
    """`record` cut down to the keys of `shape`, recursively: what the first export wrote."""
    if isinstance(shape, dict):
        return {k: _subset(record[k], v) for k, v in shape.items()}
    if isinstance(shape, list):
        return [_subset(r, s) for r, s in zip(record, shape, strict=True)]
    return record


def test_jsonl_keeps_every_key_of_the_first_export_and_adds_provenance_and_flags(tmp_path, capsys):
    with Store.open(load_settings().store_path) as store:
        fill(store)
    result = run_cli(capsys, "export", "--format", "jsonl", "--out", tmp_path / "out")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["articles.jsonl"]
    text = (tmp_path / "out" / "articles.jsonl").read_text(encoding="utf-8")
    assert text.count("\n") == 1 and "<script>" in text  # one line: newlines inside strings are escaped
    record = json.loads(text)
    assert _subset(record, EXPECTED) == EXPECTED
    assert record["review"] == "unreviewed"
    assert record["title_en_result"]["revision"] == "rev1" and record["abstract_zh"]["revision"] == METHOD_VERSION
    assert all(p["flags"] == [] for p in record["paragraphs"]) and record["abstract_en"]["flags"] == []


def test_a_reviewers_edit_wins_and_says_so(tmp_path, capsys):
    with Store.open(load_settings().store_path) as store:
        fill(store)
        review(store)
    assert run_cli(capsys, "export", "--out", tmp_path).code == 0
    record = json.loads((tmp_path / "articles.jsonl").read_text(encoding="utf-8"))
    first, second = record["paragraphs"]
    assert (first["en"], first["edited"], first["model_text"]) == (f"@Reviewer's {XSS}\n+second line", True,
                                                                   "EN <p0>\n=1+1")
    assert first["flags"] == [{"check": "numbers", "detail": "“1” missing in <English>"}]
    assert (second["review"], second["note"], second["edited"]) == ("flagged", "=HYPERLINK(\"x\") <script>", False)
    assert record["abstract_en"]["text"] == "-An edited \"abstract\" <b>bold</b>"
    assert record["abstract_en"]["edited"] and record["abstract_en"]["model_text"] is None
    assert record["review"] == "flagged"


def test_unknown_format_lists_the_valid_ones(tmp_path, capsys):
    with Store.open(load_settings().store_path):
        pass
    result = run_cli(capsys, "export", "--format", "docx", "--out", tmp_path / "out")
    assert (result.code, result.err) == (2, "error: docx: unknown export format; use one of: csv, html, jsonl, "
                                            "md, xlsx\n")
    assert not (tmp_path / "out").exists()


def test_export_without_a_store_says_what_to_do(tmp_path, capsys):
    result = run_cli(capsys, "export", "--out", tmp_path / "out")
    assert result.code == 2
    assert result.err == (f"error: {load_settings().store_path}: no store here yet; "
                          "run 'summarizer run PATH...' first, or pass --store\n")


@pytest.fixture
def store():
    with Store.open(load_settings().store_path) as opened:
        fill(opened)
        review(opened)
        yield opened
