"""Tasks and unit names are types: what the store keeps and keys by stays the plain names, what
comes back out of it and out of the config is the type, and a name that is no task is refused."""
from __future__ import annotations

import pytest
from cli_runner import run_cli
from test_export import HARD, fill

from summarizer import load_settings
from summarizer.errors import ConfigError
from summarizer.store.db import Store
from summarizer.store.keys import Recipe, Unit, paragraph_index, paragraph_unit, result_key
from summarizer.types import Task, UnitName


def test_a_result_key_is_the_one_the_plain_names_always_made():
    # the digest of this unit and recipe before tasks were types: stored results keep their keys
    unit = Unit("a1", Task.TRANSLATE, "p0", "今天下雨。")
    recipe = Recipe("model", "Helsinki-NLP/opus-mt-zh-en", "abc123", "p1", {"num_beams": 4})
    assert result_key(unit, recipe) == "e5e0f797d6b2324d73e20733c04aa69861e301895d954faca3f0b076780ec21f"


def test_the_store_keeps_plain_names_and_gives_back_tasks(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        fill(store)
        stored = store.conn.execute("SELECT unit, task, typeof(task) FROM results WHERE article_id = ?",
                                    (HARD.id,)).fetchall()
        results = store.results(HARD.id)
    assert {("abstract", "abstract", "text"), ("abstract", "translate", "text"), ("p0", "translate", "text")} \
        <= set(stored)
    assert {type(r.result.task) for r in results} == {Task}
    assert {r.result.task for r in results if r.result.unit == UnitName.ABSTRACT} == {Task.ABSTRACT, Task.TRANSLATE}


def test_config_tables_are_tasks_and_an_unknown_one_is_refused(tmp_path, capsys):
    assert all(type(task) is Task and spec.task is task for task, spec in load_settings().models.items())
    path = tmp_path / "config.toml"
    path.write_text('[models.summarise]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown task 'models.summarise'"):
        load_settings(path)
    result = run_cli(capsys, "models", "--config", path)
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        f"error: {path}: unknown task 'models.summarise'; name one of abstract, translate, briefing")


def test_the_command_line_takes_task_names_only(capsys):
    result = run_cli(capsys, "models", "pull", "summarise")
    assert result.code == 2 and "'summarise' is not one of 'abstract', 'translate', 'briefing'" in result.err


def test_paragraph_units_name_their_index():
    assert [paragraph_index(paragraph_unit(i)) for i in (0, 12)] == [0, 12]
    assert [paragraph_index(name) for name in (UnitName.TITLE, UnitName.ABSTRACT, UnitName.ARTICLE, "p0#1.2")] \
        == [None, None, None, None]
