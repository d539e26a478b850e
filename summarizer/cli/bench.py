"""`summarizer bench`: speed measured against a baseline in the same run, never in tests."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from .common import EXIT_OK, common_options, stdout_console

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "samples"


@click.command()
@click.argument("target", type=click.Choice(["clean"]), default="clean")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_CORPUS,
              show_default=True, help="Folder of raw pages to clean (e.g. ../shared/corpus/raw).")
@click.option("--repeats", type=click.IntRange(3, 1000), default=15, show_default=True,
              help="Timed runs on the largest page; the median is reported.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON for scripts.")
@common_options
def bench(target: str, corpus: Path, repeats: int, as_json: bool, settings, quiet: bool) -> None:
    """Measure speed. TARGET: clean (articles/s over --corpus, and the median time on its largest
    page next to trafilatura's on the same page, in the same run)."""
    from ..bench.clean import bench_clean

    result = bench_clean(corpus, settings, repeats)
    if as_json:
        click.echo(json.dumps({"clean": asdict(result)}, indent=1))
    else:
        _render_clean(result)
    raise SystemExit(EXIT_OK)


def _render_clean(result) -> None:
    from rich.table import Table

    table = Table(title=f"clean: {result.files} pages ({result.failed} refused)", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("articles per second (whole folder)", f"{result.articles_per_second:.1f}")
    table.add_row(f"median ms, largest page {result.largest_page} ({result.largest_bytes / 1024:.0f} KB)",
                  f"{result.median_ms:.1f}")
    if result.trafilatura_median_ms is None:
        table.add_row("trafilatura, same page", "not installed (pip install trafilatura)")
    else:
        table.add_row("trafilatura median ms, same page", f"{result.trafilatura_median_ms:.1f}")
        table.add_row("speed-up over trafilatura", f"{result.trafilatura_median_ms / result.median_ms:.2f}x")
    stdout_console().print(table)
