"""`summarizer brief`: an English briefing of the selected articles, as Markdown or HTML."""
from __future__ import annotations

import functools
from pathlib import Path

import click

from ..errors import ReadOnlyStore
from .common import common_options, plural, say_undated, stderr_console, store_option, warn
from .export import selection_options


@click.command()
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.md or FILE.html to write (replaced whole, never left half-written).")
@selection_options
@common_options
@store_option
def brief(out_file: Path, selection, settings, quiet: bool) -> None:
    """Write an English briefing: scope, an overview condensed by the briefing model, then the
    stories grouped by topic, near-duplicates merged with all their sources, each with its
    headline, two or three sentences, key figures, sources and marks (unreviewed, extractive
    abstract, open quality flags). Without the briefing model it is written without an overview.
    The overview is kept in the store: another format of the same briefing is written at once.
    Templates: briefing.md and briefing.html in the prompts folder."""
    from ..brief.overview import condense
    from ..views.brief import brief as write_brief
    from ..views.records import undated_left_out

    console = stderr_console(quiet)
    say = functools.partial(console.print, highlight=False, soft_wrap=True)
    with _open(settings.store_path) as store:
        say_undated(undated_left_out(store, selection), quiet)
        briefing = write_brief(store, selection, out_file, settings,
                               functools.partial(condense, settings=settings, store=store, say=say), say=say)
    if briefing.overview and briefing.overview.problem:
        warn(f"{briefing.overview.problem} (the briefing was written without an overview)")
    say(f"wrote {out_file}: {plural(briefing.items, 'story', 'stories')} in {plural(len(briefing.topics), 'topic')} "
        f"from {plural(briefing.articles, 'article')}")


def _open(path: Path):
    """Read-write, to keep the overview for the next format; a store on read-only media is briefed
    all the same, its overview made again each time."""
    from ..store.db import Store

    try:
        return Store.open(path, create=False)
    except ReadOnlyStore:
        return Store.open(path, read_only=True)
