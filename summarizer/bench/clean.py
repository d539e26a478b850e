"""Cleaning speed: articles per second over a folder, and the median time on its largest page
next to trafilatura's on the same page in the same run (when trafilatura is installed)."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from ..clean import clean_bytes, collect_inputs
from ..config import Settings
from ..errors import InputError


@dataclass(frozen=True)
class CleanBench:
    files: int
    failed: int
    seconds: float
    articles_per_second: float
    largest_page: str
    largest_bytes: int
    median_ms: float
    trafilatura_median_ms: float | None  # None when trafilatura is not installed
    repeats: int


def bench_clean(corpus: Path, settings: Settings, repeats: int = 15) -> CleanBench:
    files, _ = collect_inputs([corpus])
    if not files:
        raise InputError(str(corpus), "no files to benchmark", "point --corpus at a folder of pages")
    pages = [(path, path.read_bytes()) for path in files]
    start = time.perf_counter()
    failed = sum(not _clean_ok(data, str(path), settings) for path, data in pages)
    seconds = time.perf_counter() - start
    largest, data = max(pages, key=lambda page: len(page[1]))
    ours = _median_ms(lambda: _clean_ok(data, str(largest), settings), repeats)
    return CleanBench(len(pages), failed, seconds, len(pages) / seconds, largest.name, len(data),
                      ours, _trafilatura_ms(data, repeats), repeats)


def _clean_ok(data: bytes, name: str, settings: Settings) -> bool:
    try:
        clean_bytes(data, name, settings)
        return True
    except InputError:
        return False


def _median_ms(work, repeats: int) -> float:
    work()  # warm caches (OpenCC dictionaries, regexes) before timing
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _trafilatura_ms(data: bytes, repeats: int) -> float | None:
    try:
        import trafilatura
    except ImportError:
        return None
    text = data.decode("utf-8", errors="replace")
    return _median_ms(lambda: trafilatura.extract(text), repeats)
