"""Decoding speed of one task's model: the same inputs, the same forced output length, through
every way this project can decode them and through the alternatives, in one run.

Each variant runs in a process of its own, so its peak RSS is its own (load included) and no
variant warms caches for the next. Output tokens are compared with the float32 baseline's, unit
by unit, so a faster precision never hides what it changes. A shared machine slows single runs
by 10 % or more at random, so each variant's time is its best of up to RUNS runs, as timeit
reports; runs stop early once RUN_BUDGET seconds are spent, so a slow baseline is run once. The
machine also drifts over minutes, so the run path and CTranslate2 int8, the comparison the
targets are set on, take turns run by run instead of one after the other.
"""
from __future__ import annotations

import dataclasses
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Sequence

from ..config import ModelSpec
from ..types import Task

WARMUP_TOKENS = 4
RUNS, RUN_BUDGET = 5, 40.0


@dataclass(frozen=True)
class Variant:
    name: str
    kind: str  # "baseline", "ctranslate2", "configured" (the run path as configured), "batched" or "option"
    precision: str
    backend: str
    reference: bool = False  # plain generate() instead of our decode loop


@dataclass(frozen=True)
class Measure:
    variant: str
    kind: str
    precision: str  # as resolved on this machine ("auto" becomes what it picked)
    decoder: str
    seconds: float  # the best of `runs`
    runs: int
    tokens: int
    tokens_per_second: float
    peak_rss_mib: float
    peak_device_mib: float | None  # the most device memory torch held; None off a GPU
    same_as_float32: float  # share of units whose tokens equal the float32 baseline's
    vs_baseline: float  # speed-up over the plain baseline
    vs_ctranslate2: float | None  # speed-up over the fastest CTranslate2 variant; None without it
    vs_batched: float  # speed-up over generate() on the run path's batches and precision, (e)


@dataclass(frozen=True)
class Run:
    """What one variant's process reports back."""

    decoder: str
    seconds: float
    runs: int
    precision: str
    outputs: list[list[int]]
    peak_rss_mib: float
    peak_device_mib: float | None
    started: tuple[float, ...] = ()  # wall-clock start of each run, to show the turns taken


@dataclass(frozen=True)
class DecodeBench:
    task: Task
    mode: str  # "greedy" or "beam 4"
    units: int
    input_tokens: tuple[int, int]  # shortest and longest input
    new_tokens: int  # forced output length of every unit
    batch_size: int | str  # as configured: "auto" is resolved per device in each variant's process
    batch_tokens: int | str
    measures: tuple[Measure, ...]


def variants(configured: ModelSpec, ctranslate2: bool) -> list[Variant]:
    """(a) the plain baseline, (b) CTranslate2 when installed, (c) the run path as configured,
    (d) every precision and backend option of the project, (e) plain generate() on the same
    batches and in the same precision as (c): what our loop adds over generate() alone."""
    found = [Variant("(a) generate() 1 at a time fp32", "baseline", "float32", "torch", True)]
    if ctranslate2:
        found += [Variant(f"(b) CTranslate2 {p}", "ctranslate2", p, "ctranslate2") for p in ("int8", "float32")]
    found.append(Variant(f"(c) run path: {configured.precision}, {configured.backend}", "configured",
                         configured.precision, configured.backend))
    found += [Variant(f"(d) ours, torch {p}", "option", p, "torch") for p in ("float32", "bfloat16", "int8")]
    found.append(Variant(f"(e) generate(), run path's batches, {configured.precision}", "batched",
                         configured.precision, "torch", True))
    return found


def bench_decoding(task: Task, spec: ModelSpec, inputs: Sequence[list[int]], new_tokens: int,
                   beams: int) -> DecodeBench:
    """Every variant on `inputs`, each output forced to `new_tokens` tokens."""
    generation = dataclasses.replace(spec.generation, num_beams=beams, max_new_tokens=new_tokens,
                                     min_new_tokens=new_tokens)
    spec = dataclasses.replace(spec, generation=generation)
    found = variants(spec, _has_ctranslate2())
    runs: dict[Variant, Run] = {}
    for group in _turns(found):
        runs.update(time_in_turns(spec, group, list(inputs), new_tokens))
    return DecodeBench(task, "greedy" if beams == 1 else f"beam {beams}", len(inputs),
                       (min(map(len, inputs)), max(map(len, inputs))), new_tokens, spec.batch_size,
                       spec.batch_tokens, tuple(_measures([(variant, runs[variant]) for variant in found])))


