"""Nothing from a folder someone else prepared runs or decides: templates render sandboxed, and an
implicitly found config.toml is read only when it is the user's own. Every bad value is refused at load."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_runner import run_cli
from test_export import fill

from summarizer import load_settings
from summarizer.store.db import Store

PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('echo PWNED-$((6*7))').read() }}"


def _prepared_folder(folder: Path, template: str) -> Path:
    """A folder as an attacker would leave it: a prompts folder with a hostile template, and a config using it."""
    prompts = folder / "prompts"
    prompts.mkdir(parents=True)
    (prompts / "export_index.html").write_text(f"<html>{template}</html>", encoding="utf-8")
    (prompts / "export_index.md").write_text(template, encoding="utf-8")
    config = folder / "config.toml"
    config.write_text(f'[prompts]\ndir = "{prompts}"\n', encoding="utf-8")
    return config


@pytest.mark.parametrize("format_name", ["html", "md"])
def test_a_hostile_template_runs_no_code(tmp_path, capsys, format_name):
    config = _prepared_folder(tmp_path / "prepared", PAYLOAD)
    with Store.open(load_settings().store_path) as store:
        fill(store)
    out = tmp_path / "out"
    result = run_cli(capsys, "export", "--config", config, "--format", format_name, "--out", out)
    written = "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file()) if out.exists() else ""
    assert "PWNED-42" not in written + result.out + result.err
    assert result.code == 2
    assert result.err.splitlines()[-1].startswith("error: ") and "template error" in result.err
    assert "unsafe" in result.err or "access to attribute" in result.err


def test_a_harmless_user_template_still_renders(tmp_path, capsys):
    config = _prepared_folder(tmp_path / "mine", "{{ records | length }} stories")
    with Store.open(load_settings().store_path) as store:
        fill(store)
    out = tmp_path / "out"
    assert run_cli(capsys, "export", "--config", config, "--format", "md", "--out", out).code == 0
    assert (out / "index.md").read_text(encoding="utf-8").startswith("1 stories")


def _cwd_config(folder: Path) -> Path:
    config = folder / "config.toml"
    config.write_text('[store]\npath = "elsewhere.db"\n', encoding="utf-8")
    config.chmod(0o644)
    return config


def test_the_users_own_config_in_the_current_folder_is_read_and_named(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = _cwd_config(tmp_path)
    assert load_settings().store_path == tmp_path / "elsewhere.db"
    result = run_cli(capsys, "view")
    assert f"config: {config} over the built-in defaults" in result.err.splitlines()


def test_a_config_writable_by_others_is_not_read(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = _cwd_config(tmp_path)
    config.chmod(0o666)
    settings = load_settings()
    assert settings.store_path != tmp_path / "elsewhere.db"
    assert settings.ignored == ((str(config), "writable by other users"),)
    err = run_cli(capsys, "view").err.splitlines()
    assert f"warning: {config}: not read (writable by other users); pass --config {config} to use it anyway" in err
    assert not any(line.startswith("config: ") for line in err)  # the built-in defaults alone


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_a_config_owned_by_another_user_is_not_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = _cwd_config(tmp_path)
    os.chown(config, 65534, 65534)
    settings = load_settings()
    assert settings.store_path != tmp_path / "elsewhere.db"
    assert settings.ignored == ((str(config), "owned by another user"),)
    # named explicitly, it is the user's choice and read
    assert load_settings(config).store_path == tmp_path / "elsewhere.db"


@pytest.mark.parametrize("line, culprit", [
    ("[models.translate.generation]\nrepetition_penalty = 0", "repetition_penalty must be > 0"),
    ("[models.translate]\nthreads = 100000000", "threads is 100000000"),
    ("[models.abstract.generation]\nlength_penalty = nan", "must be a finite number, not nan"),
    ("[engine]\nnum_cpus = inf", "must be a finite number, not inf"),
    ("[input]\nmin_cjk_ratio = 1.5", "min_cjk_ratio must be between 0 and 1"),
    ("[models.abstract.generation]\nmin_new_tokens = 500", "min_new_tokens is above max_new_tokens"),
])
def test_a_bad_value_is_refused_when_the_config_loads(tmp_path, capsys, line, culprit):
    config = tmp_path / "bad.toml"
    config.write_text(line + "\n", encoding="utf-8")
    result = run_cli(capsys, "run", "--config", config, tmp_path)
    assert result.code == 2
    assert result.err.splitlines() == [f"error: {config}: " + result.err.split(f"{config}: ", 1)[1].rstrip()]
    assert culprit in result.err


def test_config_shows_every_option_and_where_it_came_from(tmp_path, capsys):
    config = tmp_path / "mine.toml"
    config.write_text('[models.translate.generation]\nnum_beams = 2\n', encoding="utf-8")
    result = run_cli(capsys, "config", "--config", config)
    assert result.code == 0
    lines = result.out.splitlines()
    assert f"models.translate.generation.num_beams = 2  # {config}" in lines
    assert "models.abstract.generation.num_beams = 4  # built-in defaults" in lines
    assert len(lines) == len(load_settings().options)
    data = json.loads(run_cli(capsys, "config", "--json", "--config", config).out)
    assert data["files"] == [str(config)] and data["ignored"] == []
    assert data["options"]["models.translate.generation.num_beams"] == {"value": 2, "source": str(config)}
    assert data["options"]["store.path"] == {"value": "", "source": "built-in defaults"}


def test_relative_paths_in_a_config_are_relative_to_that_file_not_the_current_folder(tmp_path, monkeypatch):
    folder = tmp_path / "project"
    folder.mkdir()
    config = folder / "config.toml"
    config.write_text('[prompts]\ndir = "my-prompts"\n[store]\npath = "data/s.db"\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    settings = load_settings(config)
    assert settings.prompts_dir == folder / "my-prompts"
    assert settings.store_path == folder / "data" / "s.db"
