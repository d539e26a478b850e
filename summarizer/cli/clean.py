"""`summarizer clean`: placeholder until the cleaner lands."""
from __future__ import annotations

import click

from .common import common_options


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=None))
@common_options
def clean(paths, settings, quiet):
    """Clean raw page dumps (text or HTML) into articles."""
