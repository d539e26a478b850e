"""What `batch_size = "auto"` and `batch_tokens = "auto"` become on this device.

On a CPU, the values measured with `summarizer bench` on a 2-core CPU (docs/performance.md, "Speed"): wider
batches stop paying there once the products outgrow the cache. On a GPU the same values left
most of the card idle (issue 17: 5,807 against 30,692 tok/s at 256 rows), so the rows are as
many as the free device memory holds at the worst case, every input at the full window and every
output at its ceiling, capped where decoding stops gaining; a batch that still runs out of
memory is run in halves (generate.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..config import AUTO, ModelSpec
from ..types import Task

if TYPE_CHECKING:
    from .load import Loaded

# (rows, padded input tokens; 0 = no token limit) per task, measured on a 2-core CPU with the
# bench's models: beam search (every task's default), and greedy decoding where it differs.
# Each int8 product's per-row scaling is a fixed cost per call, so greedy steps, of one row per
# input, pay for wider batches: 64 inputs of the translation bench took 11 % less time in
# batches of 64 rows and 8,192 tokens, while beam search, four rows per input, was fastest at
# 32 and 4,096 (docs/performance.md, "Batch limits per device").
CPU = {Task.TRANSLATE: (32, 4096), Task.ABSTRACT: (4, 2048), Task.BRIEFING: (2, 0)}
CPU_GREEDY = {Task.TRANSLATE: (64, 8192)}
DEVICE_SHARE = 0.8  # of the free memory; the rest for the allocator's slack and activations we do not count
MAX_ROWS = 1024


@dataclass(frozen=True)
class Limits:
    rows: int
    tokens: int  # 0 = no limit


@dataclass(frozen=True)
class Shape:
    """What one batch row costs in device memory."""

    layers: int  # decoder layers
    width: int  # attention heads x head size
    vocab: int
    window: int  # input tokens per row at most
    new_tokens: int  # output tokens per row at most
    beams: int
    element: int  # bytes per cached number
    copies: int  # copies of the encoder keys per input: 1 in our step, `beams` in the model's forward


def cpu_limits(spec: ModelSpec) -> Limits:
    """The measured CPU limits of spec's task and decoding."""
    greedy = CPU_GREEDY.get(spec.task) if spec.generation.num_beams == 1 else None
    return Limits(*(greedy or CPU[spec.task]))


def units_per_call(spec: ModelSpec) -> int:
    """Rows of one model call where the device is not known yet (a Ray driver)."""
    return spec.batch_size if spec.batch_size != AUTO else cpu_limits(spec).rows


def batch_limits(spec: ModelSpec, device: str, shape: Shape | None, free_bytes: int = 0) -> Limits:
    """The configured limits, each "auto" made this device's: CPU values, or on CUDA those of
    device_limits (shape and free_bytes given)."""
    if AUTO not in (spec.batch_size, spec.batch_tokens):
        return Limits(spec.batch_size, spec.batch_tokens)
    if device == "cuda" and shape is not None:
        auto = device_limits(shape, free_bytes)
    else:
        auto = cpu_limits(spec)
    return Limits(auto.rows if spec.batch_size == AUTO else spec.batch_size,
                  auto.tokens if spec.batch_tokens == AUTO else spec.batch_tokens)


def device_limits(shape: Shape, free_bytes: int) -> Limits:
    """Rows whose caches and scores fit DEVICE_SHARE of `free_bytes` with every input at the full
    window; the token budget is what the same memory holds of padded input tokens."""
    per_token = shape.layers * 2 * shape.width * shape.element * shape.copies  # encoder keys and values
    per_row = (shape.layers * 2 * shape.width * shape.element * shape.beams * 2 * shape.new_tokens  # self cache, room doubled
               + shape.beams * shape.vocab * 4 * 3)  # float32 scores, log-probs and their top-k
    usable = int(DEVICE_SHARE * free_bytes)
    rows = max(1, min(MAX_ROWS, usable // (per_row + per_token * shape.window)))
    return Limits(rows, max(shape.window, (usable - rows * per_row) // per_token))


def limits_for(spec: ModelSpec, loaded: Loaded, max_new: int) -> Limits:
    """The batch limits of a loaded model on its device; a GPU's follow its free memory."""
    if loaded.device != "cuda" or loaded.backend != "torch":
        return batch_limits(spec, loaded.device, None)
    shape = shape_of(loaded.model, loaded.window, max_new, spec.generation.num_beams, own_step=False)
    return batch_limits(spec, loaded.device, shape, free_device_bytes(loaded.device))


def free_device_bytes(device: str) -> int:
    """Free memory of the current CUDA device; 0 elsewhere."""
    import torch

    return torch.cuda.mem_get_info()[0] if device == "cuda" else 0


def shape_of(model: Any, window: int, new_tokens: int, beams: int, own_step: bool) -> Shape:
    """The Shape of a transformers seq2seq model from its config."""
    config = model.config
    layers = getattr(config, "decoder_layers", None) or getattr(config, "num_decoder_layers", None) or 1
    width = config.num_heads * config.d_kv if hasattr(config, "d_kv") else config.d_model
    element = next(model.parameters()).element_size()
    return Shape(layers, width, config.vocab_size, window, new_tokens, beams, element, 1 if own_step else beams)
