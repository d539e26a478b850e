"""Abstract speed: chunks of 320 to 506 tokens through an mT5-base-sized model, 84 new tokens
each (XL-Sum's summary length), as a long article's map-reduce pieces reach the model."""
from __future__ import annotations

from ..config import Settings
from ..types import Task
from .decoding import DecodeBench, bench_decoding
from .workload import bench_spec, encode, sample_paragraphs

SIZES = {"quick": 2, "full": 4}
SHORTEST, LONGEST, NEW_TOKENS = 320, 506, 84


def bench_abstract(settings: Settings, quick: bool) -> list[DecodeBench]:
    units = SIZES["quick" if quick else "full"]
    spec = bench_spec(Task.ABSTRACT, settings)
    encoded = encode(spec, sample_paragraphs())
    eos = encoded[0][-1]
    stream = [token for ids in encoded for token in ids[:-1]]  # the paragraphs run on, as in an article
    lengths = [SHORTEST + round(i * (LONGEST - SHORTEST) / max(1, units - 1)) for i in range(units)]
    chunks, start = [], 0
    for length in lengths:
        chunks.append(stream[start:start + length - 1] + [eos])
        start += length
    return [bench_decoding(Task.ABSTRACT, spec, chunks, NEW_TOKENS, beams) for beams in (1, 4)]
