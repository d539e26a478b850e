"""Our own greedy and beam decode loops, and the two ways they step a model.

Why: on a CPU, decoding is overhead-bound. generate()'s loops run a dozen logits processors and
stopping criteria per token, keep finished rows in the batch to the end, and in beam search
reorder the whole cache every step. These loops apply the same rules with the same arithmetic
(rules.py) and drop inputs as soon as they are finished, so their tokens are generate()'s
tokens, only sooner. They are called directly with the encoder output (torch_backend.py), one
copy per input; what a batch does is fixed beforehand in a Plan, never read back from the model.

- OwnStepper (plan.own_step: MarianMT and mT5 in reduced precision on a CPU) runs our own step
  (own_step.py) over our own caches (cache.py): one copy of each input's encoder keys for all of
  its beams, runs of similar input lengths attending only to their own keys (attention.py), and
  beams that are never reordered: each follows its lineage (lineage.py).
- ForwardStepper (every other model and precision) runs the model's forward with transformers'
  cache, the encoder output repeated per beam and the cache reordered per step, as generate()
  does, so float32 tokens are generate()'s.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch.nn import functional

from . import best_tokens, internals
from .attention import EncoderKeys, kept_runs, length_runs
from .lineage import Lineage
from .own_step import Step
from .rules import Rules

# generate()'s stand-in for minus infinity in beam scores; the same constant keeps ties the same.
NEG = -1.0e9


@dataclass(frozen=True)
class Plan:
    """What every batch of one decoder does, decided once (torch_backend.plan_for)."""

    beams: int
    own_step: Step | None  # our step where the model has one and attention is by products
    narrow_keys: bool  # the cross-attention keys in bfloat16 (precision.narrow_keys_pay)


class OwnStepper:
    """The decoder of one batch through our own step: encoder output, masks and caches of the
    live inputs, each input once whatever the beams."""

    def __init__(self, plan: Plan, hidden: torch.Tensor, attention_mask: torch.Tensor) -> None:
        assert plan.own_step is not None
        self.plan, self.step, self.beams = plan, plan.own_step, plan.beams
        self.hidden: torch.Tensor | None = hidden  # the encoder output, until the first step has read it
        self.mask, self.device = attention_mask, hidden.device
        self.caches = self.step.caches(self.beams, torch.bfloat16 if plan.narrow_keys else None)
        self.lineage = Lineage(len(hidden), self.beams, self.device) if self.beams > 1 else None
        self.keys = EncoderKeys(length_runs(attention_mask.sum(1).tolist()), self.lineage)
        self.cross_mask = self._cross_mask()

    def scores(self, tokens: torch.Tensor) -> torch.Tensor:
        """Float32 logits (rows, vocab) for the next token after `tokens` (rows,)."""
        first = not self.caches.cross
        if self.lineage is not None and not first:
            self.lineage.extend()  # the first step writes the start token once for all beams
        logits = self.step(tokens, self.caches, self.hidden, self.cross_mask, self.keys, self.beams)
        # the first step made the cross-attention caches from the encoder output, which no later
        # step reads: released, not carried (and copied at every keep) to the end of the batch
        self.hidden = None
        return logits.float()  # rules change it in place: the model output is not reused

    def keep(self, rows: torch.Tensor) -> None:
        """Only decoder `rows` go on (whole inputs, all beams); finished ones stop costing compute."""
        inputs = rows[::self.beams] // self.beams
        self.mask = self.mask[inputs]
        self.cross_mask = self._cross_mask()
        runs, kept = kept_runs(self.keys.runs, inputs.tolist(), self.mask.sum(1).tolist())
        self.caches.select(inputs, kept)
        if self.lineage is not None:
            self.lineage.keep(inputs)
        self.keys = EncoderKeys(runs, self.lineage)

    def reorder_beams(self, rows: torch.Tensor) -> None:
        """Beams moved within their input: each now follows its parent's lineage."""
        self.lineage.follow(rows)
        slots = self.lineage.prune()
        if slots is not None:
            for layer in self.caches.own:
                layer.keep_slots(slots)

    def _cross_mask(self) -> torch.Tensor:
        """The encoder mask as our step adds it to attention scores: (inputs, 1, 1, length)."""
        padded = (self.mask == 0)[:, None, None, :]
        return torch.zeros(padded.shape, device=self.device).masked_fill_(padded, torch.finfo(torch.float32).min)


