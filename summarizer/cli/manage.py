"""Everyday upkeep of the store: `summarizer rm` an article, `summarizer search` across articles."""
from __future__ import annotations

import dataclasses
import json
import sys

import click

from .common import EXIT_OK, EXIT_SOME_FAILED, common_options, fail, plural, stderr_console, stdout_console, \
    store_option


@click.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--yes", "-y", is_flag=True, help="Do not ask before removing.")
@common_options
@store_option
def rm(articles: tuple[str, ...], yes: bool, settings, quiet: bool) -> None:
    """Remove ARTICLES (ids, id prefixes or source paths) from the store with every result, flag,
    review decision and edit of theirs. Glossary terms stay. A later `run` of the same file stores
    it afresh. Asks first unless --yes (or stdin is not a terminal, where nothing can answer)."""
    from ..errors import InputError
    from ..store.current import find_article
    from ..store.db import Store
    from ..store.remove import remove_article

    failed = 0
    with Store.open(settings.store_path, create=False) as store:
        for ref in articles:
            try:
                article = find_article(store, ref)
            except InputError as exc:
                fail(exc.line())
                failed += 1
                continue
            name = f"{article.id[:8]} {article.title or '(no headline)'}"
            asked = not yes and sys.stdin.isatty()
            if asked and not click.confirm(f"remove {name} and its results and review?", err=True):
                continue
            removed = remove_article(store, article.id)
            if not quiet:
                click.echo(f"removed {name} ({plural(removed['results'], 'result')}, "
                           f"{plural(removed['decisions'] + removed['edits'], 'review row')})", err=True)
    raise SystemExit(EXIT_SOME_FAILED if failed else EXIT_OK)


@click.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per match (JSON Lines).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many matches.")
@common_options
@store_option
def search(query: str, as_json: bool, limit: int, settings, quiet: bool) -> None:
    """Find QUERY in every stored article: the Chinese (original and Simplified) and the English
    shown (a reviewer's edit, else the model's), English case-insensitively. Each match names its
    article and paragraph; 'summarizer view ID' or 'summarizer review ID' opens it."""
    from ..store.db import Store
    from ..store.search import search as find
    from ..views.viewer import render_hits

    with Store.open(settings.store_path, create=False) as store:
        hits = find(store, query, limit)
    if as_json:
        for hit in hits:
            click.echo(json.dumps(dataclasses.asdict(hit), ensure_ascii=False))
    else:
        render_hits(stdout_console(), hits, query)
    stderr_console(quiet).print(f"{plural(len(hits), 'match', 'matches')}"
                                f"{f' (the first {limit}; --limit shows more)' if len(hits) == limit else ''}",
                                highlight=False)
    raise SystemExit(EXIT_OK)
