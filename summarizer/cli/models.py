"""`summarizer models`: where each task's model resolves; `summarizer models pull`: download them."""
from __future__ import annotations

import dataclasses
import json
import sys

import click

from ..errors import ModelNotFound
from ..models import ModelInfo, resolve
from ..types import Task
from .common import EXIT_OK, EXIT_SOME_FAILED, TaskChoice, common_options, fail, stdout_console, warn


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per task, instead of a table.")
@common_options
@click.pass_context
def models(ctx: click.Context, as_json: bool, settings, quiet: bool) -> None:
    """List each task's model: where it resolves (local folder, Hugging Face cache or missing),
    size, weight format, architecture, input window, licence and whether it is ready.

    A run never downloads; 'summarizer models pull' fetches the models on a networked machine.
    """
    if ctx.invoked_subcommand is not None:
        return
    infos = [resolve(spec) for spec in settings.models.values()]
    if as_json:
        records = [{**dataclasses.asdict(info), "non_commercial": info.non_commercial} for info in infos]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        stdout_console().print(_table(infos))
    for info in infos:
        if info.problem and not quiet:
            warn(info.problem)


def _table(infos: list[ModelInfo]):
    """One block per task, label and value: model ids and paths are too long for columns."""
    from rich.markup import escape
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    for info in infos:
        table.add_row(f"[bold]{info.task}[/]", f"[bold]{escape(info.id)}[/] ({info.kind})")
        for label, value in _fields(info):
            table.add_row(f"  {label}", value)
    return table


def _fields(info: ModelInfo) -> list[tuple[str, str]]:
    from rich.markup import escape

    licence = escape(info.license or "not stated in the model card")
    if info.non_commercial:
        licence += " [bold red](non-commercial use only)[/]"
    if info.source == "missing":
        return [("where", "missing"), ("licence", licence), ("ready", "no")]
    return [
        ("where", escape(f"{info.source}: {info.path}")), ("revision", info.revision or "-"),
        ("size", f"{info.size_bytes / 1e6:,.1f} MB"), ("weights", info.weights or "none"),
        ("architecture", info.architecture or "-"), ("input window", f"{info.input_window} tokens"),
        ("licence", licence), ("ready", "yes" if info.ready else "no"),
    ]


@models.command()
@click.argument("tasks", nargs=-1, type=TaskChoice())
@common_options
def pull(tasks: tuple[Task, ...], settings, quiet: bool) -> None:
    """Download the configured models of TASKS (default: every task) into the Hugging Face
    cache, with a progress bar. Needs the network: offline it says so and exits 1.
    Tasks whose model is a local folder are skipped.
    """
    from ..models.hub import HubUnreachable
    from ..models.hub import pull as download
    from ..models.resolve import is_folder

    failed = 0
    for task in tasks or Task:
        spec = settings.models[task]
        if is_folder(spec.id):
            if not quiet:
                click.echo(f"{task}: {spec.id} is a local folder; nothing to download", err=True)
            continue
        try:
            path = download(spec, progress=not quiet and sys.stderr.isatty())
        except HubUnreachable as exc:
            fail(exc.line())  # every other download would fail the same way
            raise SystemExit(EXIT_SOME_FAILED) from exc
        except ModelNotFound as exc:
            fail(exc.line())
            failed += 1
            continue
        if not quiet:
            click.echo(f"{task}: {spec.id} -> {path}", err=True)
    raise SystemExit(EXIT_SOME_FAILED if failed else EXIT_OK)
