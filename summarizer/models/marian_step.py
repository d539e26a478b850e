"""One decoding step of a MarianMT model, run by our decode loop (decode.py) in place of
transformers' forward where attention is by products (reduced precision on a CPU, attention.py).

Why: on a CPU a step of a model this small is bound by the count of operations, not by their
arithmetic. For one token, transformers' forward builds masks and position ids, goes through
some ninety module calls and wraps its outputs; this step runs the same modules' weights with
what one token needs: the query, key and value projections as one product, the encoder mask made
once per batch, and the same attention function (shared_sdpa) and caches (cache.py) as the
forward's path, so beams, runs of input lengths and lineages work alike. Paired runs of the
bench's greedy translation: 1.94 against 1.40 s, the same tokens.
"""
from __future__ import annotations

import warnings
import weakref
from typing import Any

import torch

from .attention import EncoderKeys, shared_sdpa

_STEPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def marian_step(model: Any) -> MarianStep | None:
    """The step for `model`, made once per model; None unless it is a MarianMT model whose
    projections can be fused (float or dynamic int8 Linear layers, as load.py leaves them)."""
    if model not in _STEPS:
        fused = None
        if getattr(model.config, "model_type", "") == "marian":
            fused = [fuse_linears([layer.self_attn.q_proj, layer.self_attn.k_proj, layer.self_attn.v_proj])
                     for layer in model.get_decoder().layers]
        _STEPS[model] = MarianStep(model, fused) if fused and all(part is not None for part in fused) else None
    return _STEPS[model]


def fuse_linears(linears: list[Any]) -> Any | None:
    """One Linear giving the outputs of `linears` (same input) side by side, with the same numbers:
    int8 weights keep each part's scale, as scales per output channel. None for other layers."""
    if all(type(linear) is torch.nn.Linear and linear.bias is not None for linear in linears):
        weight = torch.cat([linear.weight for linear in linears])
        fused = torch.nn.Linear(weight.shape[1], weight.shape[0], dtype=weight.dtype, device=weight.device)
        fused.weight.data, fused.bias.data = weight, torch.cat([linear.bias for linear in linears])
        return fused
    dynamic = torch.ao.nn.quantized.dynamic.Linear
    if not all(type(linear) is dynamic and linear.weight().qscheme() == torch.per_tensor_affine
               for linear in linears):
        return None
    weights = [linear.weight() for linear in linears]
    scales = torch.cat([torch.full((w.shape[0],), w.q_scale(), dtype=torch.double) for w in weights])
    zeros = torch.cat([torch.full((w.shape[0],), w.q_zero_point(), dtype=torch.long) for w in weights])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # quantized tensor creation is marked deprecated (precision.py)
        weight = torch.quantize_per_channel(torch.cat([w.dequantize() for w in weights]), scales, zeros, 0,
                                            torch.qint8)
    fused = dynamic(weight.shape[1], weight.shape[0], dtype=torch.qint8)
    fused.set_weight_bias(weight, torch.cat([linear.bias() for linear in linears]))
    return fused


class MarianStep:
    """MarianDecoder and MarianMTModel's head for one token: post-layer-norm blocks, sinusoidal
    positions, no mask for the self-attention (a beam's own past, lineage.py, where grouped)."""

    def __init__(self, model: Any, fused: list[Any]) -> None:
        self.model, self.decoder, self.fused = model, model.get_decoder(), fused
        self.heads = self.decoder.layers[0].self_attn.num_heads
        self.dim = self.decoder.layers[0].self_attn.head_dim

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
            if not position:
                self._cross_cache(layer.encoder_attn, hidden, cache, index)
            cross = cache.cross_attention_cache.layers[index]
            query = layer.encoder_attn.q_proj(x).view(rows, self.heads, 1, self.dim)
            attended = self._attend(layer.encoder_attn, query, cross.keys, cross.values, cross_mask, keys)
            x = layer.encoder_attn_layer_norm(x + attended)
            x = layer.final_layer_norm(x + layer.fc2(layer.activation_fn(layer.fc1(x))))
        return self.model.lm_head(x[:, 0]) + self.model.final_logits_bias

    def _attend(self, module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                mask: torch.Tensor | None, keys: EncoderKeys | None) -> torch.Tensor:
        output, _ = shared_sdpa(module, query, key, value, mask, encoder_keys=keys, products=True,
                                scaling=module.scaling, dropout=0.0)
        return module.out_proj(output.reshape(query.shape[0], 1, self.heads * self.dim))

    def _cross_cache(self, module: Any, hidden: torch.Tensor, cache: Any, index: int) -> None:
        shape = (hidden.shape[0], hidden.shape[1], self.heads, self.dim)
        key, value = (projection(hidden).view(shape).transpose(1, 2) for projection in (module.k_proj, module.v_proj))
        cache.cross_attention_cache.update(key, value, index)
