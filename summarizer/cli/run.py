"""`summarizer run`: clean, abstract and translate inputs into the store, with progress on stderr."""
from __future__ import annotations

import dataclasses
import json
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Collection, Iterator

import click

from ..types import Task
from .common import (EXIT_OK, EXIT_SOME_FAILED, TaskChoice, common_options, fail, plural, stderr_console, store_option,
                     warn)

# what a missing model means for the run, said once beside the model's own error line
CONSEQUENCE = {Task.ABSTRACT: "abstracts are extractive until it is there",
               Task.TRANSLATE: "translations stay pending until it is there"}
NEXT_STEPS = ("next: 'summarizer view' lists the articles, 'summarizer review' to check them, "
              "'summarizer export --format html --out DIR' to share them")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object per input on stdout: its article id, counts of new, cached, "
                   "pending and failed results, or its error.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default=None,
              help="Where the model work runs: in this process, or on a Ray cluster (pip install "
                   "'summarizer[ray]'). Default: engine.name from the config.")
@click.option("--ray-address", default=None, metavar="ADDRESS",
              help="Ray cluster to join, e.g. auto or ray://head:10001 (implies --engine ray). "
                   "Default: engine.address; if empty, Ray starts on this machine.")
@click.option("--redo", type=TaskChoice(CONSEQUENCE), multiple=True,  # the tasks a run does
              help="Forget the stored results of this task (abstract or translate) for the articles of "
                   "PATHS and compute them again. Reviewers' edits and decisions are kept. Repeatable.")
@click.option("--watch", is_flag=True,
              help="Keep running: process the pages already in PATHS, then every page that lands there "
                   "later (once it has stopped growing), one line per new article; Ctrl-C stops. "
                   "Stopped and restarted, it skips the work already in the store.")
@click.option("--interval", type=click.FloatRange(min=0.1), default=2.0, show_default=True,
              help="Seconds between two looks at PATHS with --watch.")
@common_options
@store_option
def run(paths: tuple[Path, ...], as_json: bool, engine: str | None, ray_address: str | None,
        redo: tuple[Task, ...], watch: bool, interval: float, settings, quiet: bool) -> None:
    """Clean every PATH (files or folders), write a Chinese abstract and English translations of
    each article, and keep them all in the store.

    Safe to stop at any time: finished work is kept, and running the same command again does only
    what is missing. Exit 0 when all went well, 1 when some inputs failed (the rest is done).
    """
    from ..engines import open_engine
    from ..redo import forget
    from ..store.db import Store

    settings = engine_settings(settings, engine, ray_address)
    console = stderr_console(quiet)
    with open_engine(settings.engine) as model_engine, Store.open(settings.store_path) as store:
        for task in redo:
            count = forget(paths, settings, store, task)
            console.print(f"--redo {task}: {plural(count, 'stored result')} forgotten", highlight=False, soft_wrap=True)
        opener = Announced(model_engine, console)
        if watch:
            raise SystemExit(watch_paths(paths, settings, store, opener, console, as_json, interval))
        report = run_once(list(paths), settings, store, opener, console, bars=True)
    print_report(report, as_json)
    console.print(summary_table(report))
    explain(report, console)
    raise SystemExit(EXIT_SOME_FAILED if report.failures or report.total("failed") else EXIT_OK)


class Announced:
    """The engine, saying on stderr which model it loads and how long that took (10-35 s is long
    enough to look hung); in watch mode each model is loaded once and kept for every batch."""

    def __init__(self, engine, console) -> None:
        self.engine, self.console = engine, console
        self.workers: dict[Task, object] = {}
        self.missing: dict[Task, Exception] = {}  # task -> why its model is not here

    def __call__(self, spec, settings):
        from ..errors import ModelNotFound

        if spec.task in self.missing:
            raise self.missing[spec.task]
        if spec.task in self.workers:
            return self.workers[spec.task]
        started = time.monotonic()
        self.console.print(f"loading the {spec.task} model {spec.id} ...", highlight=False, soft_wrap=True)
        try:
            worker = self.engine(spec, settings)
        except ModelNotFound as exc:
            self.missing[spec.task] = exc
            raise
        elapsed = time.monotonic() - started
        self.console.print(f"loaded the {spec.task} model in {elapsed:.1f} s", highlight=False, soft_wrap=True)
        self.workers[spec.task] = worker
        return worker


def run_once(paths: list[Path], settings, store, opener: Announced, console, *, bars: bool):
    from ..pipeline import run as run_pipeline

    with progress_bars(console, opener.missing, enabled=bars) as progress:
        return run_pipeline(paths, settings, store, progress=progress, engine=opener)


