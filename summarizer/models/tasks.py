"""A task's model behind one interface: texts in, one Generated per text out, in order.

Translation cuts a long text into pieces that fit, translates each and joins them in order.
Summaries (abstract, briefing) of a long text are map-reduced: summarize each piece, join the
piece summaries, and repeat until the text fits the window for one final summary.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any, Sequence

from ..config import ModelSpec, Settings
from ..errors import ConfigError, ModelFailed, SummarizerError
from ..types import Chunk, Task, joiner
from .chunk import chunk_text
from .generate import Generator, Job
from .hub import first_line
from .limits import limits_for
from .load import Loaded, load
from .prompt import Prompt, load_prompt
from .records import Generated

# Output ceiling per task as (tokens out per source token, floor): output length follows the
# input; English takes about twice the tokens of the Chinese it translates, a summary half.
LENGTH = {Task.TRANSLATE: (2.0, 16), Task.ABSTRACT: (0.5, 16), Task.BRIEFING: (0.5, 32)}
SUMMARIES = (Task.ABSTRACT, Task.BRIEFING)

Plan = tuple[list[Chunk], str]


def open_task(spec: ModelSpec, settings: Settings) -> TaskModel:
    """The task's model, loaded once per run; ModelNotFound if it is not on this machine."""
    prompt = load_prompt(spec, settings)
    return TaskModel(spec, load(spec), prompt)


class TaskModel:
    """A loaded model for one task, with the identity (id, revision, prompt, params) of its results."""

    def __init__(self, spec: ModelSpec, loaded: Loaded, prompt: Prompt | None) -> None:
        self.task = spec.task
        self.model_id = spec.id
        self.revision = loaded.located.revision
        self.prompt_hash = prompt.hash if prompt else ""
        self._loaded, self._prompt = loaded, prompt
        self._ratio, self._floor = LENGTH[spec.task]
        self._max_new = _output_ceiling(spec.generation.max_new_tokens, loaded.output_limit)
        self._joiner = joiner(spec.task)
        self.limits = limits_for(spec, loaded, self._max_new)
        self.batch_size = self.limits.rows  # texts per call that fill one batch
        self._generator = Generator(loaded, spec.generation, self.limits.rows, self.limits.tokens)
        self.decoder = self._generator.decoder
        self.params: dict[str, Any] = {
            **dataclasses.asdict(spec.generation), "max_new_tokens": self._max_new,
            "length_ratio": self._ratio, "length_floor": self._floor, "input_window": loaded.window,
            "src_lang": spec.src_lang, "tgt_lang": spec.tgt_lang, "dtype": loaded.dtype,
        }
        self.params.update(self._generator.numerics)
        if loaded.backend != "torch":
            # another backend decodes differently; torch results keep the keys they were stored under
            self.params["engine"] = loaded.backend

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for `text` as one input: prompt and special tokens included."""
        return self._count(self._fill(text))

    def run(self, texts: Sequence[str]) -> list[Generated]:
        """One Generated per text, in order; all pieces of all texts share the batches, and
        identical texts (a headline repeated as a paragraph, boilerplate lines) are run once.
        Whatever the model code raises becomes ModelFailed, so the caller fails these texts
        with the reason and goes on with the next batch."""
        unique = list(dict.fromkeys(texts))
        try:
            results = dict(zip(unique, self._run_unique(unique)))
        except SummarizerError:
            raise
        except Exception as exc:  # torch, transformers or our decoding: any of them, in any version
            raise ModelFailed(self.model_id, f"the {self.task} model failed on this batch ({type(exc).__name__}: "
                              f"{first_line(exc)})", "the next run tries these texts again") from exc
        return [results[text] for text in texts]

    def _run_unique(self, texts: list[str]) -> list[Generated]:
        if self.task in SUMMARIES:
            return self._summarize(texts)
        plans = [self._plan(text) for text in texts]
        outputs = self._run_plans(dict(enumerate(chunks for chunks, _ in plans)))
        return [Generated(self._joiner.join(outputs[i]), len(chunks), level)
                for i, (chunks, level) in enumerate(plans)]

    def _summarize(self, texts: list[str]) -> list[Generated]:
        results: dict[int, Generated] = {}
        pieces = [0] * len(texts)  # how many pieces the first map round cut each text into
        current = dict(enumerate(texts))
        plans = {i: self._plan(text)[0] for i, text in current.items()}
        while long := {i: chunks for i, chunks in plans.items() if len(chunks) > 1}:
            for i, outputs in self._run_plans(long).items():
                pieces[i] = pieces[i] or len(outputs)
                joined = self._joiner.join(outputs)
                if self._count(joined) < self._count(current[i]):
                    current[i], plans[i] = joined, self._plan(joined)[0]
                else:
                    # A model that does not shorten would loop forever; its piece summaries,
                    # joined in order, are the abstract.
                    results[i] = Generated(joined, pieces[i], "map-reduce")
                    del plans[i]
        for i, outputs in self._run_plans(plans).items():
            results[i] = Generated(outputs[0] if outputs else "", pieces[i] or len(outputs),
                                   "map-reduce" if pieces[i] else "none")
        return [results[i] for i in range(len(texts))]

    def _plan(self, text: str) -> Plan:
        """Pieces that fit the window with the prompt filled in; none for a blank text, which
        a model would answer with invented words."""
        if not text.strip():
            return [], "none"
        try:
            return chunk_text(text, self._loaded.window, self.count_tokens)
        except ValueError as exc:
            raise ConfigError(f"models.{self.task}.max_input_tokens", str(exc), "raise the window") from exc

    def _run_plans(self, plans: dict[int, list[Chunk]]) -> dict[int, list[str]]:
        """Outputs of every piece of every plan, from one batched pass, grouped back per plan."""
        jobs = [self._job(chunk) for chunks in plans.values() for chunk in chunks]
        outputs = iter(self._generator.generate(jobs))
        return {i: [next(outputs) for _ in chunks] for i, chunks in plans.items()}

    def _job(self, chunk: Chunk) -> Job:
        scaled = max(self._floor, math.ceil(self._ratio * self._count(chunk.text)))
        return Job(self._fill(chunk.text), chunk.tokens, min(self._max_new, scaled))

    def _fill(self, text: str) -> str:
        return self._prompt.fill(text) if self._prompt else text

    def _count(self, text: str) -> int:
        return len(self._loaded.tokenizer(text, truncation=False)["input_ids"])


def _output_ceiling(configured: int, output_limit: int | None) -> int:
    """The configured ceiling, within the decoder's positions (one goes to the start token)."""
    return configured if output_limit is None else min(configured, output_limit - 1)

