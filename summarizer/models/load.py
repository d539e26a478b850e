"""Load a located model and its tokenizer onto a device, once per run.

Loading always reads the resolved folder with local_files_only, so it never touches the
network; remote code is never trusted; safetensors are preferred, and a checkpoint shipped
only as pytorch_model.bin goes through transformers' weights_only (no pickle code) loading.
"""
from __future__ import annotations

import functools
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from ..config import ModelSpec
from ..errors import ConfigError, ModelNotFound
from ..types import Task
from .hub import first_line
from .int8 import quantize_int8
from .precision import load_dtype, pick_backend, pick_precision
from .resolve import Located, input_window, locate, position_limit, read_json, weight_format


@dataclass(frozen=True)
class Loaded:
    """A model ready to generate, with what was chosen for it."""

    model: Any  # a transformers model, or a ctranslate2.Translator when backend = "ctranslate2"
    tokenizer: Any
    located: Located
    weights: str
    device: str
    dtype: str  # the precision computed in: float32, bfloat16, float16 or int8
    backend: str  # "torch" or "ctranslate2"
    threads: int  # CPU threads while this model runs; 0 = torch's default
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
    model_type = config.get("model_type", "")
    precision = pick_precision(spec.precision, device, model_type)
    backend = pick_backend(spec.backend)
    if precision == "int8" and device != "cpu" and backend == "torch":
        raise ConfigError(f"models.{spec.task}.precision", f"torch's dynamic int8 runs on the CPU only, not {device}",
                          "set precision = \"auto\" or a float type")
    tokenizer = _tokenizer_cached(located.path, located.revision, spec.id, spec.src_lang)
    model = _model(spec, backend, located, weights, device, precision)
    if spec.src_lang:
        language_id(tokenizer, spec, "src_lang")
    target = language_id(tokenizer, spec, "tgt_lang") if spec.tgt_lang else None
    return Loaded(model, tokenizer, located, weights, device, precision, backend, spec.threads,
                  input_window(located.path, spec), position_limit(config), target)


def _model(spec: ModelSpec, backend: str, located: Located, weights: str, device: str, precision: str) -> Any:
    if backend == "ctranslate2":
        from .ct2 import open_translator

        return open_translator(spec, located, device, precision)
    return _model_cached(located.path, located.revision, weights, device, precision, spec.id)


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


def pick_device(name: str, task: Task) -> str:
    if name != "auto":
        available = {"cpu": True, "cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available()}
        if not available[name]:
            raise ConfigError(f"models.{task}.device", f"'{name}' is not available on this machine",
                              "set device = \"auto\"")
        return name
    if torch.cuda.is_available():
        return "cuda"
    return "mps" if torch.backends.mps.is_available() else "cpu"


def pick_dtype(precision: str, device: str, model_type: str) -> torch.dtype:
    """The dtype the weights load in for a configured precision."""
    return load_dtype(pick_precision(precision, device, model_type))


@functools.lru_cache(maxsize=None)
def _tokenizer_cached(folder: Path, revision: str, model_id: str, src_lang: str) -> Any:
    """Keyed by revision (new files at the same path load anew) and by src_lang: the tokenizer
    carries the source language, so tasks must not share it."""
    from transformers import AutoTokenizer

    _quiet_transformers()
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True, trust_remote_code=False)
    except Exception as exc:  # a missing or damaged file raises whatever the tokenizer class meets first
        raise _unloadable(model_id, folder, exc, "tokenizer") from exc
    if src_lang and hasattr(tokenizer, "src_lang"):
        tokenizer.src_lang = src_lang  # NLLB's tokenizer prefixes this code; it defaults to eng_Latn
    return tokenizer


@functools.lru_cache(maxsize=None)
def _model_cached(folder: Path, revision: str, weights: str, device: str, precision: str, model_id: str) -> Any:
    """Keyed by revision: new weights at the same path load anew."""
    from transformers import AutoModelForSeq2SeqLM

    _quiet_transformers()
    try:
        model = AutoModelForSeq2SeqLM.from_pretrained(
            folder, local_files_only=True, trust_remote_code=False, dtype=load_dtype(precision),
            use_safetensors=weights == "safetensors", weights_only=True)
    except pickle.UnpicklingError as exc:
        raise ModelNotFound(model_id, f"refused the pickled weights in {folder}: they hold objects other than "
                            "tensors, and code in weights is never run", "use a safetensors checkpoint of the model") from exc
    except Exception as exc:  # a damaged checkpoint raises whatever the loader meets first
        raise _unloadable(model_id, folder, exc, "model") from exc
    model = model.to(device).eval()
    return quantize_int8(model) if precision == "int8" else model


def _quiet_transformers() -> None:
    from transformers.utils import logging

    # their bars and notices would land in our stderr between our own progress lines
    logging.disable_progress_bar()
    logging.set_verbosity_error()


def _unloadable(model_id: str, folder: Path, exc: Exception, part: str) -> ModelNotFound:
    return ModelNotFound(model_id, f"cannot load the {part} in {folder} ({type(exc).__name__}: {first_line(exc)})",
                         "download it again with 'summarizer models pull', or check the folder")
