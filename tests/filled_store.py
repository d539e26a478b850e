"""A store filled by the real pipeline from two samples with the tiny models, built once per session
and copied for each test (so a test's decisions never leak into another's)."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from conftest import SAMPLES
from tiny_models import tiny_spec

from summarizer import load_settings
from summarizer.pipeline import run
from summarizer.store.db import Store

# two articles, one of them in Traditional script: enough for every view, and quick to generate
SAMPLED = sorted(SAMPLES.glob("*.txt"))[:2]


def filled_store(base: Path, tiny_models: dict[str, Path], target: Path):
    """Settings whose store is a fresh copy of the session's filled store, at `target`."""
    settings = load_settings()
    models = dict(settings.models, **{task: tiny_spec(settings.models[task], tiny_models[task])
                                      for task in ("abstract", "translate")})
    built = base / "filled" / "store.db"
    if not built.exists():
        built.parent.mkdir(exist_ok=True)
        with Store.open(built) as store:
            run(SAMPLED, dataclasses.replace(settings, models=models, store_path=built), store)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one file to copy
    shutil.copy(built, target)
    return dataclasses.replace(settings, models=models, store_path=target)
