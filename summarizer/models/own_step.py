"""One decoding step of a MarianMT or mT5 model, run by our decode loop (decode.py) in place of
transformers' forward where attention is by products (reduced precision on a CPU).

Why: on a CPU a step of these models is bound by the count of operations more than by their
arithmetic. For one token, transformers' forward builds masks and position ids, goes through
dozens of module calls and wraps its outputs; this step runs the same modules' weights with
what one token needs: the query, key and value projections as one product (the cross-attention's
key and value too, once per batch), the encoder mask made
once per batch, T5's position bias computed here once per step, and our own caches (cache.py)
and attention (attention.py), so beams, runs of input lengths and lineages work alike.
Paired runs on the bench's workloads, the same tokens: greedy translation 1.84 against 1.54-1.59 s,
beam 4 4.00 against 3.68 s; abstracts (mT5) greedy 3.49 against 3.26 s, beam 4 5.76 against 5.17 s.
Every module is reached through internals.py, which names each one; any other architecture keeps
transformers' forward.
"""
from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from typing import Any

import torch

from . import internals
from .attention import EncoderKeys, States, attend
from .cache import Caches
from .int8 import RowInt8Linear

_STEPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def own_step(model: Any) -> Step | None:
    """The step for `model`, made once per model; None unless it is a MarianMT or mT5 model whose
    projections can be fused (float or int8 Linear layers, as load.py leaves them)."""
    if model not in _STEPS:
        kind = STEPS.get(getattr(model.config, "model_type", ""))
        _STEPS[model] = kind.build(model) if kind else None
    return _STEPS[model]


def fuse_linears(linears: list[Any]) -> Any | None:
    """One Linear giving the outputs of `linears` (same input) side by side, with the same numbers:
    int8 weights keep each part's scales. None for other layers."""
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


@dataclass(frozen=True)
class Layer:
    """The modules of one decoder layer that a step calls, found once."""

    qkv: Any  # the self-attention's query, key and value projections fused
    own_out: Any
    own_norm: Any
    cross_q: Any
    cross_kv: Any  # the cross-attention's key and value projections fused
    cross_out: Any
    cross_norm: Any
    feed_forward: Any  # mT5: the feed-forward sublayer (GatedFeedForward or the module); Marian: (fc1, act, fc2)
    final_norm: Any = None  # Marian's norm after the feed-forward


class GatedFeedForward:
    """mT5's gated feed-forward sublayer (block layer 2) with wi_0 and wi_1 as one product: norm,
    gelu(x wi_0) * (x wi_1), wo, the residual; the module's numbers (fused int8 layers keep each
    column's products and scales) with one product fewer and no module calls."""

    def __init__(self, norm: Any, wi: Any, act: Any, wo: Any) -> None:
        self.norm, self.wi, self.act, self.wo = norm, wi, act, wo

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        gate, linear = self.wi(self.norm(x)).chunk(2, -1)
        return x + self.wo(self.act(gate) * linear)

    @classmethod
    def of(cls, block: Any, config: Any) -> GatedFeedForward | None:
        """The fused sublayer of an int8 block; None otherwise (a float wo may be kept in float32
        by transformers, with a cast the module makes)."""
        if not config.is_gated_act:
            return None
        part = internals.part
        wi = fuse_linears([part(block, f"layer.2.DenseReluDense.wi_{index}") for index in "01"])
        wo = part(block, "layer.2.DenseReluDense.wo")
        if type(wi) is not RowInt8Linear or type(wo) is not RowInt8Linear:
            return None
        return cls(part(block, "layer.2.layer_norm"), wi, part(block, "layer.2.DenseReluDense.act"), wo)


