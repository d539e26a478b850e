"""`summarizer export`: write the store's articles and results to files in one folder."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from ..views.export import FORMATS
from .common import common_options, stderr_console
from .run import store_option


@click.command()
@click.option("--format", "format_name", default="jsonl", show_default=True,
              help=f"File format: {', '.join(sorted(FORMATS))}.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into (made if missing); the file is articles.<format>.")
@store_option
@common_options
def export(format_name: str, out_dir: Path, store_path: Path | None, settings, quiet: bool) -> None:
    """Export every stored article with its abstract and translations (the current result of
    each, with its status: done, pending or failed)."""
    from ..store.db import Store
    from ..views.export import export as write_export

    if store_path is not None:
        settings = dataclasses.replace(settings, store_path=store_path)
    with Store.open(settings.store_path, create=False) as store:
        info = write_export(store, format_name, out_dir)
    stderr_console(quiet).print(f"wrote {info.articles} articles to {info.path}")
