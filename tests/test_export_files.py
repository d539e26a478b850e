"""What export writes on disk: CSV for spreadsheets, names from ids only, whole files or none,
and the selection by review status and date."""
from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from cli_runner import run_cli
from test_export import HARD, store  # noqa: F401  (fixture)

from summarizer import load_settings
from summarizer.errors import SummarizerError
from summarizer.store.review import approve_article
from summarizer.views import export as export_module
from summarizer.views.atomic import atomic_file, inside

LATER = dataclasses.replace(HARD, title="后来的文章", simplified_title="后来的文章", date="2025-03-01",
                            paragraphs=("另一段。",), simplified_paragraphs=("另一段。",))




def test_csv_has_a_bom_keeps_chinese_and_neutralises_formulas(store, tmp_path, capsys):
    assert run_cli(capsys, "export", "--format", "csv", "--out", tmp_path).code == 0
    for name, chinese in (("articles.csv", "“测试”"), ("paragraphs.csv", "第一段說")):
        raw = (tmp_path / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and chinese.encode("utf-8") in raw
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    notes = [row[7] for row in csv.reader(io.StringIO((tmp_path / "paragraphs.csv").read_text("utf-8-sig"),
                                                      newline=""))]
    assert "'=HYPERLINK(\"x\") <script>" in notes


def test_files_are_named_by_article_id_and_stay_in_the_folder(store, tmp_path, capsys):
    out = tmp_path / "out"
    for fmt in ("md", "html"):
        assert run_cli(capsys, "export", "--format", fmt, "--out", out).code == 0
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["out", f"{HARD.id}.md", "index.md", f"{HARD.id}.html", "index.html"])


@pytest.mark.parametrize("name", ["../x.html", "/etc/x.html", "a/b.html", ".hidden.html", "测试.html", "x"])
def test_an_unsafe_name_is_refused(name, tmp_path):
    with pytest.raises(SummarizerError):
        inside(tmp_path, name)


def test_an_interrupted_export_leaves_the_old_file_and_no_temp_file(store, tmp_path, monkeypatch):
    (tmp_path / "articles.jsonl").write_text("old\n", encoding="utf-8")

    def interrupted(records):
        raise KeyboardInterrupt

    monkeypatch.setattr("summarizer.views.formats.jsonl.record_json", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export_module.export(store, "jsonl", tmp_path, load_settings())
    assert [p.name for p in tmp_path.iterdir()] == ["articles.jsonl"]
    assert (tmp_path / "articles.jsonl").read_text(encoding="utf-8") == "old\n"


def test_atomic_file_writes_whole_or_nothing(tmp_path):
    with atomic_file(tmp_path / "a.txt") as handle:
        handle.write("whole")
    with pytest.raises(RuntimeError), atomic_file(tmp_path / "b.txt") as handle:
        handle.write("half")
        raise RuntimeError
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"] and (tmp_path / "a.txt").read_text() == "whole"


@pytest.mark.parametrize("options, titles", [
    ((), {HARD.title, LATER.title}),
    (("--status", "approved"), {LATER.title}),
    (("--since", "2025-01-01"), {LATER.title}),
    (("--until", "2024-12-31"), {HARD.title}),
    (("--since", "2024-01-02", "--until", "2024-01-02"), {HARD.title}),
])
def test_selection_by_status_and_date(store, tmp_path, capsys, options, titles):
    import json

    with store.transaction():
        store.add_articles([LATER])
    approve_article(store, LATER.id, len(LATER.paragraphs))
    assert run_cli(capsys, "export", "--out", tmp_path, *options).code == 0
    lines = (tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["title"] for line in lines} == titles


def test_since_after_until_is_a_usage_error(store, tmp_path, capsys):
    result = run_cli(capsys, "export", "--out", tmp_path, "--since", "2025-01-02", "--until", "2025-01-01")
    assert result.code == 2 and result.err.startswith("error: Invalid value for --since: --since is after --until")
    assert list(tmp_path.iterdir()) == []


def test_a_users_prompts_folder_overrides_only_the_templates_it_holds(store, tmp_path, capsys):
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "export_index.md").write_text("custom {{ records | length }} <{{ 'a*b' }}>\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[prompts]\ndir = "{prompts}"\n', encoding="utf-8")
    assert run_cli(capsys, "export", "--config", config, "--format", "md", "--out", tmp_path / "out").code == 0
    assert (tmp_path / "out" / "index.md").read_text(encoding="utf-8") == "custom 1 <a\\*b>\n"
    assert (tmp_path / "out" / f"{HARD.id}.md").read_text(encoding="utf-8").startswith("# “测试”\\<script\\>")
