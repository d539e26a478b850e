"""Our own greedy and beam decode loops, run by generate() in place of its own (custom_generate).

Why: on a CPU, decoding is overhead-bound. generate()'s loops run a dozen logits processors and
stopping criteria per token, keep finished rows in the batch to the end, and in beam search
reorder the whole cache every step, the cross-attention cache included, though it never changes
between the beams of one input. These loops take generate()'s prepared inputs (encoder output,
beam expansion), run the same model forward, apply the same rules with the same arithmetic
(rules.py), drop inputs as soon as they are finished, keep one copy of the encoder output per
input for all its beams (attention.py), write the self-attention cache in place (cache.py) and
reorder only that, so their tokens are generate()'s tokens, only sooner. Attending by products
(reduced precision on a CPU), beams are not reordered at all: each follows its lineage
(lineage.py), and MarianMT and mT5 models step through our own code, on the same weights
(own_step.py).
"""
from __future__ import annotations

from typing import Any

import torch
from torch.nn import functional

from .attention import FAST, NAME, EncoderKeys, length_runs
from .cache import growing_layer
from .lineage import Lineage
from .own_step import own_step
from .precision import narrow_keys_pay
from .rules import Rules

# generate()'s stand-in for minus infinity in beam scores; the same constant keeps ties the same.
NEG = -1.0e9


class Stepper:
    """The decoder of one batch: encoder output, attention mask and cache of the live rows. With
    shared_sdpa (attention.py), one copy of each input's encoder output serves all of its beams
    and each run of similar input lengths reads only its own keys; without it, generate()'s
    copy per beam and padding are used as they come."""

    def __init__(self, model: Any, hidden: torch.Tensor, attention_mask: torch.Tensor, beams: int) -> None:
        from transformers.cache_utils import Cache, DynamicCache, EncoderDecoderCache
        from transformers.modeling_outputs import BaseModelOutput

        self.shared = model.config._attn_implementation in (NAME, FAST)
        self.beams = beams if self.shared else 1
        # attention by products (FAST) takes a mask per beam: beams then share the cache rows of
        # their input and follow their lineage, instead of having the cache reordered each step
        self.grouped = self.beams > 1 and model.config._attn_implementation == FAST
        if self.beams > 1:
            hidden, attention_mask = hidden[::beams].contiguous(), attention_mask[::beams]
        self.model, self.wrap = model, BaseModelOutput
        self.hidden, self.mask, self.device = hidden, attention_mask, hidden.device
        layer = growing_layer(self.beams if self.grouped else 1)
        self.cache = EncoderDecoderCache(Cache(layer_class_to_replicate=layer), DynamicCache())
        self.keys: EncoderKeys | None = None  # known once the first step has filled the cache
        self.lineage: Lineage | None = None  # grouped, from the first step on
        # our own step in place of transformers' forward, where the model has one (own_step.py)
        self.step = own_step(model) if model.config._attn_implementation == FAST else None
        self.cross_mask = self._cross_mask()

    def scores(self, tokens: torch.Tensor) -> torch.Tensor:
        """Float32 logits (rows, vocab) for the next token after `tokens` (rows,)."""
        if self.lineage is not None:
            self.lineage.extend()
        if self.step is not None:
            logits = self.step(tokens, self.cache, self.hidden, self.cross_mask, self.keys)
        else:
            extra = {"encoder_keys": self.keys} if self.keys else {}
            logits = self.model(encoder_outputs=self.wrap(last_hidden_state=self.hidden), attention_mask=self.mask,
                                decoder_input_ids=tokens[:, None], cache=self.cache, use_cache=True,
                                **extra).logits[:, -1]
        if self.shared and self.keys is None:
            if self.grouped:
                self.lineage = Lineage(len(self.hidden), self.beams, self.device)
            self._know_keys()
        return logits.float()  # rules change it in place: the model output is not reused

    def keep(self, rows: torch.Tensor) -> None:
        """Only decoder `rows` go on (whole inputs, all beams); finished ones stop costing compute."""
        inputs = rows[::self.beams] // self.beams
        self.hidden, self.mask = self.hidden[inputs], self.mask[inputs]
        self.cross_mask = self._cross_mask()
        self.cache.self_attention_cache.batch_select_indices(inputs if self.grouped else rows)
        self.cache.cross_attention_cache.batch_select_indices(inputs)
        if self.lineage is not None:
            self.lineage.keep(inputs)
        if self.keys:
            self._know_keys()

    def reorder_beams(self, rows: torch.Tensor) -> None:
        """Beams moved within their input: the cross-attention cache is the same for all of them."""
        if self.lineage is None:
            self.cache.self_attention_cache.reorder_cache(rows)
            return
        self.lineage.follow(rows)
        slots = self.lineage.prune()
        if slots is not None:
            for layer in self.cache.self_attention_cache.layers:
                layer.keep_slots(slots)

    def _cross_mask(self) -> torch.Tensor | None:
        """The encoder mask as our own step adds it to attention scores: (inputs, 1, 1, length)."""
        if self.step is None:
            return None
        padded = (self.mask == 0)[:, None, None, :]
        return torch.zeros(padded.shape, device=self.device).masked_fill_(padded, torch.finfo(torch.float32).min)

    def _know_keys(self) -> None:
        layers = self.cache.cross_attention_cache.layers
        runs = length_runs(self.mask.sum(1).tolist())
        if self.model.config._attn_implementation == FAST:
            _narrow_where_it_pays(layers, runs)
        self.keys = EncoderKeys(frozenset(layer.keys.data_ptr() for layer in layers), runs, self.lineage)


