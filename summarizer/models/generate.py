"""Batched generation around a loaded model: inputs sorted by length and packed into batches under
a row and token budget, results in input order.

Inputs arrive already cut to fit (chunk.py); this module refuses, rather than truncates, any
input over the window, and never passes truncation=True to the tokenizer.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

import torch

from ..config import GenerationSettings
from .load import Loaded


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


class Decoder(Protocol):
    """A backend's decoder of one model with one run's settings."""

    name: str  # which loop decodes, and why when it is generate()'s own
    numerics: dict[str, str]  # what it changes in the numbers, recorded with each result

    def run(self, inputs: list[list[int]], min_new: int, max_new: int) -> list[list[int]]: ...


def open_decoder(loaded: Loaded, settings: GenerationSettings, reference: bool = False) -> Decoder:
    """The decoder of the model's backend; the one place a backend is chosen."""
    if loaded.backend == "ctranslate2":
        from .ct2 import CT2Decoder

        return CT2Decoder(loaded, settings)
    from .torch_backend import TorchDecoder

    return TorchDecoder(loaded, settings, reference)


class Generator:
    """Runs jobs through the model in planned batches; see the module docstring."""

    def __init__(self, loaded: Loaded, settings: GenerationSettings, batch_size: int, batch_tokens: int = 0,
                 reference: bool = False) -> None:
        """reference: plain generate() decoding, the baseline the bench and the tests compare with."""
        self.loaded = loaded
        self.batch_size, self.batch_tokens = batch_size, batch_tokens
        self.min_new_tokens = settings.min_new_tokens
        self._decoder = open_decoder(loaded, settings, reference)
        self.decoder = self._decoder.name
        self.numerics = self._decoder.numerics

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
            for index, tokens in zip(batch, self._run(batch, inputs, ceilings)):
                outputs[index] = tokens
        return outputs

    def _run(self, batch: list[int], inputs: Sequence[list[int]], ceilings: Sequence[int]) -> list[list[int]]:
        """The batch's outputs; a batch the device has no memory for is run in halves (results do
        not depend on the batch), down to single inputs."""
        max_new = max(ceilings[i] for i in batch)
        try:
            return self._decoder.run([inputs[i] for i in batch], min(self.min_new_tokens, max_new), max_new)
        except torch.OutOfMemoryError:
            if len(batch) == 1:
                raise
        _release_device_memory()
        half = len(batch) // 2
        return self._run(batch[:half], inputs, ceilings) + self._run(batch[half:], inputs, ceilings)


def _release_device_memory() -> None:
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