def _turns(found: list[Variant]) -> list[list[Variant]]:
    """Variants timed together, taking turns: the run path with CTranslate2 int8, each other alone
    (all at once would hold every variant's model in memory)."""
    paired = [v for v in found if v.kind == "configured" or (v.kind == "ctranslate2" and v.precision == "int8")]
    return [paired if variant in paired else [variant] for variant in found if variant not in paired[1:]]


def time_in_turns(spec: ModelSpec, group: list[Variant], inputs: list[list[int]], new_tokens: int) -> dict[Variant, Run]:
    """Each variant of `group` in a process of its own, loaded once; one timed run of each in turn,
    up to RUNS rounds, a variant dropping out once its runs took RUN_BUDGET seconds."""
    times: dict[Variant, list[float]] = {variant: [] for variant in group}
    last: dict[Variant, Run] = {}
    with ExitStack() as stack:
        pools = {variant: stack.enter_context(ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")))
                 for variant in group}
        for _ in range(RUNS):
            for variant in group:
                if sum(times[variant]) < RUN_BUDGET:
                    last[variant] = pools[variant].submit(_time_once, spec, variant, inputs, new_tokens).result()
                    times[variant].append(last[variant].seconds)
    return {variant: dataclasses.replace(run, seconds=min(times[variant]), runs=len(times[variant]))
            for variant, run in last.items()}


def _measures(runs: list[tuple[Variant, Run]]) -> list[Measure]:
    baseline = next(run for variant, run in runs if variant.kind == "baseline")
    batched = next(run for variant, run in runs if variant.kind == "batched")
    ct2 = [run.seconds for variant, run in runs if variant.kind == "ctranslate2"]
    measures = []
    for variant, run in runs:
        tokens = sum(map(len, run.outputs))
        same = sum(a == b for a, b in zip(run.outputs, baseline.outputs)) / len(baseline.outputs)
        measures.append(Measure(
            variant.name, variant.kind, run.precision, run.decoder, round(run.seconds, 2), run.runs, tokens,
            round(tokens / run.seconds, 1), round(run.peak_rss_mib), run.peak_device_mib, round(same, 3),
            round(baseline.seconds / run.seconds, 2), round(min(ct2) / run.seconds, 2) if ct2 else None,
            round(batched.seconds / run.seconds, 2)))
    return measures


_LOADED: dict = {}  # in a variant's process: its loaded model, kept between its runs
_STARTED: list[float] = []  # in a variant's process: when each of its runs started


def _time_once(spec: ModelSpec, variant: Variant, inputs: list[list[int]], new_tokens: int) -> Run:
    """In the variant's process: one timed run of the whole workload; the first call loads the
    model and warms it up on one input."""
    from ..models.generate import Generator
    from ..models.limits import limits_for
    from ..models.load import load

    spec = dataclasses.replace(spec, precision=variant.precision, backend=variant.backend)
    if variant.kind == "baseline":
        spec = dataclasses.replace(spec, batch_size=1, batch_tokens=0)
    if variant not in _LOADED:
        _LOADED[variant] = load(spec)
        warm = dataclasses.replace(spec.generation, max_new_tokens=WARMUP_TOKENS, min_new_tokens=WARMUP_TOKENS)
        Generator(_LOADED[variant], warm, 1, 0, reference=variant.reference).generate_ids(inputs[:1], [WARMUP_TOKENS])
    loaded = _LOADED[variant]
    limits = limits_for(spec, loaded, new_tokens)
    generator = Generator(loaded, spec.generation, limits.rows, limits.tokens, reference=variant.reference)
    _STARTED.append(time.time())
    start = time.perf_counter()
    outputs = generator.generate_ids(inputs, [new_tokens] * len(inputs))
    seconds = time.perf_counter() - start
    return Run(generator.decoder, seconds, len(_STARTED), loaded.dtype, outputs, peak_rss_mib(),
               peak_device_mib(loaded.device), tuple(_STARTED))


def peak_rss_mib() -> float:
    """This process's peak resident memory. Not getrusage(): its maximum survives exec, so a
    spawned child would report its parent's peak."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def peak_device_mib(device: str) -> float | None:
    """The most GPU memory torch's allocator held in this process (load included); None off a
    GPU. CTranslate2 allocates outside torch, so its variants report only what torch held."""
    if not device.startswith("cuda"):
        return None
    import torch

    return round(torch.cuda.max_memory_allocated() / 2 ** 20)


def _has_ctranslate2() -> bool:
    from importlib.util import find_spec

    return find_spec("ctranslate2") is not None
