"""Without Ray installed, `--engine ray` says in one line how to get it: exit 2, nothing done."""
from __future__ import annotations

import subprocess
import sys

from cli_runner import run_cli
from conftest import SAMPLES

# sys.modules["ray"] = None makes `import ray` fail as on a machine without the extra
PROBE = ("import sys\nsys.modules['ray'] = None\nfrom summarizer.cli import main\n"
         f"main(['run', {str(SAMPLES)!r}, '--engine', 'ray'])")


def test_ray_engine_without_ray_is_one_line_and_exit_2(isolated_home):
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == ("error: ray: the ray engine needs Ray (ray is not installed); "
                             "pip install 'summarizer[ray]', or use --engine local\n")
    assert not (isolated_home / "summarizer.db").exists()


def test_ray_address_with_local_engine_is_a_usage_error(capsys):
    result = run_cli(capsys, "run", SAMPLES, "--engine", "local", "--ray-address", "auto")
    assert result.code == 2 and result.err.startswith("error: --ray-address needs --engine ray")
