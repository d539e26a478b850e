"""CTranslate2 as a backend (models.TASK.backend = "ctranslate2"): the model folder is converted
once, on first use, into $SUMMARIZER_HOME/ctranslate2/ (a faster-whisper-style converted copy
beside the Hugging Face one), then loaded from there; the tokenizer stays the Hugging Face one.

CTranslate2 is optional (`pip install ctranslate2`); a missing package is a ConfigError naming
the option, never a silent switch back to torch.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from ..config import GenerationSettings, ModelSpec, home_dir
from ..errors import ConfigError, ModelNotFound
from .hub import first_line
from .load import Loaded
from .resolve import Located, read_json

T5_FAMILY = ("t5", "mt5", "umt5")


def open_translator(spec: ModelSpec, located: Located, device: str, precision: str) -> Any:
    ctranslate2 = _package(spec)
    if precision not in ctranslate2.get_supported_compute_types(device):
        raise ConfigError(f"models.{spec.task}.precision", f"CTranslate2 cannot compute in {precision} on this {device}",
                          f"use one of: {', '.join(sorted(ctranslate2.get_supported_compute_types(device)))}")
    folder = converted(located, spec.id, precision)
    return ctranslate2.Translator(str(folder), device=device, compute_type=precision, intra_threads=spec.threads)


def converted(located: Located, model_id: str, quantization: str) -> Path:
    """The converted copy of `located` (made now if missing), one per source folder and precision."""
    weights = sorted(p for p in located.path.iterdir() if p.suffix in (".safetensors", ".bin"))
    # A changed local folder (new weights) gets a new copy: its files' sizes and times are in the key.
    stamp = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in weights]
    key = hashlib.sha256(repr((str(located.path), located.revision, stamp)).encode()).hexdigest()[:12]
    target = home_dir() / "ctranslate2" / f"{located.path.name}-{key}-{quantization}"
    if (target / "model.bin").is_file():
        return target
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        _converter_class()(str(located.path)).convert(str(partial), quantization=quantization, force=True)
    except (ValueError, KeyError, NotImplementedError, OSError, RuntimeError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise ModelNotFound(model_id, f"CTranslate2 cannot convert {located.path} ({first_line(exc)})",
                            "set backend = \"torch\" for this model") from exc
    partial.rename(target)  # only a finished conversion is ever found under the final name
    return target


class CT2Decoder:
    """Token ids in and out of a ctranslate2.Translator, with the run's decoding settings."""

    name = "ctranslate2"

    def __init__(self, loaded: Loaded, settings: GenerationSettings) -> None:
        self.translator, self.tokenizer = loaded.model, loaded.tokenizer
        self.numerics: dict[str, str] = {}  # results carry the backend's name instead (tasks.py)
        forced = loaded.forced_bos_token_id
        self.prefix = [self.tokenizer.convert_ids_to_tokens(forced)] if forced is not None else None
        # Marian's generate() forces eos as the last token at the length limit; CTranslate2 has no
        # such rule, so it stops one token short and the eos is added, giving generate()'s tokens.
        config = {**read_json(loaded.located.path / "config.json"),
                  **read_json(loaded.located.path / "generation_config.json")}
        self.forced_eos = config.get("forced_eos_token_id")
        self.options = {"beam_size": settings.num_beams, "length_penalty": settings.length_penalty,
                        "repetition_penalty": settings.repetition_penalty,
                        "no_repeat_ngram_size": settings.no_repeat_ngram_size, "return_end_token": True}

    def run(self, inputs: list[list[int]], min_new: int, max_new: int) -> list[list[int]]:
        source = [self.tokenizer.convert_ids_to_tokens(ids) for ids in inputs]
        prefix = [self.prefix] * len(inputs) if self.prefix else None
        limit = max_new - 1 if self.forced_eos is not None else max_new
        results = self.translator.translate_batch(source, prefix, max_decoding_length=limit,
                                                  min_decoding_length=min(min_new, limit), **self.options)
        outputs = [self.tokenizer.convert_tokens_to_ids(result.hypotheses[0]) for result in results]
        if self.forced_eos is not None:
            outputs = [ids if ids and ids[-1] == self.forced_eos else ids + [self.forced_eos] for ids in outputs]
        return outputs


def _package(spec: ModelSpec) -> Any:
    try:
        import ctranslate2
    except ImportError as exc:
        raise ConfigError(f"models.{spec.task}.backend", "ctranslate2 is not installed",
                          "pip install ctranslate2, or set backend = \"torch\"") from exc
    return ctranslate2


def _converter_class() -> type:
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def load_model(self, model_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
            model = super().load_model(model_class, model_name_or_path, **kwargs)
            if model.config.model_type in T5_FAMILY:
                # transformers 5 reports tie_word_embeddings = True for every T5 config and keeps
                # the real answer (scale the decoder output before the head, or not) in
                # scale_decoder_outputs; CTranslate2 reads the former, so it must see the latter.
                model.config.tie_word_embeddings = bool(getattr(model.config, "scale_decoder_outputs", False))
            return model

    return Converter

