"""A local model folder's revision is a digest of what decides its output, so new weights at the
same path, or a symlink pointed at another model, are new results, never the old cached ones."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES
from tiny_models import tiny_spec

from summarizer import load_settings
from summarizer.models import resolve
from summarizer.models.fingerprint import folder_revision
from summarizer.pipeline import run
from summarizer.store.db import Store


def other_weights(source: Path, target: Path) -> Path:
    """The same architecture and tokenizer as `source`, with other weights."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    shutil.copytree(source, target)
    model = AutoModelForSeq2SeqLM.from_pretrained(source)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(torch.randn_like(parameter))
    model.save_pretrained(target)
    return target


@pytest.fixture
def two_models(tiny_models, tmp_path) -> tuple[Path, Path]:
    first = tmp_path / "first"
    shutil.copytree(tiny_models["translate"], first)
    return first, other_weights(first, tmp_path / "second")


def test_the_revision_follows_weights_config_and_tokenizer(two_models, isolated_home) -> None:
    first, second = two_models
    revision = folder_revision(first)
    assert revision.startswith("local-") and revision == folder_revision(first)
    assert folder_revision(second) != revision  # other weights, the same files otherwise
    config = (first / "config.json").read_text()
    (first / "config.json").write_text(json.dumps({**json.loads(config), "forced_eos_token_id": None}))
    assert folder_revision(first) != revision
    (first / "config.json").write_text(config)
    assert folder_revision(first) == revision
    (first / "vocab.json").write_text((first / "vocab.json").read_text() + " ")
    assert folder_revision(first) != revision


def test_weights_are_hashed_once_and_again_when_they_change(two_models, isolated_home) -> None:
    first, _ = two_models
    revision = folder_revision(first)
    digests = isolated_home / "model-digests.json"
    known = json.loads(digests.read_text())
    [key] = [key for key in known if key.startswith(str((first / "model.safetensors").resolve()))]
    digests.write_text(json.dumps({key: "00" * 32}))
    assert folder_revision(first) != revision  # the kept digest was used: the weights were not read
    os.utime(first / "model.safetensors", ns=(1, 1))
    assert folder_revision(first) == revision  # a new mtime: hashed again


def test_a_repointed_symlink_gives_new_results(two_models, tiny_models, tmp_path) -> None:
    """Through the pipeline: translations made with the model behind a symlink are made again
    once the link points at other weights; the abstracts (another model) stay cached."""
    first, second = two_models
    link = tmp_path / "translator"
    link.symlink_to(first, target_is_directory=True)
    base = load_settings()
    models = dict(base.models, abstract=tiny_spec(base.models["abstract"], tiny_models["abstract"]),
                  translate=tiny_spec(base.models["translate"], link))
    settings = dataclasses.replace(base, models=models)
    before = resolve(models["translate"]).revision
    with Store.open(settings.store_path) as store:
        first_run = run([SAMPLES], settings, store)
        link.unlink()
        link.symlink_to(second, target_is_directory=True)
        assert resolve(models["translate"]).revision not in (before, None)
        second_run = run([SAMPLES], settings, store)
        revisions = {row[0] for row in store.conn.execute("SELECT revision FROM results WHERE task = 'translate'")}
    abstracts = len(list(SAMPLES.glob("*.txt")))
    assert first_run.total("new") > abstracts
    assert second_run.total("cached") == abstracts
    assert second_run.total("new") == first_run.total("new") - abstracts
    assert len(revisions) == 2
