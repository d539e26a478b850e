"""`summarizer run`: clean, abstract and translate inputs into the store, with progress on stderr."""
from __future__ import annotations

import dataclasses
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from .common import EXIT_OK, EXIT_SOME_FAILED, common_options, fail, stderr_console, store_option, warn

# what a missing model means for the run, said once beside the model's own error line
CONSEQUENCE = {"abstract": "abstracts are extractive until it is there",
               "translate": "translations stay pending until it is there"}


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
@common_options
@store_option
def run(paths: tuple[Path, ...], as_json: bool, engine: str | None,
        ray_address: str | None, settings, quiet: bool) -> None:
    """Clean every PATH (files or folders), write a Chinese abstract and English translations of
    each article, and keep them all in the store.

    Safe to stop at any time: finished work is kept, and running the same command again does only
    what is missing. Exit 0 when all went well, 1 when some inputs failed (the rest is done).
    """
    from ..engines import open_engine
    from ..pipeline import run as run_pipeline
    from ..store.db import Store

    settings = engine_settings(settings, engine, ray_address)
    console = stderr_console(quiet)
    with (open_engine(settings.engine) as model_engine, Store.open(settings.store_path) as store,
          progress_bars(console) as progress):
        report = run_pipeline(list(paths), settings, store, progress=progress, engine=model_engine)
    for missing in report.missing:
        warn(f"{missing.error.line()} ({CONSEQUENCE[missing.task]}; then run this command again)")
    for outcome in report.failures:
        fail(outcome.error.line())
    if as_json:
        for outcome in report.outcomes:
            click.echo(json.dumps(outcome_json(outcome), ensure_ascii=False))
    console.print(summary_table(report))
    raise SystemExit(EXIT_SOME_FAILED if report.failures or report.total("failed") else EXIT_OK)


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
def progress_bars(console) -> Iterator:
    """A bar per task on a terminal; elsewhere (pipes, --quiet) the callback does nothing."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bars = Progress(TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("articles  {task.fields[rate]}"), TimeRemainingColumn(), console=console,
                    disable=console.quiet or not console.is_terminal)
    tasks: dict[str, int] = {}
    units: dict[str, int] = {}

    def update(step) -> None:
        if step.task not in tasks:
            tasks[step.task] = bars.add_task(step.task, total=step.total, rate="")
        units[step.task] = units.get(step.task, 0) + step.units
        elapsed = bars.tasks[tasks[step.task]].elapsed or 0.0
        rate = f"{units[step.task] / elapsed:.1f} units/s" if elapsed > 0 else ""
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