class Step:
    """What the steps share: the layers, attention through attention.attend, the cross-attention
    cache filled on the first step."""

    def __init__(self, model: Any, layers: list[Layer], heads: int, dim: int, scaling: float) -> None:
        self.model, self.layers = model, layers
        self.heads, self.dim, self.scaling = heads, dim, scaling

    def caches(self, beams: int, cross_dtype: torch.dtype | None) -> Caches:
        return Caches(len(self.layers), beams, cross_dtype)

    def _project(self, layer: Layer, x: torch.Tensor, caches: Caches, index: int) -> tuple:
        rows = x.shape[0]
        query, key, value = layer.qkv(x).view(rows, 3, self.heads, 1, self.dim).unbind(1)
        key, value = caches.own[index].update(key, value)
        return query, key, value

    def _cross(self, layer: Layer, hidden: torch.Tensor | None, caches: Caches, index: int,
               keys: EncoderKeys) -> States:
        """Layer `index` of the cross-attention cache, per run, filled from `hidden` on the first step."""
        if len(caches.cross) == index:
            shape = (hidden.shape[0], hidden.shape[1], 2, self.heads, self.dim)
            states = layer.cross_kv(hidden).view(shape).unbind(2)
            dtype = caches.cross_dtype or hidden.dtype
            # each run's own contiguous tensor, made once here: products of cut or transposed
            # keys copy them anew at every step. (to() returns a view when the dtype is already
            # right, whatever memory_format asks, so contiguous() makes that copy.)
            caches.cross.append([tuple(part[start:end, :length].transpose(1, 2)
                                       .to(dtype, memory_format=torch.contiguous_format).contiguous()
                                       for part in states) for start, end, length in keys.runs])
        return caches.cross[index]

    def _attend(self, out: Any, query: torch.Tensor, states: States, mask: torch.Tensor | None,
                keys: EncoderKeys, beams: int, cross: bool, bias: torch.Tensor | None = None) -> torch.Tensor:
        output = attend(query, states, mask, keys, beams, cross, self.scaling, bias)
        return out(output.reshape(query.shape[0], 1, self.heads * self.dim))


class MarianStep(Step):
    """MarianDecoder and MarianMTModel's head for one token: post-layer-norm blocks, sinusoidal
    positions, no mask for the self-attention (a beam's own past, lineage.py, where grouped)."""

    @classmethod
    def build(cls, model: Any) -> MarianStep | None:
        decoder, config, part = model.get_decoder(), model.config, internals.part
        layers = []
        for layer in part(decoder, "layers"):
            qkv = fuse_linears([part(layer, f"self_attn.{name}_proj") for name in "qkv"])
            kv = fuse_linears([part(layer, f"encoder_attn.{name}_proj") for name in "kv"])
            if qkv is None or kv is None:
                return None
            layers.append(Layer(
                qkv, part(layer, "self_attn.out_proj"), part(layer, "self_attn_layer_norm"),
                part(layer, "encoder_attn.q_proj"), kv, part(layer, "encoder_attn.out_proj"),
                part(layer, "encoder_attn_layer_norm"),
                (part(layer, "fc1"), part(layer, "activation_fn"), part(layer, "fc2")), part(layer, "final_layer_norm")))
        heads = config.decoder_attention_heads
        dim = config.d_model // heads
        return cls(model, layers, heads, dim, dim ** -0.5)

    def __init__(self, model: Any, layers: list[Layer], heads: int, dim: int, scaling: float) -> None:
        super().__init__(model, layers, heads, dim, scaling)
        decoder, part = model.get_decoder(), internals.part
        self.embed, self.positions = part(decoder, "embed_tokens"), part(decoder, "embed_positions.weight")
        self.embed_scale = math.sqrt(model.config.d_model) if model.config.scale_embedding else 1.0
        self.head, self.logits_bias = part(model, "lm_head"), part(model, "final_logits_bias")

    def __call__(self, tokens: torch.Tensor, caches: Caches, hidden: torch.Tensor | None, cross_mask: torch.Tensor,
                 keys: EncoderKeys, beams: int) -> torch.Tensor:
        """Logits (rows, vocab), in the model's dtype, for the token after `tokens` (rows,);
        `hidden` is the encoder output (inputs, length, width) on the first step, None after;
        `cross_mask` is additive, (inputs, 1, 1, length)."""
        x = self.embed(tokens[:, None]) * self.embed_scale + self.positions[caches.position]
        for index, layer in enumerate(self.layers):
            query, key, value = self._project(layer, x, caches, index)
            x = layer.own_norm(x + self._attend(layer.own_out, query, [(key, value)], None, keys, beams, False))
            cross = self._cross(layer, hidden, caches, index, keys)
            query = layer.cross_q(x).view(x.shape[0], self.heads, 1, self.dim)
            x = layer.cross_norm(x + self._attend(layer.cross_out, query, cross, cross_mask, keys, beams, True))
            fc1, activation, fc2 = layer.feed_forward
            x = layer.final_norm(x + fc2(activation(fc1(x))))
        caches.position += 1
        if type(self.head) is RowInt8Linear:
            return self.head(x[:, 0], plus=self.logits_bias)  # the bias added as the rows are scaled
        return self.head(x[:, 0]) + self.logits_bias


