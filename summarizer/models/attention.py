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
which halves the bytes read where the keys outgrow the CPU's cache.
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


@dataclass(frozen=True)
class EncoderKeys:
    """How the batch's rows attend: which rows share a length run of the cross-attention keys,
    and which self-attention slots each beam may see."""

    runs: tuple[tuple[int, int, int], ...]  # (first row, end row, longest input) of each run
    lineage: Lineage | None = None  # the self-attention slots of each beam, when beams are grouped


def length_runs(lengths: Sequence[int]) -> tuple[tuple[int, int, int], ...]:
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


def attend(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, mask: torch.Tensor | None,
           keys: EncoderKeys, beams: int, cross: bool, scaling: float,
           position_bias: torch.Tensor | None = None) -> torch.Tensor:
    """Attention of one-token queries (rows x beams, heads, 1, dim) against `key` and `value`
    (rows, heads, length, dim): the cross-attention cache (`cross`, in runs of similar input
    lengths) or the self-attention cache (with `beams` grouped, each beam masked to its lineage).
    `mask` is additive or boolean; T5's `position_bias` is added to the scores. Output (rows x
    beams, 1, heads, dim)."""
    if not cross and beams > 1 and keys.lineage is not None:
        mask = keys.lineage.mask  # causal by construction: a beam's slots are all in its past
        if position_bias is not None:
            position_bias = _bias_per_slot(position_bias, keys.lineage.positions)
    runs = keys.runs if cross else ((0, key.shape[0], key.shape[2]),)
    parts = [_attend(query, key, value, mask, position_bias, beams, run, scaling) for run in runs]
    return torch.cat(parts) if len(parts) > 1 else parts[0]


def _bias_per_slot(bias: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
    """T5's relative position bias (1, heads, 1, keys), made as if key i were at position i, for
    the slots of the grouped cache at their `positions` (inputs, slots): (inputs, heads, 1, slots)."""
    return bias[0, :, :, positions].permute(2, 0, 1, 3)


def _attend(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, mask: torch.Tensor | None,
            bias: torch.Tensor | None, beams: int, run: tuple[int, int, int], scaling: float) -> torch.Tensor:
    """Rows [start, end) against their first `length` keys; queries (rows x beams, heads, 1, dim)
    grouped as (rows, heads, beams, dim)."""
    start, end, length = run
    heads, dim = query.shape[1], query.shape[3]
    grouped = query[start * beams:end * beams].view(end - start, beams, heads, dim).transpose(1, 2)
    if mask is not None:
        mask = mask[start:end, ..., :length] if mask.shape[0] > 1 else mask[..., :length]
    if bias is not None:
        bias = bias[start:end, ..., :length] if bias.shape[0] > 1 else bias[..., :length]
    output = products(grouped, key[start:end, :, :length], value[start:end, :, :length], mask, bias, scaling)
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