def print_report(report, as_json: bool) -> None:
    for missing in report.missing:
        warn(f"{missing.error.line()} ({CONSEQUENCE[missing.task]}; then run this command again)")
    for outcome in report.failures:
        fail(outcome.error.line())
    if as_json:
        for outcome in report.outcomes:
            click.echo(json.dumps(outcome_json(outcome), ensure_ascii=False))


def explain(report, console) -> None:
    """What the counts mean and what to do next: the summary is where a new user looks."""
    pending = report.total("pending")
    if pending:
        console.print(f"pending: {plural(pending, 'result')} wait for a missing model (said above); get it, "
                      "then run this command again: only what is pending is done", highlight=False, soft_wrap=True)
    if report.total("failed"):
        console.print("failed: a model produced nothing usable for these units; 'summarizer view ARTICLE' "
                      "shows why, and the next run tries them again", highlight=False, soft_wrap=True)
    if report.articles:
        console.print(NEXT_STEPS, highlight=False, soft_wrap=True)


def watch_paths(paths, settings, store, opener: Announced, console, as_json: bool, interval: float) -> int:
    """Process what lands in PATHS until Ctrl-C; one line per article (stderr, or JSON on stdout)."""
    from ..watch import settled_files

    console.print(f"watching {', '.join(map(str, paths))} every {interval:g} s; Ctrl-C stops",
                  highlight=False, soft_wrap=True)
    warned: set[str] = set()
    try:
        for files, errors in settled_files(paths, interval):
            for error in errors:
                fail(error.line())
            if not files:
                continue
            report = run_once(files, settings, store, opener, console, bars=False)
            for missing in report.missing:
                if missing.task not in warned:  # said once per watch, not once per page
                    warned.add(missing.task)
                    warn(f"{missing.error.line()} ({CONSEQUENCE[missing.task]}; then run this command again)")
            for outcome in report.outcomes:
                if as_json:
                    click.echo(json.dumps(outcome_json(outcome), ensure_ascii=False))
                console.print(outcome_line(outcome), highlight=False, soft_wrap=True)
    except KeyboardInterrupt:
        console.print("stopped watching; finished work is in the store", highlight=False, soft_wrap=True)
    return EXIT_OK


def outcome_line(outcome) -> str:
    if outcome.error:
        return f"failed {outcome.error.line()}"
    counts = [plural(outcome.new, "new result"), f"{outcome.cached} cached"]
    counts += [f"{outcome.pending} pending"] if outcome.pending else []
    counts += [f"{outcome.failed} failed"] if outcome.failed else []
    return f"{outcome.article_id[:8]}  {outcome.title or '(no headline)'}  {outcome.path}: {', '.join(counts)}"


def engine_settings(settings, name: str | None, address: str | None):
    """The config's [engine], with what the options set; an address alone means the ray engine."""
    engine = settings.engine
    if address is not None:
        if name == "local":
            raise click.UsageError("--ray-address needs --engine ray")
        engine = dataclasses.replace(engine, name="ray", address=address)
    if name is not None:
        engine = dataclasses.replace(engine, name=name)
    return dataclasses.replace(settings, engine=engine)


def outcome_json(outcome) -> dict:
    fields = dataclasses.asdict(dataclasses.replace(outcome, error=None))
    fields["error"] = outcome.error.line() if outcome.error else None
    return fields


@contextmanager
def progress_bars(console, missing: Collection[Task], enabled: bool = True) -> Iterator:
    """A bar per task on a terminal, counting articles; elsewhere (pipes, --quiet) the callback
    does nothing. A task whose model is missing gets no bar: nothing is produced, all stays pending."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bars = Progress(TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("articles  {task.fields[rate]}"), TimeRemainingColumn(), console=console,
                    disable=not enabled or console.quiet or not console.is_terminal)
    tasks: dict[str, int] = {}  # bar ids by task, and by "clean" for the cleaning

    def update(step) -> None:
        if step.task in missing:
            return
        if step.task not in tasks:
            tasks[step.task] = bars.add_task(step.task, total=step.total, rate="")
        elapsed = bars.tasks[tasks[step.task]].elapsed or 0.0
        rate = f"{step.done / elapsed:.1f} articles/s" if elapsed > 0 else ""
        bars.update(tasks[step.task], completed=step.done, rate=rate)

    with bars:
        yield update


def summary_table(report):
    from rich.table import Table

    table = Table(title="summarizer run", show_header=False, box=None, title_justify="left")
    rows = [("articles", report.articles), ("paragraphs", report.total("paragraphs")),
            ("new results", report.total("new")), ("cached results", report.total("cached")),
            ("pending", report.total("pending")), ("failed", report.total("failed")),
            ("failed inputs", len(report.failures)), ("time", f"{report.seconds:.1f} s")]
    for name, value in rows:
        table.add_row(name, str(value))
    return table