def _narrow_where_it_pays(layers: list, runs: tuple[tuple[int, int, int], ...]) -> None:
    """The cross-attention cache to bfloat16 where reading it at every step is bound by memory
    (precision.narrow_keys_pay)."""
    keys = layers[0].keys
    if keys.dtype != torch.float32:
        return
    _, heads, _, dim = keys.shape
    per_layer = sum((end - start) * length for start, end, length in runs) * heads * dim * keys.element_size()
    if narrow_keys_pay(per_layer * 2 * len(layers)):  # keys and values of every layer
        for layer in layers:
            layer.keys, layer.values = layer.keys.bfloat16(), layer.values.bfloat16()


def decode_loop(model: Any, input_ids: torch.Tensor, logits_processor: Any, stopping_criteria: Any,
                generation_config: Any, rules: Rules, **model_kwargs: Any) -> torch.Tensor:
    """generate()'s decoding method: `input_ids` are the start tokens (inputs x beams, 1), the
    encoder output is in `model_kwargs`; generate()'s own processors and criteria are replaced by
    `rules`. Returns what generate() would: start token, tokens, then padding."""
    stepper = Stepper(model, model_kwargs["encoder_outputs"].last_hidden_state, model_kwargs["attention_mask"],
                      rules.num_beams)
    min_new, max_new = generation_config.min_new_tokens or 0, generation_config.max_new_tokens
    if rules.num_beams == 1:
        outputs = greedy(stepper, rules, input_ids.shape[0], min_new, max_new)
    else:
        outputs = beam_search(stepper, rules, input_ids.shape[0] // rules.num_beams, min_new, max_new)
    width = 1 + max(map(len, outputs))
    sequences = torch.full((len(outputs), width), rules.pad_id, dtype=torch.long, device=input_ids.device)
    sequences[:, 0] = rules.start_id
    for row, tokens in enumerate(outputs):
        sequences[row, 1:1 + len(tokens)] = torch.tensor(tokens, dtype=torch.long, device=input_ids.device)
    return sequences


def greedy(stepper: Stepper, rules: Rules, rows: int, min_new: int, max_new: int) -> list[list[int]]:
    history = torch.full((rows, 1), rules.start_id, dtype=torch.long, device=stepper.device)
    live = torch.arange(rows, device=stepper.device)
    outputs: list[list[int]] = [[] for _ in range(rows)]
    for step in range(max_new):
        scores = stepper.scores(history[:, -1])
        rules.apply(history, scores, step, min_new, max_new)
        history = torch.cat([history, scores.argmax(-1, keepdim=True)], 1)
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
        beam_best, beam_tokens = torch.topk(log_probs, wide)
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
