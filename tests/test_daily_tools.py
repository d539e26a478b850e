"""The everyday tools through the real command: rm, search (FTS5 trigram, Chinese and English),
the glossary (list, add, rm, export read back as a glossary file) and shell completion."""
from __future__ import annotations

import json

import pytest
from cli_runner import run_cli
from filled_store import filled_store

from summarizer.qa import load_glossary
from summarizer.store.db import Store
from summarizer.store.review import decide, save_edit


@pytest.fixture
def settings(tmp_path_factory, tiny_models, tmp_path):
    return filled_store(tmp_path_factory.getbasetemp(), tiny_models, tmp_path / "store.db")


def test_rm_removes_an_article_with_everything_of_it(settings, capsys):
    with Store.open(settings.store_path) as store:
        gone, kept = list(store.articles())[:2]
        decide(store, gone.id, "p0", "approved")
        save_edit(store, gone.id, "p1", "An edit.", None)
    result = run_cli(capsys, "rm", gone.id[:8], "--store", settings.store_path)
    assert result.code == 0 and result.err.startswith(f"removed {gone.id[:8]} ")
    with Store.open(settings.store_path) as store:
        assert [a.id for a in store.articles()] == [kept.id]
        for table in ("results", "flags", "decisions", "edits"):
            assert store.conn.execute(f"SELECT count(*) FROM {table} WHERE article_id = ?", (gone.id,)).fetchone() == (0,)
        assert store.conn.execute("SELECT count(*) FROM results").fetchone()[0] > 0
    missing = run_cli(capsys, "rm", "zzzz", "--store", settings.store_path)
    assert missing.code == 1 and missing.err.startswith("error: zzzz: no stored article")


def test_search_finds_chinese_short_and_long_and_english_in_any_case(settings, capsys):
    with Store.open(settings.store_path) as store:
        first, second = list(store.articles())[:2]
    args = ("--store", settings.store_path, "--json")
    long_query = second.simplified_paragraphs[0][:4]  # four characters: the trigram index
    hits = [json.loads(line) for line in run_cli(capsys, "search", long_query, *args).out.splitlines()]
    assert hits and all(long_query in h["zh"] for h in hits)
    assert (second.id, "p0") in {(h["article_id"], h["unit"]) for h in hits}
    short = [json.loads(line) for line in run_cli(capsys, "search", "医院", *args).out.splitlines()]
    assert short and all("医院" in h["zh"] or "醫院" in h["zh"] for h in short)
    assert run_cli(capsys, "search", "Santang", *args).out == ""
    with Store.open(settings.store_path) as store:  # a reviewer's edit is searchable at once
        save_edit(store, first.id, "p2", "Santang Town grew 5% in 2024.", None)
    english = [json.loads(line) for line in run_cli(capsys, "search", "santang town", *args).out.splitlines()]
    assert [(h["article_id"], h["unit"]) for h in english] == [(first.id, "p2")]
    shown = run_cli(capsys, "search", "santang", "--store", settings.store_path)
    assert shown.code == 0 and "Santang Town" in shown.out and "¶3" in shown.out and shown.err == "1 match\n"


def test_glossary_list_add_rm_and_export(settings, capsys, tmp_path):
    store = ("--store", settings.store_path)
    assert run_cli(capsys, "glossary", "list", "--json", *store).out.strip() == "{}"
    added = run_cli(capsys, "glossary", "add", "医联体", "medical consortium", *store)
    assert added.code == 0 and "added 医联体 = medical consortium" in added.err and "flags rechecked" in added.err
    assert json.loads(run_cli(capsys, "glossary", "list", "--json", *store).out) == {"医联体": ["medical consortium"]}
    listed = run_cli(capsys, "glossary", "list", *store)
    assert "1 glossary term" in listed.out and "医联体" in listed.out and "store" in listed.out
    out = tmp_path / "terms.csv"
    assert run_cli(capsys, "glossary", "export", "--out", out, *store).code == 0
    assert load_glossary(out) == {"医联体": ("medical consortium",)}  # readable as glossary.path
    assert run_cli(capsys, "glossary", "rm", "医联体", *store).code == 0
    again = run_cli(capsys, "glossary", "rm", "医联体", *store)
    assert again.code == 2 and again.err == ("error: 医联体: no such term in the store; "
                                             "'summarizer glossary list' lists them\n")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_scripts_as_the_readme_says(shell, capsys, monkeypatch):
    monkeypatch.setenv("_SUMMARIZER_COMPLETE", f"{shell}_source")
    result = run_cli(capsys)
    assert result.code == 0 and "_SUMMARIZER_COMPLETE" in result.out and "summarizer" in result.out
