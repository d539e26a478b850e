"""Where `summarizer run` does its model work: in this process (pipeline.local_engine) or on a
Ray cluster (ray.py). Cleaning, cache keys and the store stay with the pipeline either way.

Importing this package is cheap: Ray loads only when the ray engine is asked for.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from ..config import EngineSettings
from ..pipeline import Engine, local_engine

__all__ = ["open_engine"]


@contextmanager
def open_engine(options: EngineSettings) -> Iterator[Engine]:
    """The configured engine for the length of one run; a Ray instance it starts is stopped after."""
    if options.name == "local":
        yield local_engine
        return
    from .ray import connect  # ConfigError with the install command when Ray is missing

    with connect(options) as engine:
        yield engine
