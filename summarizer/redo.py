"""`run --redo TASK`: the task's stored results of the given inputs are forgotten before the run,
which then computes them afresh (after a model folder was replaced in place, say, which keeps its
"local" revision and so its keys)."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .clean import clean_file, collect_inputs
from .config import Settings
from .errors import InputError
from .store.db import Store
from .store.remove import forget_results
from .types import Task


def forget(paths: Sequence[Path], settings: Settings, store: Store, task: Task) -> int:
    """Results of `task` deleted for the articles of `paths`; files that are no article are left to the run."""
    files, _ = collect_inputs(list(paths))
    ids = []
    for path in files:
        try:
            ids.append(clean_file(path, settings).id)
        except InputError:
            continue  # the run reports it, once
    return forget_results(store, ids, task)