class ForwardStepper:
    """The decoder of one batch through the model's forward, as generate() runs it: the encoder
    output repeated per beam, transformers' cache reordered with the beams."""

    def __init__(self, model: Any, plan: Plan, hidden: torch.Tensor, attention_mask: torch.Tensor) -> None:
        if plan.beams > 1:
            hidden = hidden.repeat_interleave(plan.beams, 0)
            attention_mask = attention_mask.repeat_interleave(plan.beams, 0)
        self.model, self.device = model, hidden.device
        self.hidden, self.mask = hidden, attention_mask
        self.wrap = internals.imported("transformers.modeling_outputs.BaseModelOutput")
        self.cache = internals.encoder_decoder_cache()
        self.keyword = internals.cache_keyword(model)

    def scores(self, tokens: torch.Tensor) -> torch.Tensor:
        outputs = self.model(encoder_outputs=self.wrap(last_hidden_state=self.hidden), attention_mask=self.mask,
                             decoder_input_ids=tokens[:, None], use_cache=True, **{self.keyword: self.cache})
        return outputs.logits[:, -1].float()

    def keep(self, rows: torch.Tensor) -> None:
        self.hidden, self.mask = self.hidden[rows], self.mask[rows]
        self.cache.batch_select_indices(rows)

    def reorder_beams(self, rows: torch.Tensor) -> None:
        self.cache.reorder_cache(rows)


Stepper = OwnStepper | ForwardStepper


def stepper_for(model: Any, plan: Plan, hidden: torch.Tensor, attention_mask: torch.Tensor) -> Stepper:
    if plan.own_step is not None:
        return OwnStepper(plan, hidden, attention_mask)
    return ForwardStepper(model, plan, hidden, attention_mask)


def decode(stepper: Stepper, rules: Rules, inputs: int, min_new: int, max_new: int) -> list[list[int]]:
    """Generated tokens of each input (eos included when reached), greedy or beam search by `rules`."""
    if rules.num_beams == 1:
        return greedy(stepper, rules, inputs, min_new, max_new)
    return beam_search(stepper, rules, inputs, min_new, max_new)


def greedy(stepper: Stepper, rules: Rules, rows: int, min_new: int, max_new: int) -> list[list[int]]:
    history = torch.full((rows, 1), rules.start_id, dtype=torch.long, device=stepper.device)
    live = torch.arange(rows, device=stepper.device)
    outputs: list[list[int]] = [[] for _ in range(rows)]
    for step in range(max_new):
        scores = stepper.scores(history[:, -1])
        rules.apply(history, scores, step, min_new, max_new)
        history = torch.cat([history, best_tokens.argmax(scores)[:, None]], 1)
        done = history[:, -1] == rules.eos_id
        if step + 1 == max_new or not done.any():
            continue
        for row, tokens in zip(live[done].tolist(), history[done, 1:].tolist()):
            outputs[row] = tokens
        going = (~done).nonzero().squeeze(1)
        if not len(going):
            return outputs
        history, live = history[going], live[going]
        stepper.keep(going)
    for row, tokens in zip(live.tolist(), history[:, 1:].tolist()):
        outputs[row] = tokens
    return outputs


