"""Every transformers internal this project relies on, named in one place.

The public API (from_pretrained, generate, configs, tokenizers) does not cover what our decoding
needs: our own step (own_step.py) runs the weights of MarianMT and mT5 modules by their attribute
names, and the loop that decodes other architectures (decode.py) drives the model's forward with
transformers' cache classes. Those names are not a promise of transformers; a release may rename
one. So each is listed here, reached only through `part`, and tests/test_models_internals.py
resolves every entry on tiny models of each architecture, naming the one a version lacks.
Module attribute paths are dotted, integers index a ModuleList.
"""
from __future__ import annotations

import inspect
from typing import Any

# MarianMTModel: the decoder, one decoder layer, the head
MARIAN_DECODER = ("embed_tokens", "embed_positions.weight", "layers")
MARIAN_LAYER = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj",
                "self_attn_layer_norm", "encoder_attn.q_proj", "encoder_attn.k_proj", "encoder_attn.v_proj",
                "encoder_attn.out_proj", "encoder_attn_layer_norm", "fc1", "fc2", "activation_fn",
                "final_layer_norm")
MARIAN_MODEL = ("lm_head", "final_logits_bias")
# MT5ForConditionalGeneration: the decoder stack, one block (self-attention, cross-attention,
# feed-forward as layer 0, 1 and 2), the first block's relative position buckets, the head
MT5_DECODER = ("embed_tokens", "block", "final_layer_norm")
MT5_BLOCK = ("layer.0.SelfAttention.q", "layer.0.SelfAttention.k", "layer.0.SelfAttention.v",
             "layer.0.SelfAttention.o", "layer.0.layer_norm", "layer.1.EncDecAttention.q",
             "layer.1.EncDecAttention.k", "layer.1.EncDecAttention.v", "layer.1.EncDecAttention.o",
             "layer.1.layer_norm", "layer.2", "layer.2.layer_norm", "layer.2.DenseReluDense.wi_0",
             "layer.2.DenseReluDense.wi_1", "layer.2.DenseReluDense.wo", "layer.2.DenseReluDense.act")
MT5_FIRST_BLOCK = ("layer.0.SelfAttention.relative_attention_bias",)
MT5_MODEL = ("lm_head",)
# Importable names: the forward path's caches and encoder output wrapper
IMPORTS = ("transformers.cache_utils.DynamicCache", "transformers.cache_utils.EncoderDecoderCache",
           "transformers.modeling_outputs.BaseModelOutput")
# Methods of EncoderDecoderCache the forward path calls to drop finished rows and reorder beams
CACHE_METHODS = ("reorder_cache", "batch_select_indices")
# The forward's keyword for the cache: "cache" since transformers 5.2x, "past_key_values" before
CACHE_KEYWORDS = ("cache", "past_key_values")


class InternalsChanged(RuntimeError):
    """This transformers version lacks an internal listed above."""


def part(owner: Any, path: str) -> Any:
    """owner.a.b.0.c for path "a.b.0.c"; InternalsChanged naming the path when it is missing."""
    found = owner
    for name in path.split("."):
        try:
            found = found[int(name)] if name.isdigit() else getattr(found, name)
        except (AttributeError, IndexError, TypeError) as exc:
            raise InternalsChanged(f"transformers {_version()}: {type(owner).__name__} has no {path}") from exc
    return found


def imported(dotted: str) -> Any:
    """The class or function at transformers' `dotted` path."""
    import importlib

    module, _, name = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise InternalsChanged(f"transformers {_version()}: no {dotted}") from exc


def encoder_decoder_cache() -> Any:
    """An empty cache for the forward path, with the methods it calls."""
    cache = imported(IMPORTS[1])(imported(IMPORTS[0])(), imported(IMPORTS[0])())
    for method in CACHE_METHODS:
        part(cache, method)
    return cache


def cache_keyword(model: Any) -> str:
    """The keyword the model's forward takes its cache by."""
    accepted = inspect.signature(model.forward).parameters
    for keyword in CACHE_KEYWORDS:
        if keyword in accepted:
            return keyword
    raise InternalsChanged(f"transformers {_version()}: {type(model).__name__}.forward takes none of "
                           f"{', '.join(CACHE_KEYWORDS)}")


def _version() -> str:
    import transformers

    return transformers.__version__
