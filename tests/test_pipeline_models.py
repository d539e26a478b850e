"""End to end with the tiny random-weight models: the real generate() fills the store, once."""
from __future__ import annotations

import dataclasses

import pytest
from conftest import SAMPLES
from tiny_models import tiny_spec

from summarizer import load_settings
from summarizer.pipeline import run
from summarizer.store.db import Store, pick_current
from summarizer.store.keys import abstract_unit, translation_units


@pytest.fixture
def settings(tiny_models):
    base = load_settings()
    models = dict(base.models, **{task: tiny_spec(base.models[task], tiny_models[task])
                                   for task in ("abstract", "translate")})
    return dataclasses.replace(base, models=models)


def missing(settings, tmp_path):
    models = {task: dataclasses.replace(spec, id=str(tmp_path / f"no-{task}")) for task, spec in settings.models.items()}
    return dataclasses.replace(settings, models=models)


def test_every_unit_gets_a_model_result_and_a_rerun_computes_nothing(settings, tmp_path):
    with Store.open(settings.store_path) as store:
        first = run([SAMPLES], settings, store)
        assert first.missing == () and first.failures == [] and first.total("failed") == 0
        for article in store.articles():
            results = store.results(article.id)
            abstract = pick_current(results, "abstract", "abstract", abstract_unit(article).input_hash)
            assert (abstract.result.method, abstract.result.status) == ("model", "done")
            for unit in translation_units(article, abstract.result.text):
                current = pick_current(results, "translate", unit.name, unit.input_hash)
                assert current.result.status == "done" and current.result.text.strip(), unit.name
                assert current.result.chunks >= 1
        second = run([SAMPLES], settings, store)
    assert second.total("new") == 0 and second.total("cached") == first.total("new")


def test_models_arriving_later_fill_in_only_what_was_pending(settings, tmp_path):
    with Store.open(settings.store_path) as store:
        without = run([SAMPLES], missing(settings, tmp_path), store)
        assert {m.task for m in without.missing} == {"abstract", "translate"}
        extractive = store.conn.execute("SELECT key FROM results WHERE method = 'extractive'").fetchall()
        later = run([SAMPLES], settings, store)
        assert later.total("pending") == 0
        assert later.total("new") == without.total("pending") + without.total("new")
        assert store.conn.execute("SELECT key FROM results WHERE method = 'extractive'").fetchall() == extractive
        for article in store.articles():
            current = pick_current(store.results(article.id), "abstract", "abstract",
                                   abstract_unit(article).input_hash)
            assert current.result.method == "model"
