"""`summarizer bench`: speed measured against a baseline in the same run, never in tests."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from .common import EXIT_OK, common_options, stdout_console

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "samples"
TARGETS = ("translate", "abstract", "clean", "all")


@click.command()
@click.argument("target", type=click.Choice(TARGETS), default="clean")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_CORPUS,
              show_default=True, help="Folder of raw pages to clean (e.g. ../shared/corpus/raw).")
@click.option("--repeats", type=click.IntRange(3, 1000), default=15, show_default=True,
              help="Timed runs on the largest page; the median is reported.")
@click.option("--quick", is_flag=True, help="Fewer units and shorter outputs, so a model bench takes a minute or so.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON for scripts.")
@common_options
def bench(target: str, corpus: Path, repeats: int, quick: bool, as_json: bool, settings, quiet: bool) -> None:
    """Measure speed. TARGET: clean (articles/s over --corpus, and the median time on its largest
    page next to trafilatura's on the same page); translate and abstract (random-weight models of
    the configured models' real sizes, the same inputs and forced output lengths through the plain
    generate() baseline, CTranslate2 when installed, the run path as configured and each precision
    option and plain generate() on the run path's batches and precision, greedy and beam 4, in
    one run (peak GPU memory too on a GPU); each variant's time is its best of up to 5 runs within
    40 s, the number of runs in brackets); all (every one of them)."""
    results = {}
    if target in ("clean", "all"):
        from ..bench.clean import bench_clean

        results["clean"] = bench_clean(corpus, settings, repeats)
    if target in ("translate", "all"):
        from ..bench.translate import bench_translate

        results["translate"] = bench_translate(settings, quick)
    if target in ("abstract", "all"):
        from ..bench.abstract import bench_abstract

        results["abstract"] = bench_abstract(settings, quick)
    if as_json:
        click.echo(json.dumps({name: _plain(value) for name, value in results.items()}, indent=1))
    else:
        for name, value in results.items():
            _render_clean(value) if name == "clean" else _render_decoding(value)
    raise SystemExit(EXIT_OK)


def _plain(value):
    return [asdict(item) for item in value] if isinstance(value, list) else asdict(value)


def _render_decoding(benches) -> None:
    from rich import box
    from rich.table import Table

    for result in benches:
        table = Table(title=f"{result.task}, {result.mode}: {result.units} units of {result.input_tokens[0]}-"
                            f"{result.input_tokens[1]} tokens, {result.new_tokens} new tokens each; batches of "
                            f"<= {result.batch_size} inputs, <= {result.batch_tokens or 'any'} tokens",
                      title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)  # fits 80 columns
        device = any(m.peak_device_mib is not None for m in result.measures)
        # short headers, so that the names keep room at 80 columns: MiB is the peak resident
        # memory, x a / x b / x e the speed-ups over (a), the fastest (b) and (e)
        columns = ["variant", "dtype", "s (runs)", "tok/s", "MiB"] + (["GPU MiB"] if device else []) \
            + ["=fp32", "x a", "x b", "x e"]
        for column in columns:
            table.add_column(column, justify="left" if column == "variant" else "right")
        for m in result.measures:
            cells = [m.variant, m.precision, f"{m.seconds:.2f} ({m.runs})", f"{m.tokens_per_second:.0f}",
                     f"{m.peak_rss_mib:.0f}"] + ([f"{m.peak_device_mib or 0:.0f}"] if device else []) \
                + [f"{m.same_as_float32:.0%}", f"{m.vs_baseline:.2f}",
                   "-" if m.vs_ctranslate2 is None else f"{m.vs_ctranslate2:.2f}", f"{m.vs_batched:.2f}"]
            table.add_row(*cells)
        stdout_console().print(table)


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
