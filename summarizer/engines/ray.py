"""The ray engine: a task's missing units become a Ray Dataset, run by a pool of actors that each
load the model once and produce whole batches through the local engine's own ModelWorker.

Only model work leaves this machine. The driver (pipeline.py) computes the units, their cache
keys and which of them the store already has; the cluster receives the model spec, the settings
and the units it lacks, and sends back one TaskResult per unit. The driver commits each batch as
it arrives, so a run killed in the middle resumes like a local one. The batches are the ones the
local engine would give the model, so greedy results are the same on both engines.
"""
from __future__ import annotations

import logging
import math
import os
import socket
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from ..config import EngineSettings, ModelSpec, Settings
from ..errors import ConfigError, SummarizerError
from ..models.limits import units_per_call
from ..pipeline import Batch, ModelWorker, local_engine
from ..store.keys import Recipe
from ..types import TaskResult

try:
    import ray
    import ray.data
    from ray.exceptions import RayError
except ImportError as exc:  # the optional extra is missing: say how to get it, nothing else
    raise ConfigError("ray", f"the ray engine needs Ray ({exc.name} is not installed)",
                      "pip install 'summarizer[ray]', or use --engine local") from exc

RETRY = "finished batches are kept; run the same command again to resume"


@contextmanager
def connect(options: EngineSettings) -> Iterator[RayEngine]:
    """Join the cluster at options.address, or start a Ray instance here; one already running in
    this process (a test's, a notebook's) is used as it is and left running."""
    started = not ray.is_initialized()
    if started:
        _init(options)
    try:
        _quiet_data()
        _check_resources(options)
        yield RayEngine(options)
    finally:
        if started:
            ray.shutdown()


def _init(options: EngineSettings) -> None:
    # Ray's notices and the actors' output go to Ray's log files (/tmp/ray/session_latest/logs),
    # not between the progress bars; errors still reach the user as one line.
    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR, "include_dashboard": False}
    try:
        if options.address:
            _reachable(options.address)
            ray.init(address=options.address, **quiet)
        else:
            # sized for the pool even on a smaller machine, so the same command works on a laptop
            ray.init(num_cpus=max(os.cpu_count() or 1, math.ceil(options.actors * options.num_cpus)), **quiet)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ConfigError(options.address or "ray", f"cannot start or join Ray ({_reason(exc)})",
                          "check --ray-address (engine.address) and that the cluster is up") from exc


def _reachable(address: str, timeout: float = 5.0) -> None:
    """Fail in seconds where nothing listens: ray.init retries an unreachable address for minutes."""
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if address == "auto" or not sep or not port.isdigit():
        return  # "auto" and malformed addresses are ray.init's to judge
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise ConnectionError(f"nothing answers at {host}:{port}: {exc.strerror or exc}") from exc


def _quiet_data() -> None:
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the run's own bars count articles
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    # its tuning hints (e.g. fewer batches than actors on a small run) are warnings, not logs
    warnings.filterwarnings("ignore", module=r"ray\.data")


def _check_resources(options: EngineSettings) -> None:
    """A pool the cluster cannot hold would wait forever for its actors; say so up front."""
    have = ray.cluster_resources()
    for resource, per_actor, option in (("CPU", options.num_cpus, "num_cpus"), ("GPU", options.num_gpus, "num_gpus")):
        need = options.actors * per_actor
        if need > have.get(resource, 0):
            raise ConfigError(f"engine.{option}", f"{options.actors} actors need {need:g} {resource}s and the "
                              f"Ray cluster has {have.get(resource, 0):g}", "lower engine.actors or the per-actor share")


@dataclass(frozen=True)
class RayEngine:
    options: EngineSettings

    def __call__(self, spec: ModelSpec, settings: Settings) -> RayWorker:
        """The task's worker on the cluster; ModelNotFound, like the local engine, when a node lacks the model."""
        probe = ray.remote(_identify).options(num_cpus=self.options.num_cpus, num_gpus=self.options.num_gpus)
        with _cluster_errors(self.options):
            identity = ray.get(probe.remote(spec, settings))
        if isinstance(identity, _Failure):
            raise identity.error()
        return RayWorker(spec, settings, identity, self.options)


@dataclass(frozen=True)
class _Failure:
    """A SummarizerError crossing from a worker: its own pickle cannot rebuild its three fields."""

    kind: type[SummarizerError]
    subject: str
    message: str
    hint: str

    def error(self) -> SummarizerError:
        return self.kind(self.subject, self.message, self.hint)


def _identify(spec: ModelSpec, settings: Settings) -> Recipe | _Failure:
    """The recipe (resolved revision, dtype, window...) results get on the cluster's hardware, which
    the driver needs to key them before any unit is sent; costs one extra model load per task."""
    try:
        return local_engine(spec, settings).recipe
    except SummarizerError as exc:
        return _Failure(type(exc), exc.subject, exc.message, exc.hint)


@dataclass(frozen=True)
class RayWorker:
    """A task's model on the cluster, under the recipe its driver keys the results with."""

    spec: ModelSpec
    settings: Settings
    recipe: Recipe
    options: EngineSettings

    @property
    def batch_size(self) -> int:
        return units_per_call(self.spec)

    def stream(self, batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[TaskResult]]]:
        """Batches with nothing missing pass straight through; the rest go out as one dataset and
        come back in the order actors finish them."""
        batches = list(batches)
        yield from ((batch, []) for batch in batches if not batch[1])
        sent = [i for i, (_, todo) in enumerate(batches) if todo]
        if not sent:
            return
        with _cluster_errors(self.options):
            for row in self._dataset(batches, sent).iter_rows():
                yield batches[row["index"]], list(row["results"])

    def _dataset(self, batches: list[Batch], sent: list[int]) -> ray.data.Dataset:
        rows = [{"index": i, "units": [unit for unit, _ in batches[i][1]]} for i in sent]
        # one block per batch: an idle actor takes the next batch whatever the others are doing
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
        return dataset.map_batches(
            _Actor, fn_constructor_args=(self.spec, self.settings, self.recipe), batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=self.options.actors),
            num_cpus=self.options.num_cpus, num_gpus=self.options.num_gpus)


class _Actor:
    """One per pool slot: loads the model once, then produces each batch exactly as the local engine does."""

    def __init__(self, spec: ModelSpec, settings: Settings, recipe: Recipe) -> None:
        self.worker: ModelWorker = local_engine(spec, settings)
        if self.worker.recipe != recipe:
            # the driver keyed these units with the probe's recipe; results made under another would be mislabelled
            raise RuntimeError(f"{spec.id}: this node loads it as {self.worker.recipe}, the run keys results by "
                               f"{recipe}; give every node the same model revision and kind of device")

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        return {"index": batch["index"], "results": [self.worker.produce(list(units)) for units in batch["units"]]}


@contextmanager
def _cluster_errors(options: EngineSettings) -> Iterator[None]:
    try:
        yield
    except RayError as exc:
        raise SummarizerError(options.address or "ray", f"the Ray run failed ({_reason(exc)})", RETRY) from exc


def _reason(exc: BaseException) -> str:
    """The underlying error's own line, not Ray's wrapper with its remote traceback."""
    cause = getattr(exc, "cause", None) or exc
    lines = str(cause).strip().splitlines()
    return lines[-1] if lines else type(cause).__name__
