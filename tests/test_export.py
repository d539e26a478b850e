"""`summarizer export`: the jsonl record of one hard article, the format registry, atomic writes."""
from __future__ import annotations

import json

from click.testing import CliRunner

from summarizer import load_settings
from summarizer.cli import cli
from summarizer.pipeline import ExtractiveWorker, stored_result
from summarizer.store.db import Store
from summarizer.store.keys import Recipe, abstract_unit, result_key, translation_units
from summarizer.types import Article, Damage, Source, TaskResult

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


def fill(store: Store) -> None:
    """An extractive abstract, the title and first paragraph translated, the rest pending."""
    abstract = abstract_unit(HARD)
    extract = ExtractiveWorker()
    rows = [stored_result(abstract, result_key(abstract, extract.recipe), extract.recipe, extract.produce([abstract])[0])]
    for unit in translation_units(HARD, extract.produce([abstract])[0].text):
        done = unit.name in ("title", "p0")
        result = TaskResult(task="translate", unit=unit.name, text=f"EN <{unit.name}>\n=1+1" if done else "",
                            status="done" if done else "pending", method="model", model=MODEL.model_id,
                            revision=MODEL.revision, reason=None if done else "tiny/marian: missing; get it")
        rows.append(stored_result(unit, result_key(unit, MODEL), MODEL, result))
    with store.transaction():
        store.add_articles([HARD])
        store.save_results(rows)


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


def export(*args: str):
    return CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)


def test_jsonl_record_of_a_hard_article(tmp_path):
    with Store.open(load_settings().store_path) as store:
        fill(store)
    result = export("--format", "jsonl", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["articles.jsonl"]
    text = (tmp_path / "out" / "articles.jsonl").read_text(encoding="utf-8")
    assert text.count("\n") == 1 and "<script>" in text  # one line: newlines inside strings are escaped
    assert json.loads(text) == EXPECTED


def test_unknown_format_lists_the_valid_ones(tmp_path, capsys):
    from cli_runner import run_cli

    with Store.open(load_settings().store_path):
        pass
    result = run_cli(capsys, "export", "--format", "docx", "--out", tmp_path / "out")
    assert (result.code, result.err) == (2, "error: docx: unknown export format; use one of: jsonl\n")
    assert not (tmp_path / "out").exists()


def test_export_without_a_store_says_what_to_do(tmp_path, capsys):
    from cli_runner import run_cli

    result = run_cli(capsys, "export", "--out", tmp_path / "out")
    assert result.code == 2
    assert result.err == (f"error: {load_settings().store_path}: no store here yet; "
                          "run 'summarizer run PATH...' first, or pass --store\n")
