"""`summarizer models` and `summarizer models pull` through click's runner."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from summarizer.cli import cli


def non_commercial_copy(model: Path, folder: Path) -> Path:
    """A copy of a tiny model whose model card states a non-commercial licence, like XL-Sum's."""
    copy = shutil.copytree(model, folder / "model")
    (copy / "README.md").write_text("---\nlanguage: zh\nlicense: cc-by-nc-sa-4.0\n---\n# card\n", encoding="utf-8")
    return copy


def write_config(folder: Path, translate: Path) -> Path:
    path = folder / "config.toml"
    path.write_text(f'[models.translate]\nid = "{translate}"\n', encoding="utf-8")
    return path


def test_models_json_lists_every_task(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    config = write_config(tmp_path, non_commercial_copy(tiny_models["translate-bin"], tmp_path))
    result = CliRunner().invoke(cli, ["models", "--json", "--config", str(config)])
    assert result.exit_code == 0, result.output
    records = {r["task"]: r for r in json.loads(result.stdout)}
    assert list(records) == ["abstract", "translate", "briefing"]
    translate = records["translate"]
    assert (translate["source"], translate["weights"], translate["architecture"], translate["ready"]) == (
        "folder", "pytorch_model.bin", "MarianMTModel", True)
    assert (translate["license"], translate["non_commercial"]) == ("cc-by-nc-sa-4.0", True)
    assert translate["input_window"] == 256
    assert records["abstract"]["source"] == "missing" and not records["abstract"]["ready"]
    assert "run 'summarizer models pull abstract'" in result.stderr


def test_models_table_shows_non_commercial_licence(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    config = write_config(tmp_path, non_commercial_copy(tiny_models["translate-bin"], tmp_path))
    result = CliRunner().invoke(cli, ["models", "-q", "--config", str(config)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "cc-by-nc-sa-4.0 (non-commercial use only)" in result.stdout
    assert result.stderr == ""


def test_pull_offline_is_one_line_and_exit_1() -> None:
    result = CliRunner().invoke(cli, ["models", "pull", "translate"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: Hugging Face hub: offline: HF_HUB_OFFLINE is set; "
        "run 'summarizer models pull' on a networked machine and copy its HF cache here"]
    assert result.stdout == ""


def test_pull_skips_a_local_folder(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    config = write_config(tmp_path, tiny_models["translate"])
    result = CliRunner().invoke(cli, ["models", "pull", "translate", "--config", str(config)])
    assert result.exit_code == 0
    assert "is a local folder; nothing to download" in result.stderr


def test_pull_rejects_an_unknown_task() -> None:
    result = CliRunner().invoke(cli, ["models", "pull", "summary"])
    assert result.exit_code == 2
