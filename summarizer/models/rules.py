"""The decoding rules generate() would apply, gathered once per model and applied per step by our
own decode loop (decode.py) with the same arithmetic, so its choices match generate()'s.

Only the rules our models and settings use are implemented; a model whose generation config asks
for anything else is decoded by generate() itself, with the reason recorded (`unsupported`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from ..config import GenerationSettings

# generation_config fields whose defaults leave the scores alone; any other value needs generate().
NEUTRAL = {
    "min_length": (0, None), "suppress_tokens": (None, []), "begin_suppress_tokens": (None, []),
    "encoder_no_repeat_ngram_size": (0, None), "exponential_decay_length_penalty": (None,),
    "sequence_bias": (None,), "num_beam_groups": (1, None), "diversity_penalty": (0.0, None),
    "renormalize_logits": (False, None), "remove_invalid_values": (False, None),
    "epsilon_cutoff": (0.0, None), "eta_cutoff": (0.0, None), "forced_decoder_ids": (None,),
    "num_return_sequences": (1, None), "constraints": (None,), "force_words_ids": (None,),
    "early_stopping": (False, True, None), "max_time": (None,), "stop_strings": (None,),
}


@dataclass(frozen=True)
class Rules:
    """Token ids and settings of one model's decoding; `min_new` and `max_new` come per call."""

    start_id: int
    eos_id: int
    pad_id: int
    num_beams: int
    early_stopping: bool
    length_penalty: float
    repetition_penalty: float
    no_repeat_ngram_size: int
    forced_bos_id: int | None
    forced_eos_id: int | None
    suppressed: tuple[int, ...]  # single-token bad_words_ids (Marian's <pad>)
    unsupported: str  # "" when decode.py can stand in for generate(); else why it cannot

    def apply(self, history: torch.Tensor, scores: torch.Tensor, step: int, min_new: int, max_new: int) -> None:
        """Edit `scores` (rows, vocab) in place before token `step` (0-based) is chosen; `history`
        holds every row's tokens so far, the start token included, as generate() sees them."""
        if self.repetition_penalty != 1.0:
            seen = torch.gather(scores, 1, history)
            seen = torch.where(seen < 0, seen * self.repetition_penalty, seen / self.repetition_penalty)
            scores.scatter_(1, history, seen)
        if self.no_repeat_ngram_size:
            _ban_repeated_ngrams(history, scores, self.no_repeat_ngram_size)
        if self.suppressed:
            scores[:, list(self.suppressed)] = -float("inf")
        if step < min_new:
            scores[:, self.eos_id] = -float("inf")
        if step == 0 and self.forced_bos_id is not None:
            _force(scores, self.forced_bos_id)
        if step == max_new - 1 and self.forced_eos_id is not None:
            _force(scores, self.forced_eos_id)


def rules_for(model: Any, settings: GenerationSettings, forced_bos_id: int | None) -> Rules:
    config = model.generation_config
    eos = config.eos_token_id
    problems = [name for name, neutral in NEUTRAL.items() if getattr(config, name, None) not in neutral]
    bad_words = config.bad_words_ids or []
    if any(len(words) != 1 for words in bad_words):
        problems.append("bad_words_ids of several tokens")
    if isinstance(eos, list):
        problems += ["several eos_token_id"] if len(eos) > 1 else []
        eos = eos[0]
    return Rules(
        start_id=config.decoder_start_token_id, eos_id=eos,
        pad_id=config.pad_token_id if config.pad_token_id is not None else eos,
        num_beams=settings.num_beams, early_stopping=bool(config.early_stopping),
        length_penalty=settings.length_penalty, repetition_penalty=settings.repetition_penalty,
        no_repeat_ngram_size=settings.no_repeat_ngram_size, forced_bos_id=forced_bos_id,
        forced_eos_id=config.forced_eos_token_id, suppressed=tuple(words[0] for words in bad_words),
        unsupported=", ".join(problems))


def _force(scores: torch.Tensor, token: int) -> None:
    scores[:, :] = -float("inf")
    scores[:, token] = 0


def _ban_repeated_ngrams(history: torch.Tensor, scores: torch.Tensor, size: int) -> None:
    """A token that would repeat an n-gram already in the row gets -inf, as in generate()."""
    for row, tokens in enumerate(history.tolist()):
        prefix = tuple(tokens[len(tokens) + 1 - size:])
        banned = {tokens[i + size - 1] for i in range(len(tokens) + 1 - size)
                  if tuple(tokens[i:i + size - 1]) == prefix}
        if banned:
            scores[row, list(banned)] = -float("inf")
