"""The library imports light: no torch, rich or textual for `import summarizer` or `--help`."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("torch", "transformers", "rich", "textual")


def _loaded_after(code: str) -> dict[str, bool]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize("code", [
    "import summarizer",
    "import summarizer.clean, summarizer.pipeline, summarizer.store.db, summarizer.models",
])
def test_library_imports_no_heavy_modules(code):
    assert not any(_loaded_after(code).values())


def test_help_does_not_load_torch():
    code = ("from summarizer.cli import main\n"
            "try:\n    main(['run', '--help'])\nexcept SystemExit:\n    pass")
    loaded = _loaded_after(code)
    assert not loaded["torch"] and not loaded["transformers"] and not loaded["textual"]
