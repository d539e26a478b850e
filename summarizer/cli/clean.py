"""`summarizer clean`: raw pages in, cleaned articles out (terminal view or JSON files)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..clean import clean_file, collect_inputs
from ..errors import InputError
from ..serialize import article_to_dict
from .common import EXIT_OK, EXIT_SOME_FAILED, common_options, fail, stderr_console, stdout_console, warn


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "json_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write DIR/<input file stem>.json per input instead of showing the articles.")
@common_options
def clean(paths: tuple[Path, ...], json_dir: Path | None, settings, quiet: bool) -> None:
    """Clean raw page dumps (text or HTML, any common Chinese encoding) into articles.

    PATHS are files or folders (folders are read recursively; symlinks leading out of a
    folder are not followed). Shows each article with its metadata, paragraphs, repairs and
    damage, or writes JSON with --json. Exit 1 when some inputs failed; the rest are done.
    """
    from ..views.article import render_article

    from rich.progress import track

    files, errors = collect_inputs(list(paths))
    total = len(files) + len(errors)
    console, progress = stdout_console(), stderr_console(quiet)
    written: set[str] = set()
    shown = progress.is_terminal and not quiet and json_dir is not None
    for path in track(files, description="cleaning", console=progress, disable=not shown, transient=True):
        try:
            article = clean_file(path, settings)
        except InputError as exc:
            errors.append(exc)
            continue
        for warning in article.warnings:
            warn(f"{path}: {warning}")
        if json_dir is None:
            render_article(console, article)
        else:
            _write_json(json_dir, path, article_to_dict(article), written)
    for error in errors:
        fail(error.line())
    if errors:
        stderr_console(quiet).print(f"{len(errors)} of {total} input(s) failed; the others were cleaned",
                                    highlight=False)
    raise SystemExit(EXIT_SOME_FAILED if errors else EXIT_OK)


def _write_json(folder: Path, source: Path, record: dict, written: set[str]) -> None:
    """DIR/<stem>.json, written atomically; a second input with the same stem gets <stem>-2.json.
    A stem is a file name's last part, so it cannot reach outside DIR."""
    from ..views.atomic import atomic_file

    stem, n = source.stem, 2
    name = stem
    while name in written:
        name, n = f"{stem}-{n}", n + 1
    written.add(name)
    with atomic_file(folder / f"{name}.json") as handle:
        json.dump(record, handle, ensure_ascii=False, indent=1)
