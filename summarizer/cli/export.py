"""`summarizer export`: write the selected articles and their results to files in one folder."""
from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Callable

import click

from ..views.export import FORMATS
from ..views.records import Selection
from .common import common_options, plural, say_undated, stderr_console, store_option

FORMAT_HELP = "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())
DATE = click.DateTime(["%Y-%m-%d"])


def selection_options(func: Callable) -> Callable:
    """--status, --since and --until, shared with `brief`; the choice arrives as `selection`."""

    @click.option("--status", type=click.Choice(["approved", "all"]), default="all", show_default=True,
                  help="approved: only articles a reviewer approved; all: every article, each marked "
                       "with its review status.")
    @click.option("--since", type=DATE, default=None,
                  help="Only articles dated on or after this day (YYYY-MM-DD); undated ones are left out "
                       "(their count is said on stderr).")
    @click.option("--until", type=DATE, default=None,
                  help="Only articles dated on or before this day (YYYY-MM-DD); undated ones are left out.")
    @functools.wraps(func)
    def wrapper(*args, status: str, since: datetime | None, until: datetime | None, **kwargs):
        if since and until and since > until:
            raise click.BadParameter("--since is after --until", param_hint="--since")
        day = lambda value: value.date().isoformat() if value else None  # noqa: E731
        return func(*args, selection=Selection(status, day(since), day(until)), **kwargs)

    return wrapper


@click.command()
@click.option("--format", "format_name", default="jsonl", show_default=True, help=f"File format. {FORMAT_HELP}.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into (made if missing); nothing is written outside it.")
@selection_options
@common_options
@store_option
def export(format_name: str, out_dir: Path, selection, settings, quiet: bool) -> None:
    """Export the selected articles with metadata, abstracts, every paragraph pair, review status,
    quality flags, and the model, revision and prompt behind each result. A reviewer's edit is
    shown instead of the model's text, and marked as an edit."""
    from ..store.db import Store
    from ..views.export import export as write_export
    from ..views.records import undated_left_out

    with Store.open(settings.store_path, read_only=True) as store:
        say_undated(undated_left_out(store, selection), quiet)
        info = write_export(store, format_name, out_dir, settings, selection)
    stderr_console(quiet).print(f"wrote {plural(info.articles, 'article')} to {out_dir} "
                                f"({', '.join(p.name for p in info.paths[:3])}"
                                f"{', ...' if len(info.paths) > 3 else ''})", highlight=False)
