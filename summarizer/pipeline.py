"""Raw files -> cleaned Articles -> abstract and translations -> store, resumable at any point.

Each phase walks every article, asks the store which result keys are already done, sends only the
missing units to the model, and commits each batch in its own transaction: a killed run loses at
most the batch in flight and the next run does only what is missing (llm's _ensure_message).
A missing model does not stop a run: abstracts fall back to the extractive method and translations
are stored as pending with the reason, to be filled in by a later run. Progress goes to a callback;
this module never prints and never imports rich or torch.
"""
from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal, Protocol, Sequence

from . import extractive, pieces, recheck
from .clean import clean_file, collect_inputs, path_text
from .config import ModelSpec, Settings
from .errors import InputError, ModelNotFound, SummarizerError
from .store.db import Store, StoredResult, now, pick_current
from .store.keys import Recipe, Unit, abstract_unit, canonical_json, result_key, translation_units
from .types import Article, Status, Task, TaskResult, UnitName, joiner

TASKS = (Task.ABSTRACT, Task.TRANSLATE)  # in this order: the translations include the abstract
CLEAN_BATCH = 20  # files cleaned per store transaction


@dataclass(frozen=True)
class Progress:
    """One step of one task (or of cleaning): `done` of `total` articles finished, `units` results
    produced by this step."""

    task: Task | Literal["clean"]
    done: int
    total: int
    units: int


@dataclass(frozen=True)
class MissingModel:
    task: Task
    error: ModelNotFound


@dataclass(frozen=True)
class ArticleOutcome:
    """What became of one input file; `error` is set (and nothing else) for a file that is no article."""

    path: str
    article_id: str | None = None
    title: str | None = None
    paragraphs: int = 0
    new: int = 0
    cached: int = 0
    pending: int = 0
    failed: int = 0
    error: InputError | None = None


@dataclass(frozen=True)
class RunReport:
    outcomes: tuple[ArticleOutcome, ...]
    missing: tuple[MissingModel, ...]
    seconds: float

    @property
    def failures(self) -> list[ArticleOutcome]:
        return [o for o in self.outcomes if o.error]

    @property
    def articles(self) -> int:
        return len({o.article_id for o in self.outcomes if o.article_id})

    def total(self, name: str) -> int:
        """Sum of one counter (paragraphs, new, cached, pending, failed) over distinct articles."""
        unique = {o.article_id: o for o in self.outcomes if o.article_id}
        return sum(getattr(o, name) for o in unique.values())


ProgressCallback = Callable[[Progress], None]


def open_model(spec: ModelSpec, settings: Settings) -> Any:
    from .models import open_task  # torch loads only when a run gets this far

    return open_task(spec, settings)


def local_engine(spec: ModelSpec, settings: Settings) -> ModelWorker:
    """The task's model in this process, loaded once per run."""
    model = open_model(spec, settings)
    return ModelWorker(model, model.batch_size)  # "auto" limits are known once the model is on its device


def run(paths: Sequence[Path], settings: Settings, store: Store, *,
        progress: ProgressCallback = lambda step: None, engine: Engine = local_engine) -> RunReport:
    """Clean every input, store it, then run each task over the articles; see the module docstring."""
    started = time.monotonic()
    cleaned, failures = clean_inputs(paths, settings, store, progress)
    articles = list({article.id: article for _, article in cleaned}.values())
    tallies = {article.id: _Tally() for article in articles}
    missing: list[MissingModel] = []
    terms = recheck.glossary(settings, store)
    for task in TASKS if articles else ():
        worker = _worker(task, settings, engine, missing)
        _run_task(task, articles, store, worker, tallies, progress, terms, settings.piece_chars)
    if articles:
        recheck.refresh_batch(store, terms)
    outcomes = [tallies[article.id].outcome(path, article) for path, article in cleaned]
    return RunReport(tuple(outcomes + failures), tuple(missing), time.monotonic() - started)


def clean_inputs(paths: Sequence[Path], settings: Settings, store: Store,
                 progress: ProgressCallback) -> tuple[list[tuple[str, Article]], list[ArticleOutcome]]:
    """Clean and store every file; a file that is no article becomes a failed outcome, not an exception."""
    files, errors = collect_inputs(list(paths))
    failures = [ArticleOutcome(path=e.subject, error=e) for e in errors]
    cleaned: list[tuple[str, Article]] = []
    for start in range(0, len(files), CLEAN_BATCH):
        batch = []
        for path in files[start:start + CLEAN_BATCH]:
            try:
                batch.append((path_text(path), clean_file(path, settings)))
            except InputError as exc:
                failures.append(ArticleOutcome(path=path_text(path), error=exc))
            except Exception as exc:  # a defect of the cleaner on one page must not cost the others
                failures.append(ArticleOutcome(path=path_text(path), error=InputError(
                    path_text(path), f"could not be cleaned ({type(exc).__name__}: {exc})",
                    "please report this page; the other inputs were processed")))
        with store.transaction():
            store.add_articles(article for _, article in batch)
        cleaned += batch
        progress(Progress("clean", min(start + CLEAN_BATCH, len(files)), len(files), len(batch)))
    return cleaned, failures


