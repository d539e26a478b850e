"""`summarizer run` as a daily user meets it: model loading said, what pending means and what to do
next, --redo, and --watch on a folder that grows while it runs (a real subprocess)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from cli_runner import run_cli
from conftest import SAMPLES
from test_cli_run import no_models  # noqa: F401  (fixture)
from tiny_models import tiny_spec

from summarizer import load_settings
from summarizer.store.db import Store

PAGES = sorted(SAMPLES.glob("*.txt"))


def results(task: str) -> list[tuple]:
    with Store.open(load_settings().store_path) as store:
        return store.conn.execute("SELECT key, created FROM results WHERE task = ? ORDER BY key", (task,)).fetchall()


def test_bare_command_and_wrong_commands_point_to_the_right_help(capsys):
    bare = run_cli(capsys)
    assert bare.code == 0 and bare.out.startswith("Usage: summarizer [OPTIONS] COMMAND") and bare.err == ""
    unknown = run_cli(capsys, "bogus")
    assert (unknown.code, unknown.err) == (2, "error: No such command 'bogus'; see 'summarizer --help'\n")
    pull = run_cli(capsys, "models", "pull", "bogus")
    assert pull.code == 2 and pull.err.endswith("; see 'summarizer models pull --help'\n")
    assert "summarizer summarizer" not in unknown.err + pull.err


def test_run_says_what_it_loads_what_pending_means_and_what_comes_next(no_models, capsys):  # noqa: F811
    result = run_cli(capsys, "run", PAGES[0], "--config", no_models)
    assert result.code == 0
    err = result.err
    assert f"loading the abstract model {no_models.parent}/no-abstract ..." in err
    assert "loading the translate model" in err
    assert "pending: " in err and "wait for a missing model" in err and "run this command again" in err
    assert "'summarizer view'" in err and "'summarizer review'" in err and "'summarizer export" in err


def test_redo_forgets_one_task_of_the_chosen_articles_and_computes_it_again(no_models, capsys):  # noqa: F811
    assert run_cli(capsys, "run", *PAGES[:2], "--config", no_models).code == 0
    before = results("abstract")
    assert len(before) == 2
    again = run_cli(capsys, "run", PAGES[0], "--config", no_models, "--redo", "abstract")
    assert again.code == 0 and "--redo abstract: 1 stored result forgotten" in again.err
    after = dict(results("abstract"))
    assert set(after) == {key for key, _ in before}  # same recipe, same keys
    changed = [key for key, created in before if after[key] != created]
    assert len(changed) == 1  # only the chosen article's abstract was made again
    assert len(results("translate")) > 0  # the other task was left alone


def test_watch_processes_pages_that_land_while_it_runs(tmp_path, tiny_models):
    """A real `run --watch` subprocess: two pages there at the start, one copied in later; each gets
    one line; Ctrl-C stops it with exit 0; a restart finds all the work done."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for page in PAGES[:2]:
        shutil.copy(page, inbox)
    settings = load_settings()
    spec = tiny_spec(settings.models["translate"], tiny_models["translate"])
    config = tmp_path / "watch.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "store.db"}"\n'
                      f'[models.abstract]\nid = "{tmp_path}/no-abstract"\n'
                      f'[models.translate]\nid = "{spec.id}"\ndevice = "cpu"\n'
                      '[models.translate.generation]\nnum_beams = 1\nmax_new_tokens = 8\n', encoding="utf-8")
    summarizer = str(Path(sys.executable).with_name("summarizer"))
    command = [summarizer, "run", str(inbox), "--watch", "--interval", "0.3", "--config", str(config)]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = wait_for_lines(proc, count=2)
        shutil.copy(PAGES[2], inbox)
        lines += wait_for_lines(proc, count=1)
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=180)[1]  # generous: a loaded machine tears torch down slowly
    finally:
        proc.kill()
    assert proc.returncode == 0, rest
    assert "stopped watching" in rest
    names = [next(p.name for p in PAGES if p.name in line) for line in lines]
    assert sorted(names[:2]) == [p.name for p in PAGES[:2]] and names[2] == PAGES[2].name
    assert all("new result" in line for line in lines)
    with Store.open(tmp_path / "store.db") as store:
        assert len(list(store.articles())) == 3
    rerun = subprocess.run([summarizer, "run", str(inbox), "--config", str(config), "--json"],
                           capture_output=True, text=True, env=env, timeout=120)
    outcomes = [json.loads(line) for line in rerun.stdout.splitlines()]
    assert rerun.returncode == 0 and len(outcomes) == 3
    assert all(o["new"] == 0 and o["cached"] > 0 for o in outcomes)  # nothing redone


def wait_for_lines(proc: subprocess.Popen, count: int, timeout: float = 120) -> list[str]:
    """The next `count` per-article lines the watch prints on stderr."""
    found: list[str] = []
    deadline = time.monotonic() + timeout
    while len(found) < count:
        assert time.monotonic() < deadline, f"only {found} after {timeout} s"
        line = proc.stderr.readline()
        assert line, "the watch ended early"
        if ": " in line and "new result" in line:
            found.append(line.strip())
    return found


def test_bars_count_articles_and_a_task_without_its_model_gets_none():
    from io import StringIO

    from rich.console import Console

    from summarizer.cli.run import progress_bars
    from summarizer.pipeline import Progress

    out = StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with progress_bars(console, missing={"translate"}) as update:
        for done in (1, 2, 3):
            time.sleep(0.01)
            update(Progress("abstract", done, 3, 1))
            update(Progress("translate", done, 3, 20))
    text = out.getvalue()
    assert "abstract" in text and "3/3" in text and "articles/s" in text
    assert "translate" not in text and "units/s" not in text
