"""The `summarizer` command: a thin layer that parses options, calls the library and renders.

Each command lives in its own module of this package; this one holds the group, the shared
options and the one place where errors become a line on stderr and an exit code.
"""
from __future__ import annotations

import os
import signal
import sys

import click

from ..errors import SummarizerError, printable
from .common import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
from .commands import register

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="summarizer")
def cli() -> None:
    """Clean scraped Chinese news pages, write a Chinese abstract and an English translation of
    each with local seq2seq models, review them side by side, export them and brief in English.

    Every command takes --config FILE (see config.toml for every option and its default).
    """


register(cli)


def help_command(ctx: click.Context | None) -> str:
    """The help of the command that was typed (`summarizer models pull --help`), never a doubled name."""
    return f"{ctx.command_path if ctx else 'summarizer'} --help"


def main(argv: list[str] | None = None) -> None:
    """Entry point: one error line and exit 2 for usage/config errors, never a traceback
    unless --debug is given."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    # SIGTERM (a service manager, `timeout`, `kill`) stops a run as Ctrl-C does: the batch in flight
    # rolls back, finished work is kept, and the user is told so
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        cli.main(args=args, prog_name="summarizer", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("error: interrupted; finished work is kept, run the same command again to resume", err=True)
        sys.exit(130)
    except click.exceptions.NoArgsIsHelpError as exc:  # a bare `summarizer` (or group) asks for its help
        click.echo(exc.ctx.get_help())
        sys.exit(EXIT_OK)
    except click.UsageError as exc:
        click.echo(f"error: {exc.format_message().rstrip('.')}; see '{help_command(exc.ctx)}'", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(EXIT_USAGE)
    except SummarizerError as exc:
        if debug:
            raise
        click.echo(f"error: {exc.line()}", err=True)
        sys.exit(EXIT_USAGE)
    except BrokenPipeError:  # `summarizer view | head`: the reader left; nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        sys.exit(EXIT_SOME_FAILED)
    except Exception as exc:  # the last resort: a defect, never a traceback unless asked for
        if debug:
            raise
        click.echo(f"error: unexpected {type(exc).__name__}: {printable(str(exc))}; finished work is kept; "
                   "run again with --debug for the details and please report it", err=True)
        sys.exit(EXIT_USAGE)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