# Whole articles whose missing units fill one model call: (articles, [(unit, key)])
Batch = tuple[int, list[tuple[Unit, str]]]


class Worker(Protocol):
    """Produces results for batches of units, all under one recipe: a model, the extractive method, or none."""

    recipe: Recipe
    batch_size: int

    def stream(self, batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[TaskResult]]]:
        """Each batch with its results, one per unit, as they become ready (any order)."""
        ...


# Opens a task's model worker (here or on a cluster: engines/); ModelNotFound when it is missing
Engine = Callable[[ModelSpec, Settings], Worker]


class LocalWorker(ABC):
    """Produces a batch only when the loop asks for it, so each batch is stored before the next is computed."""

    @abstractmethod
    def produce(self, units: Sequence[Unit]) -> list[TaskResult]: ...

    def stream(self, batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[TaskResult]]]:
        for batch in batches:
            yield batch, self.produce([unit for unit, _ in batch[1]]) if batch[1] else []


def _result(unit: Unit, recipe: Recipe, text: str, status: Status, *, chunks: int = 1,
            chunking: str = "none", reason: str | None = None) -> TaskResult:
    return TaskResult(task=unit.task, unit=unit.name, text=text, status=status, method=recipe.method,
                      model=recipe.model_id, revision=recipe.revision, chunks=chunks, chunking=chunking,
                      reason=reason)


@dataclass
class ModelWorker(LocalWorker):
    model: Any  # a models.TaskModel
    batch_size: int
    recipe: Recipe = field(init=False)

    def __post_init__(self) -> None:
        self.recipe = Recipe.of_model(self.model)

    def produce(self, units: Sequence[Unit]) -> list[TaskResult]:
        try:
            generated = self.model.run([u.text for u in units])
        except SummarizerError as exc:  # the batch is failed with its reason and retried by the next run
            return [_result(u, self.recipe, "", "failed", reason=exc.line()) for u in units]
        return [_result(u, self.recipe, g.text, "done", chunks=g.chunks, chunking=g.chunking) if g.text.strip()
                else _result(u, self.recipe, "", "failed", reason="the model returned an empty text")
                for u, g in zip(units, generated, strict=True)]


@dataclass
class ExtractiveWorker(LocalWorker):
    recipe: Recipe = Recipe("extractive", extractive.METHOD_ID, extractive.METHOD_VERSION,
                            params={"max_chars": extractive.MAX_CHARS})
    batch_size: int = 32

    def produce(self, units: Sequence[Unit]) -> list[TaskResult]:
        return [_result(u, self.recipe, extractive.abstract(u.text, extractive.MAX_CHARS), "done") for u in units]


@dataclass
class PendingWorker(LocalWorker):
    """Stands in for a missing model: every unit is stored as pending, with the reason."""

    spec: ModelSpec
    reason: str
    batch_size: int = 256
    recipe: Recipe = field(init=False)

    def __post_init__(self) -> None:
        self.recipe = Recipe.of_spec(self.spec)

    def produce(self, units: Sequence[Unit]) -> list[TaskResult]:
        return [_result(u, self.recipe, "", "pending", reason=self.reason) for u in units]


def _worker(task: Task, settings: Settings, engine: Engine, missing: list[MissingModel]) -> Worker:
    spec = settings.models[task]
    try:
        return engine(spec, settings)
    except ModelNotFound as exc:
        missing.append(MissingModel(task, exc))
        return ExtractiveWorker() if task is Task.ABSTRACT else PendingWorker(spec, exc.line())


def _run_task(task: Task, articles: Sequence[Article], store: Store, worker: Worker,
              tallies: dict[str, _Tally], progress: ProgressCallback, terms: recheck.Glossary,
              piece_chars: int) -> None:
    finished = 0
    long: list[tuple[Unit, str]] = []  # units over piece_chars, run as stored pieces once the rest is done
    for (count, todo), results in worker.stream(_batches(task, articles, store, worker, tallies, piece_chars, long)):
        _save(store, worker.recipe, todo, results, tallies, terms)
        finished += count
        progress(Progress(task, finished, len(articles), len(todo)))
    for unit, key in long:
        result = _run_long(unit, worker, store, piece_chars, lambda n: progress(Progress(task, finished,
                                                                                         len(articles), n)))
        _save(store, worker.recipe, [(unit, key)], [result], tallies, terms)


def _save(store: Store, recipe: Recipe, todo: Sequence[tuple[Unit, str]], results: Sequence[TaskResult],
          tallies: dict[str, _Tally], terms: recheck.Glossary) -> None:
    with store.transaction():
        written = store.save_results(_rows(recipe, todo, results))
        recheck.refresh(store, {unit.article_id for unit, _ in todo}, terms)  # flags follow their results
    for (unit, key), result in zip(todo, results):
        # a row another run stored while this one computed it is that run's news, cached to this one
        tallies[unit.article_id].count(result.status if key in written else "cached")