class MT5Step(Step):
    """MT5Stack's decoder and MT5ForConditionalGeneration's head for one token: blocks normalized
    before each part, the relative position bias of the first layer shared by all (remapped to
    the grouped slots by attention.attend), no scaling of the scores."""

    @classmethod
    def build(cls, model: Any) -> MT5Step | None:
        decoder, config, part = model.get_decoder(), model.config, internals.part
        layers = []
        for block in part(decoder, "block"):
            qkv = fuse_linears([part(block, f"layer.0.SelfAttention.{name}") for name in "qkv"])
            kv = fuse_linears([part(block, f"layer.1.EncDecAttention.{name}") for name in "kv"])
            if qkv is None or kv is None:
                return None
            layers.append(Layer(
                qkv, part(block, "layer.0.SelfAttention.o"), part(block, "layer.0.layer_norm"),
                part(block, "layer.1.EncDecAttention.q"), kv, part(block, "layer.1.EncDecAttention.o"),
                part(block, "layer.1.layer_norm"), GatedFeedForward.of(block, config) or part(block, "layer.2")))
        return cls(model, layers, config.num_heads, config.d_kv, 1.0)

    def __init__(self, model: Any, layers: list[Layer], heads: int, dim: int, scaling: float) -> None:
        super().__init__(model, layers, heads, dim, scaling)
        decoder, part = model.get_decoder(), internals.part
        self.embed, self.final_norm = part(decoder, "embed_tokens"), part(decoder, "final_layer_norm")
        self.buckets = part(decoder, "block.0.layer.0.SelfAttention.relative_attention_bias")
        self.bucket_count = model.config.relative_attention_num_buckets
        self.max_distance = model.config.relative_attention_max_distance
        self.head = part(model, "lm_head")

    def __call__(self, tokens: torch.Tensor, caches: Caches, hidden: torch.Tensor | None, cross_mask: torch.Tensor,
                 keys: EncoderKeys, beams: int) -> torch.Tensor:
        """As MarianStep.__call__."""
        x = self.embed(tokens[:, None])
        bias = None
        for index, layer in enumerate(self.layers):
            query, key, value = self._project(layer, layer.own_norm(x), caches, index)
            if bias is None:  # keys as if slot i were position i; attention.attend remaps grouped slots
                bias = self._position_bias(caches.position, key.shape[2], x.device)
            x = x + self._attend(layer.own_out, query, [(key, value)], None, keys, beams, False, bias)
            cross = self._cross(layer, hidden, caches, index, keys)
            query = layer.cross_q(layer.cross_norm(x)).view(x.shape[0], self.heads, 1, self.dim)
            x = x + self._attend(layer.cross_out, query, cross, cross_mask, keys, beams, True)
            x = layer.feed_forward(x)
        caches.position += 1
        return self.head(self.final_norm(x)[:, 0])

    def _position_bias(self, position: int, keys: int, device: torch.device) -> torch.Tensor:
        """(1, heads, 1, keys): the learned bias of the query at `position` for keys 0..keys-1 (the
        decoder's one-directional buckets: exact distances up to half the buckets, then
        logarithmic up to max_distance)."""
        distance = position - torch.arange(keys, device=device)  # how far back each key lies
        distance = distance.clamp_min(0)
        exact = self.bucket_count // 2
        far = exact + (torch.log(distance.float() / exact) / math.log(self.max_distance / exact)
                       * (self.bucket_count - exact)).to(torch.long)
        bucket = torch.where(distance < exact, distance, far.clamp_max(self.bucket_count - 1))
        return self.buckets(bucket).T[None, :, None, :]


STEPS: dict[str, type] = {"marian": MarianStep, "mt5": MT5Step}
