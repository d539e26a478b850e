"""Translation speed: sample paragraphs through an opus-mt-zh-en-sized Marian model."""
from __future__ import annotations

from ..config import Settings
from ..types import Task
from .decoding import DecodeBench, bench_decoding
from .workload import bench_spec, encode, sample_paragraphs, spread

# (units, forced output tokens) per run; quick is for iterating, the full one for docs/performance.md
SIZES = {"quick": (8, 48), "full": (16, 96)}
WINDOW = 512  # the model's positions; longer paragraphs are chunked in a real run


def bench_translate(settings: Settings, quick: bool) -> list[DecodeBench]:
    units, new_tokens = SIZES["quick" if quick else "full"]
    spec = bench_spec(Task.TRANSLATE, settings)
    inputs = [ids for ids in encode(spec, sample_paragraphs()) if len(ids) <= WINDOW]
    chosen = spread(inputs, units)
    return [bench_decoding(Task.TRANSLATE, spec, chosen, new_tokens, beams) for beams in (1, 4)]
