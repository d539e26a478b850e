"""Batched generate() around a loaded model: length-sorted batches, results in input order.

Inputs arrive already cut to fit (chunk.py); this module refuses, rather than truncates, any
input over the window, and never passes truncation=True to the tokenizer.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import torch

from ..config import GenerationSettings
from .load import Loaded


@dataclass(frozen=True)
class Job:
    """One generate() input: the text as the model sees it, its token count and output ceiling."""

    text: str
    tokens: int
    max_new_tokens: int


class Generator:
    """Runs jobs through model.generate() in batches of `batch_size`, longest inputs first."""

    def __init__(self, loaded: Loaded, settings: GenerationSettings, batch_size: int) -> None:
        self.loaded = loaded
        self.batch_size = batch_size
        self.kwargs: dict[str, Any] = {
            "num_beams": settings.num_beams,
            "no_repeat_ngram_size": settings.no_repeat_ngram_size,
            "repetition_penalty": settings.repetition_penalty,
            "length_penalty": settings.length_penalty,
            "do_sample": False,
        }
        self.min_new_tokens = settings.min_new_tokens
        if loaded.forced_bos_token_id is not None:
            self.kwargs["forced_bos_token_id"] = loaded.forced_bos_token_id

    def generate(self, jobs: Sequence[Job]) -> list[str]:
        """One decoded output per job, in the order of `jobs`."""
        # Sorting by length keeps padding (wasted compute) small and output ceilings close.
        order = sorted(range(len(jobs)), key=lambda i: jobs[i].tokens, reverse=True)
        outputs: list[str] = [""] * len(jobs)
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            texts = self._generate_batch([jobs[i] for i in batch])
            for index, text in zip(batch, texts):
                outputs[index] = text
        return outputs

    def _generate_batch(self, jobs: list[Job]) -> list[str]:
        tokenizer, model = self.loaded.tokenizer, self.loaded.model
        encoded = tokenizer([job.text for job in jobs], padding=True, truncation=False, return_tensors="pt")
        width = encoded["input_ids"].shape[1]
        if width > self.loaded.window:
            raise RuntimeError(f"an input of {width} tokens reached generate() past the {self.loaded.window}-token "
                               "window; chunking must prevent this")
        max_new = max(job.max_new_tokens for job in jobs)
        with torch.inference_mode():
            ids = model.generate(**encoded.to(self.loaded.device), max_new_tokens=max_new,
                                 min_new_tokens=min(self.min_new_tokens, max_new), **self.kwargs)
        return [text.strip() for text in tokenizer.batch_decode(ids, skip_special_tokens=True)]
