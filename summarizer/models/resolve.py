"""Where a configured model lives on this machine and what its folder holds; no torch here.

`spec.id` is a local folder (config.json inside) or a hub id looked up in the Hugging Face
cache at `spec.revision`. The folder's JSON files give the architecture, the input window and
the weight format, so `summarizer models` can report all of it without loading anything.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..config import ModelSpec
from ..errors import ConfigError, ModelNotFound
from . import hub
from .fingerprint import folder_revision
from .records import ModelInfo

# Preferred first: safetensors cannot run code when loaded; a pickle needs weights_only loading.
WEIGHT_FILES = (
    ("safetensors", ("model.safetensors", "model.safetensors.index.json")),
    ("pytorch_model.bin", ("pytorch_model.bin", "pytorch_model.bin.index.json")),
)
# T5/mT5 use relative positions: nothing breaks past 512 tokens, but they were trained on 512.
RELATIVE_POSITION_WINDOW = 512
# Tokenizers without a stated limit report 1e30; anything this large is not a real limit.
SANE_LIMIT = 1_000_000
LICENSE_LINE = re.compile(r"^license:\s*['\"]?([^'\"\n#]+?)['\"]?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Located:
    """A model folder ready to load: the folder itself or a cached hub snapshot."""

    path: Path
    revision: str  # the snapshot's commit hash, or "local-" and the digest of a folder (fingerprint.py)
    source: str  # "folder" or "cache"


def locate(spec: ModelSpec) -> Located:
    """The folder to load spec's model from; ModelNotFound saying how to get it otherwise."""
    folder = Path(spec.id).expanduser()
    if is_folder(spec.id):
        if not (folder / "config.json").is_file():
            raise ModelNotFound(spec.id, f"{spec.task} model folder has no config.json",
                                f"point models.{spec.task}.id in config.toml at a saved model folder")
        real = folder.resolve()  # a symlink pointed elsewhere is another folder, with its own revision
        return Located(real, folder_revision(real), "folder")
    snapshot = hub.cached_snapshot(spec.id, spec.revision)
    if snapshot is None or not (snapshot / "config.json").is_file():
        raise ModelNotFound(
            spec.id, f"{spec.task} model (revision {spec.revision}) is not in the Hugging Face cache {hub.cache_dir()}",
            f"run 'summarizer models pull {spec.task}' on a networked machine, "
            f"or set models.{spec.task}.id to a local model folder in config.toml")
    return Located(snapshot, snapshot.name, "cache")


def is_folder(model_id: str) -> bool:
    """A local folder, existing or not: hub ids are "owner/name", anything else path-shaped is not."""
    path_shaped = model_id.startswith(("/", ".", "~")) or model_id.count("/") > 1 or "\\" in model_id
    return path_shaped or Path(model_id).expanduser().is_dir()


def weight_format(folder: Path) -> str | None:
    for name, files in WEIGHT_FILES:
        if any((folder / f).is_file() for f in files):
            return name
    return None


def read_json(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelNotFound(str(path), f"cannot read ({exc})", "download the model again") from exc


def position_limit(config: dict) -> int | None:
    """The hard limit of absolute-position models (Marian, NLLB); None for relative positions."""
    value = config.get("max_position_embeddings")
    return value if isinstance(value, int) and 0 < value < SANE_LIMIT else None


def input_window(folder: Path, spec: ModelSpec) -> int:
    """The input window in tokens: the configured one, checked against the model, or the model's own."""
    positions = position_limit(read_json(folder / "config.json"))
    if spec.max_input_tokens > 0:
        if positions is not None and spec.max_input_tokens > positions:
            raise ConfigError(f"models.{spec.task}.max_input_tokens",
                              f"{spec.max_input_tokens} exceeds the model's {positions} positions",
                              f"set it to {positions} or less, or 0 for the model's own limit")
        return spec.max_input_tokens
    stated = read_json(folder / "tokenizer_config.json").get("model_max_length")
    limits = [v for v in (positions, stated) if isinstance(v, int) and 0 < v < SANE_LIMIT]
    return min(limits) if limits else RELATIVE_POSITION_WINDOW


def license_of(folder: Path) -> str | None:
    """The `license:` of the model card's front matter, if the card states one."""
    card = folder / "README.md"
    if not card.is_file():
        return None
    text = card.read_text(encoding="utf-8", errors="replace")
    if not text.startswith("---"):
        return None
    match = LICENSE_LINE.search(text.split("---", 2)[1])
    return match.group(1).strip() if match else None


def resolve(spec: ModelSpec) -> ModelInfo:
    """Everything `summarizer models` shows about one task's model; a model that is not on this
    machine is reported with the line a run would raise, not raised."""
    try:
        located = locate(spec)
    except ModelNotFound as exc:
        return ModelInfo(spec.task, spec.id, spec.kind, "missing", None, None, 0, None, None, None,
                         spec.license or None, False, exc.line())
    folder = located.path
    config = read_json(folder / "config.json")
    weights = weight_format(folder)
    architectures = config.get("architectures") or [config.get("model_type")]
    return ModelInfo(
        task=spec.task, id=spec.id, kind=spec.kind, source=located.source, path=str(folder),
        revision=located.revision, size_bytes=_size(folder), weights=weights,
        architecture=architectures[0], input_window=input_window(folder, spec),
        license=license_of(folder) or spec.license or None,
        ready=weights is not None, problem="" if weights else f"{spec.id}: no model weights in {folder}",
    )


def _size(folder: Path) -> int:
    """Bytes on disk; cache snapshots are symlinks into blobs/, which stat() follows."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
