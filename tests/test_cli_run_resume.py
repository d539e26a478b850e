"""A real `summarizer run` killed with SIGKILL mid-run, then run again: nothing lost, redone or doubled."""
from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from conftest import SAMPLES
from test_cli_run import no_models  # noqa: F401  (fixture)

from summarizer import load_settings
from summarizer.cli import cli

VARIANTS = 40  # 200 distinct articles: a few seconds of work, so the kill lands mid-run


def make_inputs(folder: Path) -> Path:
    """Distinct articles from the samples: each variant marks every long line, so body paragraphs too."""
    folder.mkdir()
    for sample in sorted(SAMPLES.iterdir()):
        lines = sample.read_text(encoding="utf-8").splitlines()
        for k in range(VARIANTS):
            varied = [f"第{k}期通报称，{line}" if len(line) > 40 else line for line in lines]
            (folder / f"{sample.stem}_{k:02d}.txt").write_text("\n".join(varied), encoding="utf-8")
    return folder


def rows(db: Path) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT key, status, created FROM results ORDER BY key").fetchall()


def wait_for_results(proc: subprocess.Popen, db: Path) -> None:
    """Return once the running `proc` has committed results to `db`."""
    while proc.poll() is None:
        try:
            if rows(db):
                break
        except sqlite3.OperationalError:  # store or table not made yet
            pass
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be stopped: give it more work"


def kill_once_results_appear(command: list[str], db: Path) -> None:
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_results(proc, db)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()


def run_json(*args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["run", *args, "--json", "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_killed_run_resumes_without_loss_or_duplicates(tmp_path, no_models):  # noqa: F811
    inputs = make_inputs(tmp_path / "in")
    db = load_settings().store_path
    summarizer = str(Path(sys.executable).with_name("summarizer"))
    kill_once_results_appear([summarizer, "run", str(inputs), "--config", str(no_models), "-q"], db)
    before = rows(db)
    assert before, "the killed run committed nothing"

    outcomes = run_json(str(inputs), "--config", str(no_models))
    after = rows(db)
    done_before = {key: created for key, status, created in before if status == "done"}
    assert {key: created for key, _, created in after if key in done_before} == done_before  # not redone
    assert len({o["article_id"] for o in outcomes}) == len(outcomes) == 5 * VARIANTS
    new = sum(o["new"] for o in outcomes)
    assert new == sum(1 for _, status, _ in after if status == "done") - len(done_before)

    fresh = tmp_path / "fresh.db"
    run_json(str(inputs), "--config", str(no_models), "--store", str(fresh))
    assert [(k, s) for k, s, _ in after] == [(k, s) for k, s, _ in rows(fresh)]  # nothing lost, nothing doubled
