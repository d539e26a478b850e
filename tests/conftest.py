"""Shared fixtures: every test runs with SUMMARIZER_HOME in a temp folder."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
CORPUS_RAW = SHARED / "corpus" / "raw"
CORPUS_GOLD = SHARED / "corpus" / "gold"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SUMMARIZER_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    # ./config.toml of the repo is the defaults file; tests must not pick up a user's cwd config
    monkeypatch.chdir(home)
    return home


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    """Tiny random-weight models of the real architectures, built once per session (tests/tiny_models.py)."""
    from tiny_models import build_all

    return build_all(tmp_path_factory.mktemp("tiny_models"))
