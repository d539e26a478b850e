"""One decoding step of a MarianMT or mT5 model, run by our decode loop (decode.py) in place of
transformers' forward where attention is by products (reduced precision on a CPU, attention.py).

Why: on a CPU a step of these models is bound by the count of operations more than by their
arithmetic. For one token, transformers' forward builds masks and position ids, goes through
dozens of module calls and wraps its outputs; this step runs the same modules' weights with
what one token needs: the query, key and value projections as one product, the encoder mask made
once per batch, and the same attention function (shared_sdpa) and caches (cache.py) as the
forward's path, so beams, runs of input lengths, lineages and T5's position bias work alike.
Paired runs on the bench's workloads, the same tokens: greedy translation 1.84 against 1.54-1.59 s,
beam 4 4.00 against 3.68 s; abstracts (mT5) greedy 3.49 against 3.26 s, beam 4 5.76 against 5.17 s.
Any other architecture keeps transformers' forward.
"""
from __future__ import annotations

import weakref
from typing import Any

import torch

from .attention import EncoderKeys, shared_sdpa
from .int8 import RowInt8Linear

_STEPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def own_step(model: Any) -> Step | None:
    """The step for `model`, made once per model; None unless it is a MarianMT or mT5 model whose
    projections can be fused (float or int8 Linear layers, as load.py leaves them)."""
    if model not in _STEPS:
        kind = STEPS.get(getattr(model.config, "model_type", ""))
        fused = [fuse_linears(kind.projections(layer)) for layer in kind.layers(model)] if kind else None
        _STEPS[model] = kind(model, fused) if fused and all(part is not None for part in fused) else None
    return _STEPS[model]


def fuse_linears(linears: list[Any]) -> Any | None:
    """One Linear giving the outputs of `linears` (same input) side by side, with the same numbers:
    int8 weights keep each part's scales (load.py leaves float or RowInt8Linear layers). None for
    other layers."""
    if all(type(linear) is RowInt8Linear for linear in linears):
        return RowInt8Linear.fused(linears)
    if not all(type(linear) is torch.nn.Linear for linear in linears):
        return None
    biases = [linear.bias for linear in linears]
    if any(bias is None for bias in biases) and any(bias is not None for bias in biases):
        return None
    weight = torch.cat([linear.weight for linear in linears])
    fused = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=biases[0] is not None, dtype=weight.dtype,
                            device=weight.device)
    fused.weight.data = weight
    if biases[0] is not None:
        fused.bias.data = torch.cat(biases)
    return fused


class Step:
    """What the steps share: fused projections per layer, attention through shared_sdpa, the
    cross-attention cache filled on the first step."""

    out = ""  # the name of an attention module's output projection
    heads = dim = 0  # attention heads and their width, set by each architecture

    def __init__(self, model: Any, fused: list[Any]) -> None:
        self.model, self.decoder, self.fused = model, model.get_decoder(), fused

    def _attend(self, module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                mask: torch.Tensor | None, keys: EncoderKeys | None, **options: Any) -> torch.Tensor:
        output, _ = shared_sdpa(module, query, key, value, mask, encoder_keys=keys, products=True,
                                scaling=module.scaling, dropout=0.0, **options)
        return getattr(module, self.out)(output.reshape(query.shape[0], 1, self.heads * self.dim))

    def _cross(self, projections: tuple[Any, Any], hidden: torch.Tensor, cache: Any, index: int, first: bool) -> Any:
        """Layer `index` of the cross-attention cache, filled from `hidden` on the first step."""
        if first:
            shape = (hidden.shape[0], hidden.shape[1], self.heads, self.dim)
            key, value = (projection(hidden).view(shape).transpose(1, 2) for projection in projections)
            cache.cross_attention_cache.update(key, value, index)
        return cache.cross_attention_cache.layers[index]


