"""`summarizer review`: the interactive side-by-side review (Textual), or --recheck of the flags."""
from __future__ import annotations

import sys

import click

from ..errors import SummarizerError
from .common import EXIT_OK, common_options, store_option


@click.command()
@click.argument("article", required=False)
@click.option("--recheck", is_flag=True,
              help="Recompute the quality flags of every stored article (after a glossary change or an "
                   "upgrade), print how many there are, and exit without opening the review.")
@common_options
@store_option
def review(article: str | None, recheck: bool, settings, quiet: bool) -> None:
    """Review translations side by side in a full-screen terminal app, starting at ARTICLE (an id,
    id prefix or source path) or where the last review stopped. Keys: j/k paragraph, n/p article,
    a approve paragraph, A approve article (asks first when paragraphs were never shown or carry
    flags), f flag with a note, x dismiss a flag as a false alarm (with a note), e edit the English
    (the source above it), u undo, ] next flag, / search every article (> and < next and previous
    match), s original/Simplified, g add a
    glossary term, ? every key, q quit. Every decision is saved at once."""
    from .. import recheck as checks
    from ..store.current import find_article
    from ..store.db import Store

    if not recheck and not (sys.stdin.isatty() and sys.stdout.isatty()):
        # a full-screen app on a pipe would wait for keys that never come
        raise click.UsageError("review is interactive and needs a terminal; "
                               "'summarizer view' prints articles, --recheck updates the flags")
    with Store.open(settings.store_path, create=False) as store:
        if recheck:
            count = checks.recheck_all(store, checks.glossary(settings, store))
            if not quiet:  # click, not rich: a long store path must not be wrapped
                click.echo(f"{count} flags in {store.path}", err=True)
            raise SystemExit(EXIT_OK)
        if next(store.articles(), None) is None:
            raise SummarizerError(str(store.path), "no articles in the store",
                                  "run 'summarizer run PATH...' first")
        start = find_article(store, article).id if article else None
    from ..views.review import ReviewApp

    ReviewApp(settings, start).run()
    raise SystemExit(EXIT_OK)
