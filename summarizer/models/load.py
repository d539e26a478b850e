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
    forced_bos_token_id: int | None  # the target language of multilingual translators


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
    model, tokenizer = _load_cached(located.path, weights, device, dtype, spec.id, spec.src_lang)
    if spec.src_lang:
        language_id(tokenizer, spec, "src_lang")
    target = language_id(tokenizer, spec, "tgt_lang") if spec.tgt_lang else None
    return Loaded(model, tokenizer, located, weights, device, str(dtype).removeprefix("torch."),
                  input_window(located.path, spec), position_limit(config), target)


def language_id(tokenizer: Any, spec: ModelSpec, option: str) -> int:
    """The token of a language code of a multilingual translator (NLLB: zho_Hans, eng_Latn)."""
    code = getattr(spec, option)
    if not hasattr(tokenizer, "src_lang"):
        raise ConfigError(f"models.{spec.task}.{option}", f"{spec.id} takes no language codes",
                          "leave src_lang and tgt_lang empty for this model")
    token_id = tokenizer.convert_tokens_to_ids(code)
    if token_id is None or token_id == tokenizer.unk_token_id:
        raise ConfigError(f"models.{spec.task}.{option}", f"{code!r} is not a language code of {spec.id}",
                          "use a code of the model card, e.g. zho_Hans or eng_Latn")
    return token_id


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
def _load_cached(folder: Path, weights: str, device: str, dtype: torch.dtype, model_id: str,
                 src_lang: str) -> tuple[Any, Any]:
    """Keyed by src_lang too: the tokenizer carries the source language, so tasks must not share it."""
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
    if src_lang and hasattr(tokenizer, "src_lang"):
        tokenizer.src_lang = src_lang  # NLLB's tokenizer prefixes this code; it defaults to eng_Latn
    return model.to(device).eval(), tokenizer