class MarianStep(Step):
    """MarianDecoder and MarianMTModel's head for one token: post-layer-norm blocks, sinusoidal
    positions, no mask for the self-attention (a beam's own past, lineage.py, where grouped)."""

    out = "out_proj"

    def __init__(self, model: Any, fused: list[Any]) -> None:
        super().__init__(model, fused)
        self.heads = self.decoder.layers[0].self_attn.num_heads
        self.dim = self.decoder.layers[0].self_attn.head_dim

    @staticmethod
    def layers(model: Any) -> list[Any]:
        return list(model.get_decoder().layers)

    @staticmethod
    def projections(layer: Any) -> list[Any]:
        return [layer.self_attn.q_proj, layer.self_attn.k_proj, layer.self_attn.v_proj]

    def __call__(self, tokens: torch.Tensor, cache: Any, hidden: torch.Tensor, cross_mask: torch.Tensor,
                 keys: EncoderKeys | None) -> torch.Tensor:
        """Logits (rows, vocab), in the model's dtype, for the token after `tokens` (rows,);
        `hidden` is the encoder output (inputs, length, width), read on the first step only;
        `cross_mask` is additive, (inputs, 1, 1, length)."""
        position = cache.self_attention_cache.get_seq_length()
        rows = tokens.shape[0]
        x = self.decoder.embed_tokens(tokens[:, None]) * self.decoder.embed_scale
        x = x + self.decoder.embed_positions.weight[position]
        for index, layer in enumerate(self.decoder.layers):
            query, key, value = self.fused[index](x).view(rows, 3, self.heads, 1, self.dim).unbind(1)
            key, value = cache.self_attention_cache.update(key, value, index)
            x = layer.self_attn_layer_norm(x + self._attend(layer.self_attn, query, key, value, None, keys))
            attention = layer.encoder_attn
            cross = self._cross((attention.k_proj, attention.v_proj), hidden, cache, index, not position)
            query = attention.q_proj(x).view(rows, self.heads, 1, self.dim)
            x = layer.encoder_attn_layer_norm(x + self._attend(attention, query, cross.keys, cross.values,
                                                               cross_mask, keys))
            x = layer.final_layer_norm(x + layer.fc2(layer.activation_fn(layer.fc1(x))))
        return self.model.lm_head(x[:, 0]) + self.model.final_logits_bias


class MT5Step(Step):
    """MT5Stack's decoder and MT5ForConditionalGeneration's head for one token: blocks normalized
    before each part, the relative position bias of the first layer shared by all (remapped to
    the grouped slots by shared_sdpa), no scaling of the scores."""

    out = "o"

    def __init__(self, model: Any, fused: list[Any]) -> None:
        super().__init__(model, fused)
        self.first = self.decoder.block[0].layer[0].SelfAttention
        self.heads, self.dim = self.first.n_heads, self.first.key_value_proj_dim

    @staticmethod
    def layers(model: Any) -> list[Any]:
        return list(model.get_decoder().block)

    @staticmethod
    def projections(block: Any) -> list[Any]:
        attention = block.layer[0].SelfAttention
        return [attention.q, attention.k, attention.v]

    def __call__(self, tokens: torch.Tensor, cache: Any, hidden: torch.Tensor, cross_mask: torch.Tensor,
                 keys: EncoderKeys | None) -> torch.Tensor:
        """As MarianStep.__call__."""
        position = cache.self_attention_cache.get_seq_length()
        rows = tokens.shape[0]
        x = self.decoder.embed_tokens(tokens[:, None])
        bias = None
        for index, block in enumerate(self.decoder.block):
            own, other = block.layer[0], block.layer[1]
            projected = self.fused[index](own.layer_norm(x))
            query, key, value = projected.view(rows, 3, self.heads, 1, self.dim).unbind(1)
            key, value = cache.self_attention_cache.update(key, value, index)
            if bias is None:  # keys as if slot i were position i; shared_sdpa remaps grouped slots
                bias = self.first.compute_bias(1, key.shape[2], device=x.device, past_seen_tokens=position)
            x = x + self._attend(own.SelfAttention, query, key, value, None, keys, position_bias=bias)
            attention = other.EncDecAttention
            cross = self._cross((attention.k, attention.v), hidden, cache, index, not position)
            query = attention.q(other.layer_norm(x)).view(rows, self.heads, 1, self.dim)
            x = x + self._attend(attention, query, cross.keys, cross.values, cross_mask, keys)
            x = block.layer[-1](x)
        return self.model.lm_head(self.decoder.final_layer_norm(x)[:, 0])


STEPS: dict[str, type] = {"marian": MarianStep, "mt5": MT5Step}