def _rows(recipe: Recipe, todo: Sequence[tuple[Unit, str]], results: Sequence[TaskResult]) -> list[StoredResult]:
    return [stored_result(unit, key, recipe, result) for (unit, key), result in zip(todo, results)]


def _batches(task: Task, articles: Sequence[Article], store: Store, worker: Worker,
             tallies: dict[str, _Tally], piece_chars: int, long: list[tuple[Unit, str]]) -> Iterator[Batch]:
    """Whole articles, gathered until their missing units fill a batch: (articles, [(unit, key)]).
    Units longer than a piece go to `long` instead."""
    todo: list[tuple[Unit, str]] = []
    count = 0
    for article in articles:
        units = _units(task, article, store)
        keys = [result_key(unit, worker.recipe) for unit in units]
        done = store.done_keys(keys)
        tallies[article.id].cached += len(done)
        missing = [(unit, key) for unit, key in zip(units, keys) if key not in done]
        long += [(unit, key) for unit, key in missing if len(unit.text) > piece_chars]
        todo += [(unit, key) for unit, key in missing if len(unit.text) <= piece_chars]
        count += 1
        if len(todo) >= worker.batch_size:
            yield count, todo
            todo, count = [], 0
    if count:
        yield count, todo


def _run_long(unit: Unit, worker: Worker, store: Store, piece_chars: int,
              progress: Callable[[int], None]) -> TaskResult:
    """A long unit's result from its stored pieces (see pieces.py); a piece that is not done makes
    the unit pending or failed with that piece's reason, and the next run goes on from there."""
    text, round_, first = unit.text, 0, 0
    while True:
        outputs = _run_pieces(pieces.piece_units(replace(unit, text=text), piece_chars, round_),
                              worker, store, progress)
        first = first or len(outputs)
        joined = joiner(unit.task).join(r.text for r in outputs)
        if any(r.status != "done" for r in outputs) or unit.task is not Task.ABSTRACT or len(joined) >= len(text):
            # translations join; an abstract whose pieces do not shorten it ends with their summaries
            return _joined(unit, outputs, joined, first)
        if len(joined) <= piece_chars:
            (final,) = _run_pieces([pieces.reduce_unit(unit, joined, round_ + 1)], worker, store, progress)
            return replace(final, unit=unit.name, chunks=first, chunking="pieces")
        text, round_ = joined, round_ + 1


def _joined(unit: Unit, outputs: Sequence[TaskResult], joined: str, count: int) -> TaskResult:
    unfinished = next((r for r in outputs if r.status != "done"), None)
    if unfinished is not None:
        return replace(unfinished, unit=unit.name, text="", chunks=count, chunking="pieces")
    return replace(outputs[0], unit=unit.name, text=joined, chunks=count, chunking="pieces")


def _run_pieces(units: Sequence[Unit], worker: Worker, store: Store,
                progress: Callable[[int], None]) -> list[TaskResult]:
    """Each piece's result, computing in batches only those not stored yet, each batch committed."""
    keys = [result_key(unit, worker.recipe) for unit in units]
    done = store.done_keys(keys)
    todo = [(unit, key) for unit, key in zip(units, keys) if key not in done]
    batches = ((0, todo[i:i + worker.batch_size]) for i in range(0, len(todo), worker.batch_size))
    for (_, batch), results in worker.stream(batches):
        with store.transaction():
            store.save_results(_rows(worker.recipe, batch, results))
        progress(len(batch))
    stored = {r.key: r.result for r in store.results(units[0].article_id)} if units else {}
    return [stored[key] for key in keys]


def _units(task: Task, article: Article, store: Store) -> list[Unit]:
    abstract = abstract_unit(article)
    if task is Task.ABSTRACT:
        return [abstract] if abstract.text.strip() else []
    current = pick_current(store.results(article.id), Task.ABSTRACT, UnitName.ABSTRACT, abstract.input_hash)
    done = current is not None and current.result.status == "done"
    return translation_units(article, current.result.text if done else None)


def stored_result(unit: Unit, key: str, recipe: Recipe, result: TaskResult) -> StoredResult:
    return StoredResult(key=key, article_id=unit.article_id, input_hash=unit.input_hash,
                        prompt_hash=recipe.prompt_hash, params=canonical_json(recipe.params),
                        created=now(), result=result)


@dataclass
class _Tally:
    """Per-article counters while a run goes on; frozen into an ArticleOutcome at the end."""

    new: int = 0
    cached: int = 0
    pending: int = 0
    failed: int = 0

    def count(self, status: Status | Literal["cached"]) -> None:
        if status == "done":
            self.new += 1
        else:
            setattr(self, status, getattr(self, status) + 1)

    def outcome(self, path: str, article: Article) -> ArticleOutcome:
        return ArticleOutcome(path=path, article_id=article.id, title=article.title,
                              paragraphs=len(article.paragraphs), new=self.new, cached=self.cached,
                              pending=self.pending, failed=self.failed)
