"""The ray engine on a real local Ray instance with the tiny models: same store as the local engine,
cached units never sent, an interrupted run resumes. Skip with -m "not ray"."""
from __future__ import annotations

import dataclasses
import logging
import re

import pytest
from conftest import SAMPLES
from test_pipeline_models import settings  # noqa: F401  (fixture: tiny models, greedy)

from summarizer import load_settings
from summarizer.cli import main
from summarizer.pipeline import run
from summarizer.store.db import Store

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'summarizer[ray]'")
pytestmark = pytest.mark.ray

# the run's own summary table on stderr; anything else there is noise
SUMMARY = re.compile(r"^ ?(summarizer run|articles|paragraphs|new results|cached results|pending|failed|time)\b")
# our own lines on stderr: the config in effect, each model load, the next steps after the summary
OURS = re.compile(r"^(config: |loading the |loaded the |next: )")
# every column but `created`, which is when the row was written
COLUMNS = ("key, article_id, task, unit, input_hash, method, model, revision, prompt_hash, params, "
           "status, text, chunks, chunking, reason")


@pytest.fixture(scope="module")
def ray_engine():
    """One Ray instance for the module: starting one takes seconds."""
    from summarizer.engines import open_engine

    ray.init(num_cpus=2, log_to_driver=False, logging_level=logging.ERROR, include_dashboard=False)
    try:
        options = dataclasses.replace(load_settings().engine, name="ray", actors=2, num_cpus=1.0)
        with open_engine(options) as engine:
            yield engine
    finally:
        ray.shutdown()


@pytest.fixture
def sent(monkeypatch) -> list[list]:
    """The units of every batch the engine hands to Ray (a spy on the real from_items)."""
    calls: list[list] = []
    real = ray.data.from_items

    def spy(rows, **kwargs):
        calls.extend(row["units"] for row in rows)
        return real(rows, **kwargs)

    monkeypatch.setattr(ray.data, "from_items", spy)
    return calls


def stored(path) -> list[tuple]:
    with Store.open(path) as store:
        return store.conn.execute(f"SELECT {COLUMNS} FROM results ORDER BY key").fetchall()


def tiny_config(settings, path):  # noqa: F811  (the fixture's value)
    """The tiny-model settings as a config file, for the CLI."""
    lines = []
    for task in ("abstract", "translate"):
        spec = settings.models[task]
        lines += [f"[models.{task}]", f'id = "{spec.id}"', 'device = "cpu"', f"[models.{task}.generation]",
                  "num_beams = 1", f"max_new_tokens = {spec.generation.max_new_tokens}", "no_repeat_ngram_size = 0"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_ray_run_stores_exactly_what_the_local_engine_stores(settings, ray_engine, sent, tmp_path,  # noqa: F811
                                                                  capfd):
    with Store.open(tmp_path / "local.db") as store:
        local = run([SAMPLES], settings, store)
    config = tiny_config(settings, tmp_path / "tiny.toml")
    capfd.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(SAMPLES), "--engine", "ray", "--config", str(config), "--store", str(tmp_path / "ray.db")])
    assert exit_.value.code == 0
    noise = [line for line in capfd.readouterr().err.splitlines() if line.strip() and not SUMMARY.match(line)
             and not OURS.match(line)]
    assert len(noise) <= 2, noise  # at most Ray's one core_worker notice per actor pool (ray#53727)
    rows = stored(tmp_path / "ray.db")
    assert {(r[5], r[10]) for r in rows} == {("model", "done")}
    assert rows == stored(tmp_path / "local.db")
    assert sum(len(units) for units in sent) == local.total("new") == len(rows)

    sent.clear()
    with Store.open(tmp_path / "ray.db") as store:
        again = run([SAMPLES], settings, store, engine=ray_engine)
    assert sent == [] and again.total("new") == 0 and again.total("cached") == len(rows)


def test_interrupted_run_resumes_sending_only_what_is_missing(settings, ray_engine, sent, tmp_path):  # noqa: F811
    # blocks of 16 units, whatever "auto" makes of the limits, so there is work left to interrupt
    translate = dataclasses.replace(settings.models["translate"], batch_size=16)
    settings = dataclasses.replace(settings, models=dict(settings.models, translate=translate))

    def stop_after_first_translations(step) -> None:
        if step.task == "translate" and step.units:
            raise KeyboardInterrupt  # like Ctrl-C while the cluster is still working

    with Store.open(tmp_path / "s.db") as store:
        with pytest.raises(KeyboardInterrupt):
            run([SAMPLES], settings, store, engine=ray_engine, progress=stop_after_first_translations)
        kept = {row[0] for row in stored(tmp_path / "s.db")}
        sent.clear()
        resumed = run([SAMPLES], settings, store, engine=ray_engine)
    assert {unit.task for units in sent for unit in units} == {"translate"}
    assert resumed.total("cached") == len(kept) and resumed.total("new") == sum(len(u) for u in sent)
    with Store.open(tmp_path / "fresh.db") as store:
        run([SAMPLES], settings, store)
    assert stored(tmp_path / "s.db") == stored(tmp_path / "fresh.db")
