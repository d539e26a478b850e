"""Attention of our own step (own_step.py) for one-token decoder queries, as matrix products.

generate() repeats the encoder output once per beam and pads every input of a batch to the
longest, so each decoding step reads the cross-attention keys k times over and mostly reads
padding: on a CPU that reading is bound by memory bandwidth, and was a quarter of beam search's
time. Our step keeps one copy of the keys per input; runs of rows with similar input lengths
attend only to their own longest input, and the k beam queries of an input go against its keys
together, as one attention call of k query positions.

Every query runs as two matrix products around a float32 softmax. sdpa's CPU kernel is tuned for
long query blocks; for one to k queries against one input's keys, the products were up to three
times faster (docs/performance.md, "Speed"), and they read keys stored in bfloat16 (decode.py decides when),
which halves the bytes read where the keys outgrow the CPU's cache. Each run's cross-attention
keys are a tensor of their own, cut to the run's length once: oneDNN's bfloat16 product copies
keys cut from a longer tensor at every call: 7.2 ms a step of mT5-base's 12 layers against 2.8 ms
with the run's own tensor (one input of 444 of 506 tokens, 4 beams).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import torch

if TYPE_CHECKING:
    from .lineage import Lineage

# One more attention call costs about as much as reading this many more padded keys of one input
# (Marian-size model, 2-core CPU); it decides where the runs of similar lengths split.
CALL_COST = 256


Run = tuple[int, int, int]  # (first row, end row, longest input)
States = Sequence[tuple[torch.Tensor, torch.Tensor]]  # keys and values, (rows, heads, length, dim), per run


@dataclass(frozen=True)
class EncoderKeys:
    """How the batch's rows attend: which rows share a length run of the cross-attention keys,
    and which self-attention slots each beam may see."""

    runs: tuple[Run, ...]
    lineage: Lineage | None = None  # the self-attention slots of each beam, when beams are grouped


def length_runs(lengths: Sequence[int]) -> tuple[Run, ...]:
    """Consecutive rows in runs, so that padded keys read plus CALL_COST per run is least."""
    best = [0] + [None] * len(lengths)  # best[j]: cost of rows [0, j)
    cut = [0] * (len(lengths) + 1)
    for end in range(1, len(lengths) + 1):
        for start in range(end):
            cost = best[start] + (end - start) * max(lengths[start:end]) + CALL_COST
            if best[end] is None or cost < best[end]:
                best[end], cut[end] = cost, start
    runs, end = [], len(lengths)
    while end:
        runs.append((cut[end], end, max(lengths[cut[end]:end])))
        end = cut[end]
    return tuple(reversed(runs))


@dataclass(frozen=True)
class Kept:
    """What is left of one run of keys once some inputs are finished."""

    run: int  # the run's index
    rows: tuple[int, ...]  # the rows kept, as positions within the run
    length: int  # the longest of them


def kept_runs(runs: Sequence[Run], inputs: Sequence[int],
              lengths: Sequence[int]) -> tuple[tuple[Run, ...], tuple[Kept, ...]]:
    """The runs once only `inputs` (ascending rows) go on, `lengths` their input lengths, and what
    each keeps: a run keeps its grouping, cut to its longest remaining input; one left empty goes.
    (Regrouping would copy every run's keys for a saving of a few calls.)"""
    new_runs: list[Run] = []
    kept: list[Kept] = []
    for index, (first, end, _) in enumerate(runs):
        rows = [(row - first, length) for row, length in zip(inputs, lengths) if first <= row < end]
        if rows:
            start = new_runs[-1][1] if new_runs else 0
            kept.append(Kept(index, tuple(row for row, _ in rows), max(length for _, length in rows)))
            new_runs.append((start, start + len(rows), kept[-1].length))
    return tuple(new_runs), tuple(kept)


def attend(query: torch.Tensor, states: States, mask: torch.Tensor | None, keys: EncoderKeys, beams: int,
           cross: bool, scaling: float, position_bias: torch.Tensor | None = None) -> torch.Tensor:
    """Attention of one-token queries (rows x beams, heads, 1, dim) against `states`: the
    cross-attention cache (`cross`), one per run of keys.runs, or the one self-attention cache
    (with `beams` grouped, each beam masked to its lineage). `mask` is additive or boolean;
    T5's `position_bias` is added to the scores. Output (rows x beams, 1, heads, dim)."""
    if not cross and beams > 1 and keys.lineage is not None:
        mask = keys.lineage.mask  # causal by construction: a beam's slots are all in its past
        if position_bias is not None:
            position_bias = _bias_per_slot(position_bias, keys.lineage.positions)
    own = states[0][0]
    runs = keys.runs if cross else ((0, own.shape[0], own.shape[2]),)
    parts = [_attend(query, key, value, mask, position_bias, beams, run, scaling)
             for run, (key, value) in zip(runs, states, strict=True)]
    return torch.cat(parts) if len(parts) > 1 else parts[0]


def _bias_per_slot(bias: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
    """T5's relative position bias (1, heads, 1, keys), made as if key i were at position i, for
    the slots of the grouped cache at their `positions` (inputs, slots): (inputs, heads, 1, slots)."""
    return bias[0, :, :, positions].permute(2, 0, 1, 3)


def _attend(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, mask: torch.Tensor | None,
            bias: torch.Tensor | None, beams: int, run: Run, scaling: float) -> torch.Tensor:
    """Rows [start, end) against their run's `length` keys (`key` and `value` are the run's own);
    queries (rows x beams, heads, 1, dim) grouped as (rows, heads, beams, dim)."""
    start, end, length = run
    heads, dim = query.shape[1], query.shape[3]
    grouped = query[start * beams:end * beams].view(end - start, beams, heads, dim).transpose(1, 2)
    if mask is not None:
        mask = mask[start:end, ..., :length] if mask.shape[0] > 1 else mask[..., :length]
    if bias is not None:
        bias = bias[start:end, ..., :length] if bias.shape[0] > 1 else bias[..., :length]
    output = products(grouped, key, value, mask, bias, scaling)
    return output.reshape((end - start) * beams, 1, heads, dim)


def products(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, mask: torch.Tensor | None,
             bias: torch.Tensor | None, scaling: float) -> torch.Tensor:
    """softmax(q k^T * scale + bias + mask) v in the keys' dtype, the softmax in float32; output
    (rows, queries, heads, dim) in the query's dtype."""
    if scaling != 1:  # on the few queries rather than the many scores
        query = query * scaling
    scores = torch.matmul(query.to(key.dtype), key.transpose(-1, -2)).float()
    if bias is not None:
        scores += bias
    if mask is not None and mask.dtype == torch.bool:
        scores.masked_fill_(~mask, torch.finfo(torch.float32).min)
    elif mask is not None:
        scores += mask
    weights = torch.softmax(scores, -1).to(value.dtype)
    return torch.matmul(weights, value).to(query.dtype).transpose(1, 2)
