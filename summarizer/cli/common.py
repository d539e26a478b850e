"""Options and helpers shared by every command."""
from __future__ import annotations

import dataclasses
import functools
import os
from pathlib import Path
from typing import Callable, Iterable

import click

from ..config import DEFAULTS, Settings, load_settings
from ..types import Task
from ..words import plural

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class TaskChoice(click.Choice):
    """One of `tasks` by its name (abstract, translate, ...), handed on as the Task it names."""

    def __init__(self, tasks: Iterable[Task] = Task) -> None:
        super().__init__([task.value for task in tasks])

    def convert(self, value, param, ctx) -> Task:
        return Task(super().convert(value, param, ctx))


def common_options(func: Callable) -> Callable:
    """--config, --quiet and --debug on every command; the settings arrive as `settings`."""

    @click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
                  help="Config file whose keys override the defaults (default: ./config.toml, "
                       "then $SUMMARIZER_HOME/config.toml).")
    @click.option("--quiet", "-q", is_flag=True, help="No progress bars or summaries on stderr; errors only.")
    @click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
    @functools.wraps(func)
    def wrapper(*args, config_path: str | None, quiet: bool, debug: bool, **kwargs):
        settings = load_settings(config_path)
        report_config(settings, quiet)
        return func(*args, settings=settings, quiet=quiet, **kwargs)

    return wrapper


def report_config(settings: Settings, quiet: bool) -> None:
    """Say once which config files are in effect, and which were found but not trusted: the same
    command run from another folder must never silently use other models. With the built-in
    defaults alone there is nothing to say."""
    for path, why in settings.ignored:
        warn(f"{path}: not read ({why}); pass --config {path} to use it anyway")
    if settings.sources and not quiet:
        click.echo(f"config: {' over the '.join((*reversed(settings.sources), DEFAULTS))}", err=True)


def store_option(func: Callable) -> Callable:
    """--store FILE, folded into `settings.store_path`; goes under @common_options, which makes settings."""

    @click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="SQLite store to use instead of store.path from the config.")
    @functools.wraps(func)
    def wrapper(*args, store_path: Path | None, settings: Settings, **kwargs):
        if store_path is not None:
            settings = dataclasses.replace(settings, store_path=store_path)
        return func(*args, settings=settings, **kwargs)

    return wrapper


def stderr_console(quiet: bool = False):
    """A rich console on stderr: progress and summaries, never data. Plain when piped or NO_COLOR."""
    from rich.console import Console

    return Console(stderr=True, quiet=quiet, no_color="NO_COLOR" in os.environ)


def stdout_console():
    """Data and views on stdout; rich drops colour and escape codes itself when piped."""
    from rich.console import Console

    return Console(no_color="NO_COLOR" in os.environ)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def say_undated(count: int, quiet: bool) -> None:
    """A date window leaves undated articles out; never without a word."""
    if count and not quiet:
        warn(f"{plural(count, 'undated article')} left out by --since/--until (no date was found in "
             f"{'it' if count == 1 else 'them'}); 'summarizer view' lists them")
