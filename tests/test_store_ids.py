"""Article ids are the whole SHA-256 of the content; an id stored for other text is refused, and the
16-digit ids of older stores are migrated with everything that names them, results still cached."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3

import pytest
from conftest import SAMPLES

from summarizer import load_settings
from summarizer.clean import clean_file
from summarizer.errors import ModelNotFound, StoreError
from summarizer.pipeline import ExtractiveWorker, run
from summarizer.serialize import article_to_dict
from summarizer.store.current import find_article
from summarizer.store.db import Store, now
from summarizer.store.keys import abstract_unit, result_key
from summarizer.store.migrations import MIGRATIONS
from summarizer.store.review import decisions, edits, flags_for

SAMPLE = sorted(SAMPLES.glob("*.txt"))[0]


def test_an_article_id_is_the_whole_digest_of_its_text():
    article = clean_file(SAMPLE, load_settings())
    payload = json.dumps([article.title, list(article.paragraphs)], ensure_ascii=False).encode("utf-8")
    assert article.id == hashlib.sha256(payload).hexdigest()


def test_an_id_stored_for_other_text_is_refused_not_dropped(tmp_path):
    first, second = (clean_file(path, load_settings()) for path in sorted(SAMPLES.glob("*.txt"))[:2])
    with Store.open(tmp_path / "s.db") as store:
        with store.transaction():  # a digest collision, made by hand: the second article under the first's id
            row = dict(article_to_dict(second), id=first.id)
            store.conn.execute("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?)", (
                first.id, second.title, None, None, None, second.script, "x", "x", "utf-8",
                json.dumps(row, ensure_ascii=False), now()))
        with pytest.raises(StoreError, match=f"article id {first.id} is already stored for other text"):
            with store.transaction():
                store.add_articles([first])
        with store.transaction():
            store.add_articles([second, second])  # the same text again is kept once, silently
        assert store.conn.execute("SELECT id FROM articles ORDER BY rowid").fetchall() == [(first.id,), (second.id,)]


def extractive_only(spec, settings):
    if spec.task == "abstract":
        return ExtractiveWorker()
    raise ModelNotFound(spec.id, "no model in this test")


def old_store(path, settings):
    """A store as the 16-digit ids left it: one article, its extractive abstract under the key that
    hashed the short id, a decision, an edit over that result, a flag and a glossary term."""
    article = clean_file(SAMPLE, settings)
    short = article.id[:16]
    unit = dataclasses.replace(abstract_unit(article), article_id=short)
    worker = ExtractiveWorker()
    old_key = result_key(unit, worker.recipe)
    with Store.open(path, migrations=MIGRATIONS[:3]) as store, store.transaction():
        record = dict(article_to_dict(article), id=short)
        store.conn.execute("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?)", (
            short, article.title, article.date, article.outlet, article.author, article.script,
            str(SAMPLE), article.source.sha256, article.source.encoding, json.dumps(record, ensure_ascii=False), now()))
        result = worker.produce([unit])[0]
        store.conn.execute("INSERT INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
            old_key, short, "abstract", unit.name, unit.input_hash, "extractive", result.model, result.revision,
            "", json.dumps(dict(worker.recipe.params), sort_keys=True, separators=(",", ":")), "done",
            result.text, 1, "none", None, now()))
        store.conn.execute("INSERT INTO decisions (article_id, unit, status, note, created) VALUES (?, 'p0', "
                           "'flagged', 'check', 'now')", (short,))
        store.conn.execute("INSERT INTO edits (article_id, unit, text, base_key, created) VALUES (?, 'abstract', "
                           "'edited', ?, 'now')", (short, old_key))
        store.conn.execute("INSERT INTO flags VALUES (?, 'p0', 0, 'length', 'long')", (short,))
        store.conn.execute("INSERT INTO glossary VALUES ('词', 'word', ?, 'now')", (short,))
    return article, old_key


def test_an_older_store_gets_whole_ids_and_keeps_its_results_cached(tmp_path):
    settings = dataclasses.replace(load_settings(), store_path=tmp_path / "s.db")
    article, old_key = old_store(settings.store_path, settings)
    with Store.open(settings.store_path) as store:
        assert [a.id for a in store.articles()] == [article.id]
        (result,) = store.results(article.id)
        assert result.key == result_key(abstract_unit(article), ExtractiveWorker().recipe) != old_key
        assert decisions(store, article.id)["p0"] == ("flagged", "check")
        assert store.conn.execute("SELECT base_key FROM edits").fetchone()[0] == result.key
        assert edits(store, article.id)["abstract"].text == "edited"
        assert list(flags_for(store, article.id)) == ["p0"]
        assert store.conn.execute("SELECT article_id FROM glossary").fetchone()[0] == article.id
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert find_article(store, article.id[:16]).id == article.id  # an old id still finds it
        report = run([SAMPLE], settings, store, engine=extractive_only)
    (outcome,) = report.outcomes
    assert (outcome.new, outcome.cached) == (0, 1)  # the abstract was not made again


@pytest.mark.parametrize("shipped", range(1, len(MIGRATIONS)))
def test_a_blank_store_and_each_older_one_end_with_the_same_schema(tmp_path, shipped):
    def schema(path):
        with sqlite3.connect(path) as conn:
            return (sorted(conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()),
                    conn.execute("PRAGMA application_id").fetchone(), conn.execute("PRAGMA user_version").fetchone())

    Store.open(tmp_path / "blank.db").close()
    Store.open(tmp_path / "old.db", migrations=MIGRATIONS[:shipped]).close()
    Store.open(tmp_path / "old.db").close()
    assert schema(tmp_path / "blank.db") == schema(tmp_path / "old.db")
