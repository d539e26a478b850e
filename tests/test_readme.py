"""The README's promises: CI runs exactly its two set-up commands, every command it names exists,
every picture it shows is there, and the main install does not pull the optional extras."""
from __future__ import annotations

import re
import tomllib

from conftest import ROOT

from summarizer.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)[:2]


def test_ci_runs_the_readme_setup_commands_verbatim():
    install, tests = setup_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert install in ci and tests in ci
    assert install.endswith("pip install -e . && summarizer run samples/") and "[" not in install
    assert "pip install -e '.[test," in tests
    assert "--index-url https://download.pytorch.org/whl/cpu" in README  # the CPU-only build, said plainly


def test_every_command_the_readme_names_exists():
    named = set(re.findall(r"`summarizer ([a-z]+)", README))
    assert named and named <= set(cli.commands), named - set(cli.commands)


def test_every_picture_is_there():
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert len(pictures) >= 5 and all((ROOT / p).is_file() for p in pictures)


def test_the_main_install_holds_only_what_the_main_job_needs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["dependencies"]}
    assert not names & {"ray", "ctranslate2", "trafilatura", "pytest", "pillow", "pyarrow"}
    assert {"ray", "ctranslate2", "bench", "test"} <= set(project["optional-dependencies"])
