"""The list of commands; each lives in its own module and is imported lazily by click."""
from __future__ import annotations

import click


def register(group: click.Group) -> None:
    from . import bench, brief, clean, config, export, glossary, manage, models, review, run, view

    group.add_command(clean.clean)
    group.add_command(run.run)
    group.add_command(export.export)
    group.add_command(brief.brief)
    group.add_command(models.models)
    group.add_command(bench.bench)
    group.add_command(view.view)
    group.add_command(review.review)
    group.add_command(manage.search)
    group.add_command(glossary.glossary)
    group.add_command(manage.rm)
    group.add_command(config.config)