class Beams:
    """Beam state of the live inputs, as generate() keeps it: (inputs, beams) scores, running and
    finished hypotheses; finished ones padded to max_new with their lengths beside."""

    def __init__(self, rules: Rules, inputs: int, max_new: int, device: torch.device) -> None:
        k = rules.num_beams
        self.rules, self.k, self.max_new, self.device = rules, k, max_new, device
        self.live = torch.arange(inputs, device=device)
        self.running = torch.zeros((inputs, k, 0), dtype=torch.long, device=device)
        self.scores = torch.zeros((inputs, k), device=device)
        self.scores[:, 1:] = NEG  # all beams start equal; only the first may expand at step 0
        self.done_tokens = torch.full((inputs, k, max_new), rules.pad_id, dtype=torch.long, device=device)
        self.done_lengths = torch.zeros((inputs, k), dtype=torch.long, device=device)
        self.done_scores = torch.full((inputs, k), NEG, device=device)
        self.done = torch.zeros((inputs, k), dtype=torch.bool, device=device)
        self.improvable = torch.ones((inputs, 1), dtype=torch.bool, device=device)
        # 2k candidates per input so k remain after those that end; only the first k may finish
        self.top_k = torch.arange(2 * k, device=device) < k

    def history(self) -> torch.Tensor:
        inputs = self.running.shape[0]
        start = torch.full((inputs * self.k, 1), self.rules.start_id, dtype=torch.long, device=self.device)
        return torch.cat([start, self.running.reshape(inputs * self.k, -1)], 1)

    def advance(self, log_probs: torch.Tensor, step: int) -> torch.Tensor:
        """Choose the next beams from (inputs * k, vocab) log-probs; the parent row of each new beam."""
        inputs, wide = self.running.shape[0], 2 * self.k
        # A beam's score is added to all of its tokens alike, so the input's best 2k candidates are
        # among each beam's own best 2k: pick those first, then add, instead of adding to the whole
        # vocabulary of every beam. The sums are generate()'s, float for float.
        beam_best, beam_tokens = best_tokens.top(log_probs, wide)
        total = (beam_best.view(inputs, self.k, wide) + self.scores[:, :, None]).view(inputs, -1)
        top_scores, top_index = torch.topk(total, wide)
        parents, tokens = top_index // wide, beam_tokens.view(inputs, -1).gather(1, top_index)
        candidates = torch.cat([_gather(self.running, parents), tokens[:, :, None]], 2)
        ends = (tokens == self.rules.eos_id) | (step + 1 >= self.max_new)
        running_scores = top_scores + ends.to(torch.float32) * NEG
        keep = torch.topk(running_scores, self.k)[1]
        self.running, self.scores = _gather(candidates, keep), running_scores.gather(1, keep)
        self._finish(candidates, top_scores, ends, step)
        self._update_improvable(step)
        rows = parents.gather(1, keep) + torch.arange(inputs, device=self.device)[:, None] * self.k
        return rows.view(-1)

    def _finish(self, candidates: torch.Tensor, top_scores: torch.Tensor, ends: torch.Tensor, step: int) -> None:
        just_done = ends & self.top_k[None, :]
        scores = top_scores / ((step + 1) ** self.rules.length_penalty)
        if self.rules.early_stopping:
            scores += torch.all(self.done, -1, keepdim=True).to(torch.float32) * NEG
        scores += (~self.improvable).to(torch.float32) * NEG
        scores += (~just_done) * NEG
        padded = functional.pad(candidates, (0, self.max_new - candidates.shape[2]), value=self.rules.pad_id)
        lengths = torch.full(just_done.shape, step + 1, dtype=torch.long, device=self.device)
        merged = torch.cat([self.done_scores, scores], 1)
        best = torch.topk(merged, self.k)[1]
        self.done_scores = merged.gather(1, best)
        self.done_tokens = _gather(torch.cat([self.done_tokens, padded], 1), best)
        self.done_lengths = torch.cat([self.done_lengths, lengths], 1).gather(1, best)
        self.done = torch.cat([self.done, just_done], 1).gather(1, best)

    def _update_improvable(self, step: int) -> None:
        """generate()'s early-stop heuristic: can a running beam still beat the worst finished one?"""
        best_running = self.scores[:, :1] / ((step + 1) ** self.rules.length_penalty)
        worst_done = torch.where(self.done, torch.min(self.done_scores, dim=1, keepdim=True)[0], NEG)
        self.improvable = self.improvable & torch.any(best_running > worst_done, dim=-1, keepdim=True)

    def finished(self) -> torch.Tensor:
        """Inputs whose best hypotheses can no longer change."""
        stopped = ~self.improvable[:, 0]
        if self.rules.early_stopping:
            stopped |= self.done.all(-1)
        return stopped

    def best(self, index: int) -> list[int]:
        return self.done_tokens[index, 0, :self.done_lengths[index, 0]].tolist()

    def keep(self, index: torch.Tensor) -> None:
        for name in ("live", "running", "scores", "done_tokens", "done_lengths", "done_scores", "done",
                     "improvable"):
            setattr(self, name, getattr(self, name)[index])


def beam_search(stepper: Stepper, rules: Rules, inputs: int, min_new: int, max_new: int) -> list[list[int]]:
    beams = Beams(rules, inputs, max_new, stepper.device)
    outputs: list[list[int]] = [[] for _ in range(inputs)]
    for step in range(max_new):
        history = beams.history()
        log_probs = functional.log_softmax(stepper.scores(history[:, -1]), dim=-1)
        rules.apply(history, log_probs, step, min_new, max_new)
        stepper.reorder_beams(beams.advance(log_probs, step))
        finished = beams.finished() if step + 1 < max_new else torch.ones_like(beams.live, dtype=torch.bool)
        if not finished.any():
            continue
        for index in finished.nonzero().squeeze(1).tolist():
            outputs[int(beams.live[index])] = beams.best(index)
        going = (~finished).nonzero().squeeze(1)
        if not len(going):
            break
        beams.keep(going)
        beam = torch.arange(rules.num_beams, device=stepper.device)
        stepper.keep((going[:, None] * rules.num_beams + beam).view(-1))
    return outputs


def _gather(tensor: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """tensor[i, index[i, j]] for (inputs, beams, length) tensors."""
    return tensor.gather(1, index[:, :, None].expand(-1, -1, tensor.shape[2]))
