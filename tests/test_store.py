"""The store: migrations on blank and older databases, articles round-trip, done results are kept."""
from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from summarizer import load_settings
from summarizer.clean import clean_file
from summarizer.errors import StoreError
from summarizer.store.db import Store, StoredResult, pick_current
from summarizer.store.keys import Recipe, Unit, result_key
from summarizer.store.migrations import MIGRATIONS
from summarizer.types import Task, TaskResult, UnitName

from conftest import SAMPLES


def tables(store: Store) -> set[str]:
    return {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_blank_db_gets_every_migration_once(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        assert store.migrations() == {m.__name__ for m in MIGRATIONS}
        assert {"articles", "results", "_migrations"} <= tables(store)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.migrate() == []


def test_older_schema_is_migrated_forward(tmp_path):
    with Store.open(tmp_path / "s.db", migrations=MIGRATIONS[:1]) as store:
        assert "results" not in tables(store)
    with Store.open(tmp_path / "s.db") as store:
        assert "results" in tables(store)
        assert store.migrations() == {m.__name__ for m in MIGRATIONS}


def test_newer_schema_is_refused(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        store.conn.execute("INSERT INTO _migrations VALUES ('m999_future', 'now')")
    with pytest.raises(StoreError, match="newer summarizer"):
        Store.open(tmp_path / "s.db")


def test_a_file_that_is_no_database_is_a_store_error(tmp_path):
    (tmp_path / "s.db").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not an SQLite file"):
        Store.open(tmp_path / "s.db")


def test_missing_store_is_not_created_when_reading(tmp_path):
    with pytest.raises(StoreError, match="no store here yet"):
        Store.open(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_article_round_trips_whole(tmp_path):
    article = clean_file(sorted(SAMPLES.iterdir())[1], load_settings())
    with Store.open(tmp_path / "s.db") as store:
        with store.transaction():
            store.add_articles([article, article])
        assert list(store.articles()) == [article]
        assert store.article(article.id) == article


def stored(unit: Unit, recipe: Recipe, status: str, text: str, created: str) -> StoredResult:
    result = TaskResult(task=unit.task, unit=unit.name, text=text, status=status, method=recipe.method,
                        model=recipe.model_id, revision=recipe.revision)
    return StoredResult(result_key(unit, recipe), unit.article_id, unit.input_hash, "", "{}", created, result)


def test_done_is_never_overwritten_and_pending_is_replaced(tmp_path):
    article = clean_file(sorted(SAMPLES.iterdir())[0], load_settings())
    unit = Unit(article.id, "translate", "p0", article.simplified_paragraphs[0])
    recipe = Recipe("model", "m", "r1")
    with Store.open(tmp_path / "s.db") as store:
        with store.transaction():
            store.add_articles([article])
            store.save_results([stored(unit, recipe, "pending", "", "1")])
            store.save_results([stored(unit, recipe, "done", "first", "2")])
            store.save_results([stored(unit, recipe, "done", "second", "3")])
        (only,) = store.results(article.id)
        assert (only.result.status, only.result.text) == ("done", "first")
        assert store.done_keys([only.key, "other"]) == {only.key}


def test_current_result_prefers_done_then_model_then_newest(tmp_path):
    unit = Unit("a1", Task.ABSTRACT, UnitName.ABSTRACT, "正文。")
    model, extract = Recipe("model", "m", "r"), Recipe("extractive", "textrank", "1")
    older_model = stored(unit, model, "done", "model text", "2")
    rows = [stored(unit, extract, "done", "extract", "3"), older_model,
            stored(unit, Recipe("model", "m2", "r"), "pending", "", "4")]
    assert pick_current(rows, Task.ABSTRACT, UnitName.ABSTRACT, unit.input_hash) == older_model
    assert pick_current(rows, Task.ABSTRACT, UnitName.ABSTRACT, "another input") is None


def test_write_lock_is_released_after_a_failed_batch(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        with pytest.raises(sqlite3.IntegrityError):
            with store.transaction():
                store.conn.execute("INSERT INTO _migrations VALUES ('m001_articles', 'again')")
        assert not store.conn.in_transaction


def test_keys_change_with_every_part_of_the_recipe():
    unit = Unit("a1", Task.TRANSLATE, "p0", "今天下雨。")
    base = Recipe("model", "Helsinki-NLP/opus-mt-zh-en", "abc123", "p1", {"num_beams": 4})
    key = result_key(unit, base)
    assert result_key(unit, replace(base, params={"num_beams": 4})) == key
    variants = [replace(base, model_id="other/model"), replace(base, revision="def456"),
                replace(base, prompt_hash="p2"), replace(base, params={"num_beams": 5}),
                replace(base, method="extractive")]
    units = [replace(unit, text="今天晴天。"), replace(unit, name="p1"), replace(unit, article_id="a2"),
             replace(unit, task=Task.ABSTRACT)]
    keys = {result_key(unit, r) for r in variants} | {result_key(u, base) for u in units}
    assert key not in keys and len(keys) == len(variants) + len(units)
