"""`summarizer run` through click: models missing, bad inputs, re-runs, --json, exit codes."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from cli_runner import run_cli
from conftest import SAMPLES

from summarizer import load_settings
from summarizer.cli import cli
from summarizer.store.db import Store


@pytest.fixture
def no_models(tmp_path):
    """A config naming model folders that do not exist: the models-missing path, on any machine."""
    config = tmp_path / "no-models.toml"
    config.write_text(f'[models.abstract]\nid = "{tmp_path}/no-abstract"\n'
                      f'[models.translate]\nid = "{tmp_path}/no-translate"\n', encoding="utf-8")
    return config


def invoke(*args: str):
    return CliRunner().invoke(cli, ["run", *args], catch_exceptions=False)


def stored(settings=None) -> list[tuple]:
    with Store.open((settings or load_settings()).store_path) as store:
        return store.conn.execute("SELECT article_id, task, unit, method, status, text, reason FROM results").fetchall()


def test_models_missing_run_stores_extractive_abstracts_and_pending_translations(no_models, tmp_path):
    result = invoke(str(SAMPLES), "--config", str(no_models))
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2
    assert f"{tmp_path}/no-abstract" in warnings[0] and "abstracts are extractive" in warnings[0]
    assert f"{tmp_path}/no-translate" in warnings[1] and "translations stay pending" in warnings[1]
    rows = stored()
    abstracts = [r for r in rows if r[1] == "abstract"]
    assert len(abstracts) == 5 and {(r[3], r[4]) for r in abstracts} == {("extractive", "done")}
    assert all(r[5] for r in abstracts)
    translations = [r for r in rows if r[1] == "translate"]
    assert {r[4] for r in translations} == {"pending"}
    assert all(r[6].startswith(f"{tmp_path}/no-translate: ") for r in translations)
    with Store.open(load_settings().store_path) as store:
        articles = list(store.articles())
    assert len(articles) == 5
    expected = sum(len([p for p in a.simplified_paragraphs if p.strip()]) + 1 + bool(a.simplified_title)
                   for a in articles)
    assert len(translations) == expected


def test_second_run_computes_nothing_new(no_models):
    first = invoke(str(SAMPLES), "--config", str(no_models), "--json")
    second = invoke(str(SAMPLES), "--config", str(no_models), "--json")
    assert first.exit_code == second.exit_code == 0
    before = [json.loads(line) for line in first.stdout.splitlines()]
    after = [json.loads(line) for line in second.stdout.splitlines()]
    assert [o["article_id"] for o in before] == [o["article_id"] for o in after]
    assert all(o["new"] == 1 and o["cached"] == 0 for o in before)
    assert all(o["new"] == 0 and o["cached"] == 1 for o in after)
    assert [o["pending"] for o in before] == [o["pending"] for o in after]
    assert len(stored()) == sum(o["new"] + o["pending"] for o in before)


def test_bad_inputs_fail_alone_with_one_line_each(no_models, tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    sample = sorted(SAMPLES.iterdir())[0]
    result = invoke(str(sample), str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"),
                    "--config", str(no_models), "--json")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {tmp_path}/missing.txt: no such file or folder; check the path",
        f"error: {tmp_path}/empty.txt: empty file (only whitespace); check the scrape that produced it",
    ]
    outcomes = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["path"] for o in outcomes if not o["error"]] == [str(sample)]
    assert "failed inputs   2" in result.stderr


def test_store_option_moves_the_store(no_models, tmp_path):
    target = tmp_path / "elsewhere.db"
    assert invoke(str(sorted(SAMPLES.iterdir())[0]), "--store", str(target), "--config", str(no_models),
                  "--quiet").exit_code == 0
    assert target.is_file() and not load_settings().store_path.exists()


def test_quiet_prints_no_summary_but_still_warns(no_models):
    result = invoke(str(SAMPLES), "--config", str(no_models), "-q")
    assert "summarizer run" not in result.stderr
    assert result.stderr.count("warning:") == 2


def test_config_error_is_exit_2_without_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[models.translate]\nbatch_size = 0\n", encoding="utf-8")
    result = run_cli(capsys, "run", SAMPLES, "--config", bad)
    assert result.code == 2
    assert result.err.startswith(f"error: {bad}: models.translate.batch_size")
    assert not load_settings().store_path.exists()


def test_run_needs_a_path(capsys):
    result = run_cli(capsys, "run")
    assert result.code == 2 and "Missing argument 'PATHS...'" in result.err
