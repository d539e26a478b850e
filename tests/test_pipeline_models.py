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


def test_an_exception_inside_one_batch_fails_only_that_batch(settings, monkeypatch):
    """Whatever the model code raises in one batch fails that batch's units with the reason; the
    other batches are stored, and the next run retries only the failed units."""
    from summarizer.models.generate import Generator

    real = Generator.generate

    def failing_on_one_article(self, jobs):  # the words of one sample article, paragraphs and abstract
        if any("强基" in job.text for job in jobs):
            raise RuntimeError("The size of tensor a (16) must match the size of tensor b (4)")
        return real(self, jobs)

    settings = dataclasses.replace(settings, models={
        task: dataclasses.replace(spec, batch_size=4) for task, spec in settings.models.items()})
    with Store.open(settings.store_path) as store:
        monkeypatch.setattr(Generator, "generate", failing_on_one_article)
        broken = run([SAMPLES], settings, store)
        assert broken.total("failed") > 0 and broken.total("new") > 0
        reasons = {row[0] for row in store.conn.execute("SELECT reason FROM results WHERE status = 'failed'")}
        assert reasons == {f"{settings.models[task].id}: the {task} model failed on this batch "
                           "(RuntimeError: The size of tensor a (16) must match the size of tensor b (4)); "
                           "the next run tries these texts again" for task in ("abstract", "translate")}
        monkeypatch.setattr(Generator, "generate", real)
        mended = run([SAMPLES], settings, store)
    # the failed units again, and the translation of the abstract that exists now
    assert mended.total("failed") == 0 and mended.total("new") == broken.total("failed") + 1


@pytest.mark.parametrize("damage", ["no source.spm", "pickle with code"])
def test_a_model_that_cannot_load_leaves_its_task_pending(settings, tiny_models, tmp_path, damage):
    import os
    import shutil

    import torch

    folder = tmp_path / "damaged"
    if damage == "no source.spm":
        shutil.copytree(tiny_models["translate"], folder)
        (folder / "source.spm").unlink()
        expected = "cannot load the tokenizer in"
    else:
        shutil.copytree(tiny_models["translate-bin"], folder)

        class Payload:
            def __reduce__(self):
                return os.system, ("true",)

        torch.save({"weight": Payload()}, folder / "pytorch_model.bin")
        expected = "refused the pickled weights in"
    settings = dataclasses.replace(settings, models={
        **settings.models, "translate": dataclasses.replace(settings.models["translate"], id=str(folder))})
    with Store.open(settings.store_path) as store:
        report = run([SAMPLES], settings, store)
    [missing] = report.missing
    assert missing.task == "translate" and expected in missing.error.line() and "\n" not in missing.error.line()
    assert report.total("pending") > 0 and report.total("failed") == 0
