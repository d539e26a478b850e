"""`summarizer view [ARTICLE]`: an article side by side with its flags, or the list of all."""
from __future__ import annotations

import dataclasses
import json

import click

from .common import EXIT_OK, common_options, stdout_console, store_option, warn


@click.command()
@click.argument("article", required=False)
@click.option("--simplified", is_flag=True, help="Show the Simplified text beside the English instead of the original script.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON for scripts: the article with every unit's English, status, labels, flags and "
                   "review, or without ARTICLE an array of the articles.")
@click.option("--flags", "flag_summary", is_flag=True,
              help="Print the quality flags counted by check and state (open, dismissed as false alarms) "
                   "instead of articles.")
@common_options
@store_option
def view(article: str | None, simplified: bool, as_json: bool, flag_summary: bool, settings,
         quiet: bool) -> None:
    """Show ARTICLE (an id, an id prefix or its source path) with its header, repairs and damage,
    the Chinese abstract beside the English one, and every paragraph beside its English with the
    quality flags inline. Without ARTICLE: a table of all stored articles with their review
    status and flag count."""
    from ..store.current import find_article
    from ..store.db import Store
    from ..store.review import flag_summary as count_flags
    from ..views.viewer import ArticleView, list_rows, render_flag_summary, render_list, render_view, view_json

    if flag_summary and article is not None:
        raise click.UsageError("--flags counts the flags of the whole store; give no ARTICLE")
    with Store.open(settings.store_path, read_only=True) as store:
        if flag_summary:
            counts = count_flags(store)
            if as_json:
                click.echo(json.dumps([dict(dataclasses.asdict(c), false_alarm_rate=c.false_alarm_rate)
                                       for c in counts], ensure_ascii=False, indent=1))
            else:
                render_flag_summary(stdout_console(), counts)
        elif article is None:
            rows = list_rows(store)
            if as_json:
                click.echo(json.dumps([dataclasses.asdict(row) for row in rows], ensure_ascii=False, indent=1))
            else:
                render_list(stdout_console(), rows)
            if not rows:
                warn(f"no articles in {store.path}; run 'summarizer run PATH...' first")
        else:
            shown = ArticleView.load(store, find_article(store, article).id)
            if as_json:
                click.echo(json.dumps(view_json(shown), ensure_ascii=False, indent=1))
            else:
                render_view(stdout_console(), shown, simplified=simplified)
    raise SystemExit(EXIT_OK)
