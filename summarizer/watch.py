"""`run --watch`: a folder that keeps growing, polled; each file is handed over once it has settled
(its size and modification time unchanged over one interval), so a page still being written is
never cleaned half-way. Which files were handed over lives only in memory: a restarted watch hands
over everything again, and the store's cache makes that cheap (finished work is skipped)."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .clean import collect_inputs
from .errors import InputError

Signature = tuple[int, int]  # size, mtime in ns


def _signature(path: Path) -> Signature | None:
    try:
        stat = path.stat()
    except OSError:
        return None  # gone between listing and looking: the next poll decides
    return stat.st_size, stat.st_mtime_ns


def settled_files(paths: Sequence[Path], interval: float,
                  sleep: Callable[[float], None] = time.sleep) -> Iterator[tuple[list[Path], list[InputError]]]:
    """Forever: each poll's newly settled files (and input errors first seen), possibly none."""
    seen: dict[Path, Signature] = {}  # last signature of files not handed over yet
    done: set[tuple[Path, Signature]] = set()
    reported: set[str] = set()
    while True:
        files, errors = collect_inputs(list(paths))
        ready = []
        for path in files:
            signature = _signature(path)
            if signature is None or (path, signature) in done:
                continue
            if seen.get(path) == signature:
                ready.append(path)
                done.add((path, signature))
                del seen[path]
            else:
                seen[path] = signature
        fresh = [e for e in errors if e.line() not in reported]
        reported.update(e.line() for e in fresh)
        yield ready, fresh
        sleep(interval)
