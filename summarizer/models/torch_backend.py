"""The torch backend: a transformers model decoded by our own loop (decode.py), or by generate().

This is where a model's decoding is decided, once per decoder (plan_for): our own step for
MarianMT and mT5 where attention is by products (reduced precision on a CPU, measured there
only), the model's forward elsewhere, generate() itself as the reference the tests and the
bench compare with, and for a model whose generation config asks for rules our loop lacks.
"""
from __future__ import annotations

from typing import Any

import torch

from ..config import GenerationSettings
from .decode import Plan, decode, stepper_for
from .limits import shape_of
from .load import Loaded
from .own_step import own_step
from .precision import narrow_keys_pay
from .rules import Rules, rules_for

# What the recorded parameters of a result say about numbers this backend changed
ROW_INT8 = "int8, weights per channel, activations per row"


def plan_for(loaded: Loaded, rules: Rules) -> Plan:
    """Our own step where attention is by products: reduced precision on a CPU (measured there;
    float32 keeps the model's forward, so its tokens stay generate()'s). Cross-attention keys in
    bfloat16 where one input's keys at the full window already outgrow the CPU's cache, a
    property of the model and the machine, never of the batch, so results do not depend on
    their batch neighbours."""
    products = loaded.device == "cpu" and loaded.dtype != "float32"
    step = own_step(loaded.model) if products else None
    shape = shape_of(loaded.model, loaded.window, 1, rules.num_beams, True)
    window_keys = loaded.window * shape.layers * 2 * shape.width * 4  # one input's keys and values, float32
    return Plan(rules.num_beams, step, step is not None and narrow_keys_pay(window_keys))


class TorchDecoder:
    """Token ids in and out of a transformers model, per the plan."""

    def __init__(self, loaded: Loaded, settings: GenerationSettings, reference: bool) -> None:
        self.model, self.device = loaded.model, loaded.device
        self.pad_id = loaded.tokenizer.pad_token_id
        self.threads = loaded.threads
        self.rules = rules_for(loaded.model, settings, loaded.forced_bos_token_id)
        self.plan = plan_for(loaded, self.rules)
        self.generate_kwargs: dict[str, Any] | None = None
        if reference or self.rules.unsupported:
            self.generate_kwargs = _generate_kwargs(settings, loaded.forced_bos_token_id)
        if reference:
            self.name = "generate()"
        elif self.rules.unsupported:
            self.name = f"generate() (the model's generation config sets {self.rules.unsupported})"
        else:
            self.name = "own loop, own step" if self.plan.own_step else "own loop"
        self.numerics = {}  # what changes the numbers, recorded with the results
        if loaded.dtype == "int8":
            self.numerics["quantization"] = ROW_INT8
        if self.plan.narrow_keys and self.generate_kwargs is None:
            self.numerics["cross_keys"] = "bfloat16"

    def run(self, inputs: list[list[int]], min_new: int, max_new: int) -> list[list[int]]:
        ids, mask = self._padded(inputs)
        with torch.inference_mode(), _threads(self.threads):
            if self.generate_kwargs is not None:
                sequences = self.model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new,
                                                min_new_tokens=min_new, **self.generate_kwargs)
                eos = self.model.generation_config.eos_token_id
                return [_until_eos(row[1:], eos) for row in sequences.tolist()]
            hidden = self._encode(ids, mask, list(map(len, inputs)))
            stepper = stepper_for(self.model, self.plan, hidden, mask)
            return decode(stepper, self.rules, len(inputs), min_new, max_new)

    def _padded(self, inputs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        width = max(map(len, inputs))
        ids = torch.full((len(inputs), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(inputs), width), dtype=torch.long)
        for row, tokens in enumerate(inputs):
            ids[row, :len(tokens)] = torch.tensor(tokens, dtype=torch.long)
            mask[row, :len(tokens)] = 1
        return ids.to(self.device), mask.to(self.device)

    def _encode(self, ids: torch.Tensor, mask: torch.Tensor, lengths: list[int]) -> torch.Tensor:
        """The encoder output (inputs, width, d_model). On a CPU each input is encoded at its own
        length, zero where padded: compute grows with the tokens encoded, and a batch padded to
        its longest input paid for up to three times the real tokens (and the square of that in
        attention). On a GPU, one padded batch."""
        encoder = self.model.get_encoder()
        if self.device != "cpu":
            return encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        hidden = None
        for row, length in enumerate(lengths):
            state = encoder(input_ids=ids[row:row + 1, :length]).last_hidden_state
            if hidden is None:
                hidden = state.new_zeros((ids.shape[0], ids.shape[1], state.shape[-1]))
            hidden[row, :length] = state[0]
        return hidden


def _generate_kwargs(settings: GenerationSettings, forced_bos: int | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "num_beams": settings.num_beams, "no_repeat_ngram_size": settings.no_repeat_ngram_size,
        "repetition_penalty": settings.repetition_penalty, "length_penalty": settings.length_penalty,
        "do_sample": False,
    }
    if forced_bos is not None:
        kwargs["forced_bos_token_id"] = forced_bos
    return kwargs


class _threads:
    """torch's CPU threads set to a model's own `threads` while it runs, then back: each model
    keeps its setting, instead of the last one loaded setting it for the process."""

    def __init__(self, count: int) -> None:
        self.count, self.before = count, 0

    def __enter__(self) -> None:
        if self.count:
            self.before = torch.get_num_threads()
            torch.set_num_threads(self.count)

    def __exit__(self, *exc: object) -> None:
        if self.count:
            torch.set_num_threads(self.before)


def _until_eos(tokens: list[int], eos: int | list[int]) -> list[int]:
    """The generated tokens up to and including the first eos; generate() pads after it."""
    ends = eos if isinstance(eos, list) else [eos]
    for position, token in enumerate(tokens):
        if token in ends:
            return tokens[:position + 1]
    return tokens
