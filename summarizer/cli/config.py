"""`summarizer config`: the settings in effect, each with the file it came from."""
from __future__ import annotations

import json

import click

from ..config import DEFAULTS
from .common import EXIT_OK, common_options, stdout_console


@click.command(name="config")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON for scripts: the config files in effect, those found but not trusted, and "
                   "every option with its value and source.")
@common_options
def config(as_json: bool, settings, quiet: bool) -> None:
    """Show every option in effect and the file it came from: the built-in defaults, --config FILE,
    ./config.toml (read only when it is your own and only you can change it) or
    $SUMMARIZER_HOME/config.toml."""
    if as_json:
        click.echo(json.dumps({
            "files": list(settings.sources),
            "ignored": [{"file": path, "why": why} for path, why in settings.ignored],
            "options": {o.name: {"value": o.value, "source": o.source} for o in settings.options},
        }, ensure_ascii=False, indent=1))
    else:
        _render(settings)
    raise SystemExit(EXIT_OK)


def _render(settings) -> None:
    """One `name = value  # source` line per option: TOML a user can copy into a config file."""
    from rich.text import Text

    console = stdout_console()
    for option in settings.options:
        line = Text(f"{option.name} = {json.dumps(option.value, ensure_ascii=False)}")
        line.append(f"  # {option.source}", style="dim" if option.source == DEFAULTS else "bold")
        console.print(line, soft_wrap=True)
