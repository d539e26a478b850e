"""Batched generation around a loaded model: inputs sorted by length and packed into batches under
a row and token budget, results in input order.

Inputs arrive already cut to fit (chunk.py); this module refuses, rather than truncates, any
input over the window, and never passes truncation=True to the tokenizer.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import torch

from ..config import GenerationSettings
from .decode import decode_loop
from .load import Loaded
from .rules import rules_for


@dataclass(frozen=True)
class Job:
    """One generate() input: the text as the model sees it, its token count and output ceiling."""

    text: str
    tokens: int
    max_new_tokens: int


def plan_batches(lengths: Sequence[int], max_rows: int, max_tokens: int) -> list[list[int]]:
    """Indices of the inputs in batches, longest first: at most `max_rows` inputs and, when
    `max_tokens` is set, at most that many padded input tokens (rows x longest) per batch.
    Sorting keeps padding small; the budget lets short inputs share wide batches, which decode
    in fewer steps per token, while long ones stay in small ones that fit in memory."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    batches: list[list[int]] = []
    for index in order:
        batch = batches[-1] if batches else None
        if batch and len(batch) < max_rows and (not max_tokens or (len(batch) + 1) * lengths[batch[0]] <= max_tokens):
            batch.append(index)
        else:
            batches.append([index])
    return batches


class Generator:
    """Runs jobs through the model in planned batches; see the module docstring."""

    def __init__(self, loaded: Loaded, settings: GenerationSettings, batch_size: int, batch_tokens: int = 0,
                 reference: bool = False) -> None:
        """reference: plain generate() decoding, the baseline the bench and the tests compare with."""
        self.loaded = loaded
        self.batch_size, self.batch_tokens = batch_size, batch_tokens
        self.min_new_tokens = settings.min_new_tokens
        if loaded.engine == "ctranslate2":
            from .ct2 import CT2Decoder

            self._decoder: Any = CT2Decoder(loaded, settings)
        else:
            self._decoder = TorchDecoder(loaded, settings, reference)
        self.decoder = self._decoder.name  # which loop decodes, and why when it is generate()'s own

    def generate(self, jobs: Sequence[Job]) -> list[str]:
        """One decoded output per job, in the order of `jobs`."""
        if not jobs:
            return []
        inputs = self.loaded.tokenizer([job.text for job in jobs], truncation=False)["input_ids"]
        outputs = self.generate_ids(inputs, [job.max_new_tokens for job in jobs])
        return [text.strip() for text in self.loaded.tokenizer.batch_decode(outputs, skip_special_tokens=True)]

    def generate_ids(self, inputs: Sequence[list[int]], ceilings: Sequence[int]) -> list[list[int]]:
        """Generated token ids per input (eos included when reached), at most its ceiling each."""
        outputs: list[list[int]] = [[] for _ in inputs]
        for batch in plan_batches([len(ids) for ids in inputs], self.batch_size, self.batch_tokens):
            width = max(len(inputs[i]) for i in batch)
            if width > self.loaded.window:
                raise RuntimeError(f"an input of {width} tokens reached generate() past the {self.loaded.window}-token "
                                   "window; chunking must prevent this")
            max_new = max(ceilings[i] for i in batch)
            results = self._decoder.run([inputs[i] for i in batch], min(self.min_new_tokens, max_new), max_new)
            for index, tokens in zip(batch, results):
                outputs[index] = tokens
        return outputs


class TorchDecoder:
    """model.generate() with our decode loop in place of its own, where the model's rules allow."""

    def __init__(self, loaded: Loaded, settings: GenerationSettings, reference: bool) -> None:
        self.model, self.device = loaded.model, loaded.device
        self.pad_id = loaded.tokenizer.pad_token_id
        self.kwargs: dict[str, Any] = {
            "num_beams": settings.num_beams, "no_repeat_ngram_size": settings.no_repeat_ngram_size,
            "repetition_penalty": settings.repetition_penalty, "length_penalty": settings.length_penalty,
            "do_sample": False,
        }
        if loaded.forced_bos_token_id is not None:
            self.kwargs["forced_bos_token_id"] = loaded.forced_bos_token_id
        rules = rules_for(loaded.model, settings, loaded.forced_bos_token_id)
        self.encode_alone = not reference and loaded.device == "cpu"
        if reference:
            self.name = "generate()"
        elif rules.unsupported:
            self.name = f"generate() (the model's generation config sets {rules.unsupported})"
        else:
            self.kwargs.update(custom_generate=decode_loop, rules=rules)
            self.name = "own loop"

    def run(self, inputs: list[list[int]], min_new: int, max_new: int) -> list[list[int]]:
        width = max(map(len, inputs))
        ids = torch.full((len(inputs), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(inputs), width), dtype=torch.long)
        for row, tokens in enumerate(inputs):
            ids[row, :len(tokens)] = torch.tensor(tokens, dtype=torch.long)
            mask[row, :len(tokens)] = 1
        ids, mask = ids.to(self.device), mask.to(self.device)
        with torch.inference_mode():
            encoded = {"encoder_outputs": self._encode_alone(ids, list(map(len, inputs)))} if self.encode_alone else {}
            sequences = self.model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new,
                                            min_new_tokens=min_new, **self.kwargs, **encoded)
        eos = self.model.generation_config.eos_token_id
        return [_until_eos(row[1:], eos) for row in sequences.tolist()]

    def _encode_alone(self, ids: torch.Tensor, lengths: list[int]) -> Any:
        """The encoder output of each input computed at its own length, zero where padded. On a
        CPU, compute grows with the tokens encoded: a batch padded to its longest input paid for
        up to three times the real tokens (and the square of that in attention)."""
        from transformers.modeling_outputs import BaseModelOutput

        encoder = self.model.get_encoder()
        hidden = None
        for row, length in enumerate(lengths):
            state = encoder(input_ids=ids[row:row + 1, :length]).last_hidden_state
            if hidden is None:
                hidden = state.new_zeros((ids.shape[0], ids.shape[1], state.shape[-1]))
            hidden[row, :length] = state[0]
        return BaseModelOutput(last_hidden_state=hidden)


def _until_eos(tokens: list[int], eos: int | list[int]) -> list[int]:
    """The generated tokens up to and including the first eos; generate() pads after it."""
    ends = eos if isinstance(eos, list) else [eos]
    for position, token in enumerate(tokens):
        if token in ends:
            return tokens[:position + 1]
    return tokens
