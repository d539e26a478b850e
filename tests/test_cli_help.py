"""Every command and every option explains itself (sqlite-utils test_docs style)."""
from __future__ import annotations

import click
import pytest

from cli_runner import run_cli
from summarizer.cli import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


COMMANDS = list(_commands(cli))


def test_the_product_commands_exist():
    names = {path[0] for path, _ in COMMANDS}
    assert {"clean", "run", "models", "export", "bench"} <= names


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_and_option_has_help(capsys, path, command):
    assert command.help and command.help.strip(), f"{' '.join(path)} has no help"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help and param.help.strip(), f"{' '.join(path)} {param.opts[0]} has no help"
    for flag in ("--help", "-h"):
        result = run_cli(capsys, *path, flag)
        assert result.code == 0 and "Usage:" in result.out
        if not isinstance(command, click.Group):
            assert "--config" in result.out


def test_unknown_command_is_a_usage_error(capsys):
    result = run_cli(capsys, "frobnicate")
    assert result.code == 2 and result.err.startswith("error: ") and "Traceback" not in result.err


def test_review_off_a_terminal_is_refused_not_hung(capsys):
    result = run_cli(capsys, "review")  # pytest's stdin is no terminal
    assert result.code == 2 and "needs a terminal" in result.err and "summarizer view" in result.err


def test_view_of_an_empty_store_says_what_to_do(capsys, tmp_path):
    store = tmp_path / "s.db"
    run_cli(capsys, "run", tmp_path / "missing.txt", "--store", store)
    result = run_cli(capsys, "view", "--store", store)
    assert result.code == 0 and "no articles in" in result.err and "summarizer run" in result.err
