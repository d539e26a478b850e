"""The revision of a local model folder: a digest of the files that decide its output.

A hub snapshot has its commit; a folder has nothing of the kind, and naming every folder "local"
kept the old model's results cached under new weights put at the same path, or after a symlink
was pointed at another model. The digest covers the config, generation config and tokenizer
files (read every time: they are small) and the weights, hashed once: a weight file's digest is
kept in $SUMMARIZER_HOME/model-digests.json under its real path, size and modification time, so
a changed or replaced file is hashed again and an unchanged one never is.
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import tempfile
from pathlib import Path

from ..config import home_dir
from .hub import NEEDED, PICKLE, SAFETENSORS

CHUNK = 1 << 20
DOCS = ("README.md",)  # fetched with the model, decides nothing about its output


def folder_revision(folder: Path) -> str:
    """"local-" and 16 hex digits of the digest over the folder's deciding files, names included."""
    digest = hashlib.sha256()
    known = _load_known()
    count = len(known)
    for path in _deciding_files(folder):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(_weights_digest(path, known) if _is_weights(path.name) else _file_digest(path))
    if len(known) != count:
        _save_known(known)
    return "local-" + digest.hexdigest()[:16]


def _deciding_files(folder: Path) -> list[Path]:
    wanted = [pattern for pattern in NEEDED if pattern not in DOCS] + SAFETENSORS + PICKLE
    return sorted(path for path in folder.iterdir()
                  if path.is_file() and any(fnmatch.fnmatch(path.name, pattern) for pattern in wanted))


def _is_weights(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in SAFETENSORS + PICKLE) and not name.endswith(".json")


def _file_digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.digest()


def _weights_digest(path: Path, known: dict[str, str]) -> bytes:
    """The file's digest, from `known` while its real path, size and mtime are unchanged."""
    real = path.resolve()
    status = real.stat()
    key = f"{real}\0{status.st_size}\0{status.st_mtime_ns}"
    if key not in known:
        known[key] = _file_digest(real).hex()
    return bytes.fromhex(known[key])


def _digests_path() -> Path:
    return home_dir() / "model-digests.json"


def _load_known() -> dict[str, str]:
    try:
        known = json.loads(_digests_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no file yet, or a damaged one: the digests are computed again
    return known if isinstance(known, dict) else {}


def _save_known(known: dict[str, str]) -> None:
    """Written whole to a temporary file and renamed, so a reader never sees half of it; a
    folder we cannot write to only costs hashing again next time."""
    path = _digests_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".model-digests-")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(known, out)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
