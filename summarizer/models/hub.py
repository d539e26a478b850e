"""The Hugging Face cache and hub: find a cached snapshot offline, download one when asked.

Running never downloads: a run uses only what is on disk, so it behaves the same on an
air-gapped machine; `summarizer models pull` is the one place that goes to the network.
"""
from __future__ import annotations

import importlib
import os
import socket
from pathlib import Path
from urllib.parse import urlparse

from ..config import ModelSpec
from ..errors import ModelNotFound

TRUE_VALUES = {"1", "ON", "YES", "TRUE"}
# Files a seq2seq checkpoint needs; other frameworks' weights (tf, flax, onnx, rust) are skipped.
NEEDED = ["*.json", "*.model", "*.spm", "*.txt", "README.md"]
SAFETENSORS = ["*.safetensors", "*.safetensors.index.json"]
PICKLE = ["pytorch_model*.bin", "pytorch_model.bin.index.json"]


class HubUnreachable(ModelNotFound):
    """Offline mode or no route to the hub: every download would fail the same way."""


def cache_dir() -> Path:
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def cached_snapshot(repo_id: str, revision: str) -> Path | None:
    """The cached snapshot folder of repo_id at revision (branch, tag or commit), or None."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError

    try:
        return Path(snapshot_download(repo_id, revision=revision, local_files_only=True))
    except (LocalEntryNotFoundError, HFValidationError, FileNotFoundError):
        return None


def offline_reason() -> str:
    """Why the hub cannot be reached, or "" when it looks reachable."""
    from huggingface_hub import constants

    if os.environ.get("HF_HUB_OFFLINE", "").upper() in TRUE_VALUES or constants.HF_HUB_OFFLINE:
        return "HF_HUB_OFFLINE is set"
    if any(os.environ.get(name) for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")):
        return ""  # a proxy decides reachability; the download itself will tell
    host = urlparse(constants.ENDPOINT).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=5).close()
    except OSError as exc:
        return f"cannot reach {host} ({exc.strerror or exc})"
    return ""


def pull(spec: ModelSpec, progress: bool) -> Path:
    """Download spec.id at spec.revision into the HF cache; safetensors only when the repo has them."""
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, HFValidationError
    from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

    reason = offline_reason()
    if reason:
        raise HubUnreachable("Hugging Face hub", f"offline: {reason}",
                             "run 'summarizer models pull' on a networked machine and copy its HF cache here")
    (enable_progress_bars if progress else disable_progress_bars)()
    try:
        files = HfApi().list_repo_files(spec.id, revision=spec.revision)
        weights = SAFETENSORS if any(f.endswith(".safetensors") for f in files) else PICKLE
        return Path(snapshot_download(spec.id, revision=spec.revision, allow_patterns=NEEDED + weights))
    except (HfHubHTTPError, HFValidationError) as exc:
        raise ModelNotFound(spec.id, f"cannot download the {spec.task} model ({first_line(exc)})",
                            f"check models.{spec.task}.id and revision in config.toml") from exc
    except _transport_errors() as exc:
        raise HubUnreachable(spec.id, f"download failed ({first_line(exc)})", "check the network and retry") from exc


def _transport_errors() -> tuple[type[BaseException], ...]:
    """Network failures surface as the HTTP client's own errors, and which client
    huggingface_hub uses depends on its version."""
    found: list[type[BaseException]] = [OSError]
    for module_name, error_name in (("httpx2", "HTTPError"), ("httpx", "HTTPError"), ("requests", "RequestException")):
        try:
            found.append(getattr(importlib.import_module(module_name), error_name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
