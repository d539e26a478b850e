"""One bad folder entry fails alone: a symlink loop or a file name that is not UTF-8 never stops the
batch; names are stored as valid text and shown with control characters escaped."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from cli_runner import run_cli
from conftest import SAMPLES

from summarizer import load_settings
from summarizer.store.db import Store


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    samples = sorted(SAMPLES.glob("*.txt"))
    shutil.copy(samples[0], folder / "a.txt")
    (folder / "loop1").symlink_to("loop2")
    (folder / "loop2").symlink_to("loop1")
    # a GBK-era name with a control byte: not valid UTF-8, and hostile on a terminal
    raw_name = os.fsdecode(b"\xc4\xe3\x01name.txt")
    shutil.copy(samples[1], folder / raw_name)
    return folder


def test_a_symlink_loop_and_a_non_utf8_name_fail_or_pass_alone(tmp_path, capsys):
    config = tmp_path / "no-models.toml"
    config.write_text(f'[models.abstract]\nid = "{tmp_path}/none"\n[models.translate]\nid = "{tmp_path}/none"\n')
    folder = _folder(tmp_path)
    result = run_cli(capsys, "run", "--config", config, folder, folder / "loop1")
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {folder}/loop1: symlink loop; not followed; remove or fix the link",
                      f"error: {folder}/loop2: symlink loop; not followed; remove or fix the link"]
    with Store.open(load_settings().store_path) as store:
        paths = sorted(a.source.path for a in store.articles())
    assert paths == sorted([f"{folder}/a.txt", f"{folder}/\\xc4\\xe3\x01name.txt"])


def test_a_bad_name_in_an_error_line_is_escaped(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"empty\x1b[31m\xff.txt")).write_bytes(b"")
    result = run_cli(capsys, "clean", folder)
    assert result.code == 1
    (line,) = [x for x in result.err.splitlines() if x.startswith("error: ")]
    assert "\x1b" not in line and "\\x1b[31m\\xff.txt" in line
