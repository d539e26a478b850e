"""Load a located model and its tokenizer onto a device, once per run.

Loading always reads the resolved folder with local_files_only, so it never touches the
network; remote code is never trusted; safetensors are preferred, and a checkpoint shipped
only as pytorch_model.bin goes through transformers' weights_only (no pickle code) loading.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from ..config import ModelSpec
from ..errors import ConfigError, ModelNotFound
from .hub import first_line
from .resolve import Located, input_window, locate, position_limit, read_json, weight_format

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
# T5-family activations overflow float16 (outputs turn to NaN), so they get float32 instead.
NO_FLOAT16 = ("t5", "mt5", "umt5")


@dataclass(frozen=True)
class Loaded:
    """A model ready to generate, with what was chosen for it."""

    model: Any
    tokenizer: Any
    located: Located
    weights: str
    device: str
    dtype: str
    window: int  # input tokens per generate() input, special tokens included
    output_limit: int | None  # decoder positions of absolute-position models


def load(spec: ModelSpec) -> Loaded:
    """spec's model on its device; the same folder, device and dtype load only once per run."""
    located = locate(spec)
    weights = weight_format(located.path)
    if weights is None:
        raise ModelNotFound(spec.id, f"no model weights (model.safetensors or pytorch_model.bin) in {located.path}",
                            f"run 'summarizer models pull {spec.task}' again or fix the folder")
    config = read_json(located.path / "config.json")
    device = pick_device(spec.device, spec.task)
    dtype = pick_dtype(spec.dtype, device, config.get("model_type", ""))
    model, tokenizer = _load_cached(located.path, weights, device, dtype, spec.id)
    return Loaded(model, tokenizer, located, weights, device, str(dtype).removeprefix("torch."),
                  input_window(located.path, spec), position_limit(config))


def pick_device(name: str, task: str) -> str:
    if name != "auto":
        available = {"cpu": True, "cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available()}
        if not available[name]:
            raise ConfigError(f"models.{task}.device", f"'{name}' is not available on this machine",
                              "set device = \"auto\"")
        return name
    if torch.cuda.is_available():
        return "cuda"
    return "mps" if torch.backends.mps.is_available() else "cpu"


def pick_dtype(name: str, device: str, model_type: str) -> torch.dtype:
    if name != "auto":
        return DTYPES[name]
    if device != "cuda":
        return torch.float32  # CPU half precision is slow and MPS half is unreliable for generation
    if torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float32 if model_type in NO_FLOAT16 else torch.float16


@functools.lru_cache(maxsize=None)
def _load_cached(folder: Path, weights: str, device: str, dtype: torch.dtype, model_id: str) -> tuple[Any, Any]:
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging

    # their bars and notices would land in our stderr between our own progress lines
    logging.disable_progress_bar()
    logging.set_verbosity_error()
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True, trust_remote_code=False)
        model = AutoModelForSeq2SeqLM.from_pretrained(
            folder, local_files_only=True, trust_remote_code=False, dtype=dtype,
            use_safetensors=weights == "safetensors", weights_only=True)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ModelNotFound(model_id, f"cannot load the model in {folder} ({first_line(exc)})",
                            "download it again with 'summarizer models pull', or check the folder") from exc
    return model.to(device).eval(), tokenizer
