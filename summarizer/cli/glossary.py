"""`summarizer glossary`: the terms every translation is checked against, from the glossary file
(glossary.path in the config) and those added in the review or here (kept in the store)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import click

from .common import EXIT_OK, common_options, plural, stderr_console, stdout_console, store_option


def _recheck(settings, store, quiet: bool) -> None:
    from .. import recheck

    count = recheck.recheck_all(store, recheck.glossary(settings, store))
    if not quiet:
        click.echo(f"flags rechecked: {count} in the store", err=True)


@click.group()
def glossary() -> None:
    """List, add to, remove from and export the glossary. Terms added here or in the review live
    in the store, over the glossary file's; every change rechecks the quality flags."""


@glossary.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object: term -> its English renderings.")
@common_options
@store_option
def list_terms(as_json: bool, settings, quiet: bool) -> None:
    """Every term with its English (the preferred rendering first) and where it comes from."""
    from rich.table import Table

    from ..qa import load_glossary, merged
    from ..store.db import Store
    from ..store.review import glossary_terms

    base = load_glossary(settings.glossary_path) if settings.glossary_path else {}
    with Store.open(settings.store_path) as store:
        added = glossary_terms(store)
    terms = merged(base, added)
    if as_json:
        click.echo(json.dumps(terms, ensure_ascii=False, indent=1))
        raise SystemExit(EXIT_OK)
    table = Table(title=plural(len(terms), "glossary term"), title_justify="left")
    for column in ("term", "English", "from"):
        table.add_column(column, overflow="fold")
    for source, targets in sorted(terms.items()):
        table.add_row(source, " | ".join(targets), "store" if source in added else str(settings.glossary_path))
    stdout_console().print(table)
    raise SystemExit(EXIT_OK)


@glossary.command()
@click.argument("term")
@click.argument("english")
@common_options
@store_option
def add(term: str, english: str, settings, quiet: bool) -> None:
    """Add TERM with its ENGLISH (replacing an earlier one added here) and recheck the flags."""
    from ..store.db import Store
    from ..store.review import add_term

    if not term.strip() or not english.strip():
        raise click.BadParameter("the term and its English must not be empty")
    with Store.open(settings.store_path) as store:
        add_term(store, term.strip(), english.strip())
        if not quiet:
            click.echo(f"added {term.strip()} = {english.strip()}", err=True)
        _recheck(settings, store, quiet)
    raise SystemExit(EXIT_OK)


@glossary.command()
@click.argument("term")
@common_options
@store_option
def rm(term: str, settings, quiet: bool) -> None:
    """Remove TERM added in the review or with `glossary add`, and recheck the flags. A term of the
    glossary file stays until it is deleted from the file."""
    from ..errors import SummarizerError
    from ..store.db import Store
    from ..store.review import remove_term

    with Store.open(settings.store_path) as store:
        if not remove_term(store, term):
            hint = "'summarizer glossary list' lists them"
            if settings.glossary_path:
                hint = f"a term of the glossary file stays until you edit {settings.glossary_path}"
            raise SummarizerError(term, "no such term in the store", hint)
        if not quiet:
            click.echo(f"removed {term}", err=True)
        _recheck(settings, store, quiet)
    raise SystemExit(EXIT_OK)


@glossary.command()
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV file to write: source, target, variants... (glossary.path reads it back).")
@common_options
@store_option
def export(out_file: Path, settings, quiet: bool) -> None:
    """Write the whole glossary (file and store merged) as CSV, ready to be glossary.path."""
    from ..qa import load_glossary, merged
    from ..store.db import Store
    from ..store.review import glossary_terms
    from ..views.atomic import atomic_file

    base = load_glossary(settings.glossary_path) if settings.glossary_path else {}
    with Store.open(settings.store_path) as store:
        terms = merged(base, glossary_terms(store))
    with atomic_file(out_file) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "target"])
        writer.writerows([source, *targets] for source, targets in sorted(terms.items()))
    stderr_console(quiet).print(f"wrote {plural(len(terms), 'term')} to {out_file}", highlight=False, soft_wrap=True)
    raise SystemExit(EXIT_OK)
