"""A process's ends: SIGTERM stops a run as Ctrl-C does, and any unexpected error is one line, exit 2."""
from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import run_cli
from conftest import SAMPLES
from test_cli_run import no_models  # noqa: F401  (fixture)
from test_cli_run_resume import make_inputs, rows, run_json, wait_for_results

from summarizer import load_settings
from summarizer.store.db import Store


@pytest.mark.slow
def test_sigterm_stops_a_run_like_ctrl_c_and_a_rerun_finishes(tmp_path, no_models):  # noqa: F811
    inputs = make_inputs(tmp_path / "in")
    db = load_settings().store_path
    summarizer = str(Path(sys.executable).with_name("summarizer"))
    proc = subprocess.Popen([summarizer, "run", str(inputs), "--config", str(no_models)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for_results(proc, db)
    proc.send_signal(signal.SIGTERM)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert err.rstrip().splitlines()[-1] == ("error: interrupted; finished work is kept, "
                                             "run the same command again to resume")
    kept = rows(db)
    assert kept
    outcomes = run_json(str(inputs), "--config", str(no_models))
    assert len(outcomes) == len(list(inputs.iterdir()))


def test_an_unexpected_error_is_one_line_and_exit_2(capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Store, "open", broken)
    result = run_cli(capsys, "view")
    assert result.code == 2
    assert result.err.splitlines()[-1] == ("error: unexpected ZeroDivisionError: division by zero; finished work "
                                           "is kept; run again with --debug for the details and please report it")
    with pytest.raises(ZeroDivisionError):
        run_cli(capsys, "view", "--debug")


def test_a_ray_address_where_nothing_listens_fails_at_once(tmp_path, capsys):
    pytest.importorskip("ray")
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sorted(SAMPLES.glob("*.txt"))[0], folder)
    result = run_cli(capsys, "run", "--engine", "ray", "--ray-address", f"127.0.0.1:{port}", folder)
    assert result.code == 2
    assert f"error: 127.0.0.1:{port}: cannot start or join Ray (nothing answers at 127.0.0.1:{port}" in result.err
