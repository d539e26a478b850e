"""Decoder attention over the encoder output without the work generate() wastes on a CPU.

generate() repeats the encoder output once per beam and pads every input of a batch to the
longest, so each decoding step reads the cross-attention keys k times over and mostly reads
padding: on a CPU that reading is bound by memory bandwidth, and was a quarter of beam search's
time. Our decode loop (decode.py) keeps one copy of the keys per input and tells this function,
registered with transformers' AttentionInterface, which key tensors are the cross-attention cache
and which runs of rows have similar input lengths. Each run then attends only to its own longest
input, and the k beam queries of an input go against its keys together, as one attention call of
k query positions. Every other call is transformers' own sdpa.

Where the model already computes in reduced precision on a CPU, the load registers the same
function under FAST: every one-token decoder query then runs as two matrix products around a
float32 softmax. sdpa's CPU kernel is tuned for long query blocks; for one to k queries against
one input's keys, the products were up to three times faster (README, "Speed"), and they read
keys stored in bfloat16 (decode.py decides when), which halves the bytes read where the keys
outgrow the CPU's cache. Float32 models keep sdpa, so their tokens stay generate()'s.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import torch

if TYPE_CHECKING:
    from .lineage import Lineage

NAME = "summarizer_shared_sdpa"
FAST = "summarizer_shared_products"
# One more attention call costs about as much as reading this many more padded keys of one input
# (Marian-size model, 2-core CPU); it decides where the runs of similar lengths split.
CALL_COST = 256


@dataclass(frozen=True)
class EncoderKeys:
    """The batch's cross-attention keys, as the decode loop passes them to shared_sdpa."""

    storages: frozenset[int]  # data pointers of the cross-attention cache's key tensors
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


def shared_sdpa(module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                attention_mask: torch.Tensor | None, encoder_keys: EncoderKeys | None = None,
                products: bool = False, **kwargs: Any) -> tuple[torch.Tensor, None]:
    """transformers' sdpa, except for one-token decoder queries against the cross-attention
    cache (runs of similar input lengths) or with k query rows per key row (beams). products
    (FAST): every one-token decoder query as matrix products."""
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    beams = query.shape[0] // key.shape[0]
    cross = encoder_keys is not None and key.data_ptr() in encoder_keys.storages
    if not cross and beams > 1 and encoder_keys is not None and encoder_keys.lineage is not None:
        attention_mask = encoder_keys.lineage.mask  # causal by construction: a beam's slots are all in its past
        kwargs = _bias_per_slot(kwargs, encoder_keys.lineage.positions)
    runs = encoder_keys.runs if cross else ((0, key.shape[0], key.shape[2]),)
    if query.shape[2] != 1 or not (products or beams > 1 or len(runs) > 1):
        return sdpa_attention_forward(module, query, key, value, attention_mask, **kwargs)
    kwargs["is_causal"] = False  # k queries at one position, not k successive positions
    attend = _products if products else _sdpa
    parts = [_attend(attend, module, query, key, value, attention_mask, beams, run, kwargs) for run in runs]
    return (torch.cat(parts) if len(parts) > 1 else parts[0]), None


def _bias_per_slot(kwargs: dict, positions: torch.Tensor) -> dict:
    """T5's relative position bias (1, heads, 1, keys), made as if key i were at position i, for
    the slots of the grouped cache at their `positions` (inputs, slots): (inputs, heads, 1, slots)."""
    bias = kwargs.get("position_bias")
    if bias is None:
        return kwargs
    return {**kwargs, "position_bias": bias[0, :, :, positions].permute(2, 0, 1, 3)}


def _attend(attend: Any, module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
            mask: torch.Tensor | None, beams: int, run: tuple[int, int, int], kwargs: dict) -> torch.Tensor:
    """Rows [start, end) against their first `length` keys; queries (rows x beams, heads, 1, dim)
    grouped as (rows, heads, beams, dim)."""
    start, end, length = run
    heads, dim = query.shape[1], query.shape[3]
    grouped = query[start * beams:end * beams].view(end - start, beams, heads, dim).transpose(1, 2)
    if mask is not None:
        mask = mask[start:end, ..., :length] if mask.shape[0] > 1 else mask[..., :length]
    bias = kwargs.get("position_bias")
    if bias is not None:
        bias = bias[start:end, ..., :length] if bias.shape[0] > 1 else bias[..., :length]
        kwargs = {**kwargs, "position_bias": bias}
    output = attend(module, grouped, key[start:end, :, :length], value[start:end, :, :length], mask, kwargs)
    return output.reshape((end - start) * beams, 1, heads, dim)


def _sdpa(module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, mask: torch.Tensor | None,
          kwargs: dict) -> torch.Tensor:
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    return sdpa_attention_forward(module, query, key, value, mask, **kwargs)[0]


def _products(module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, mask: torch.Tensor | None,
              kwargs: dict) -> torch.Tensor:
    """softmax(q k^T * scale + bias + mask) v in the keys' dtype, the softmax in float32; output
    (rows, queries, heads, dim) in the query's dtype, as sdpa_attention_forward gives it."""
    scaling = query.shape[-1] ** -0.5 if kwargs.get("scaling") is None else kwargs["scaling"]
    if scaling != 1:  # on the few queries rather than the many scores
        query = query * scaling
    scores = torch.matmul(query.to(key.dtype), key.transpose(-1, -2)).float()
    if kwargs.get("position_bias") is not None:
        scores += kwargs["position_bias"]
    if mask is not None and mask.dtype == torch.bool:
        scores.masked_fill_(~mask, torch.finfo(torch.float32).min)
    elif mask is not None:
        scores += mask
    weights = torch.softmax(scores, -1).to(value.dtype)
    return torch.matmul(weights, value).to(query.dtype).transpose(1, 2)


def share_encoder_keys(model: Any, products: bool = False) -> bool:
    """Make `model` attend with shared_sdpa (products: as FAST); False when its attention cannot
    be switched."""
    from transformers import AttentionInterface
    from transformers.masking_utils import ALL_MASK_ATTENTION_FUNCTIONS, AttentionMaskInterface

    name = FAST if products else NAME
    AttentionInterface.register(name, functools.partial(shared_sdpa, products=products))
    AttentionMaskInterface.register(name, ALL_MASK_ATTENTION_FUNCTIONS["sdpa"])
    if model.config._attn_implementation not in ("sdpa", NAME, FAST) or not model._can_set_attn_implementation():
        return False
    model.set_attn_implementation(name)
    return model.config._attn_implementation == name
