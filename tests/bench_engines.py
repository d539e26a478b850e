"""Throughput of the translate phase of `summarizer run`, local engine against the ray engine.

Not a test (pytest collects test_*.py only); speed lives in benches. Run from the repo root:

    python tests/bench_engines.py ../shared/corpus/raw --actors 2

The translator is a random-weight MarianMT of opus-mt-zh-en's real size (vocab 65,001, d_model 512,
6+6 layers, 8 heads, FFN 2,048) with the tiny test tokenizer; the abstract uses the tiny mT5, so
only translation is timed. Decoding is greedy. Random weights rarely stop early, so every output
runs to its length ceiling: absolute rates are lower than a real model's, the ratio is what counts.
"""
from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from tiny_models import build_all, tiny_spec

from summarizer import load_settings
from summarizer.config import EngineSettings, Settings
from summarizer.engines import open_engine
from summarizer.pipeline import Progress, run
from summarizer.store.db import Store


def build_opus_size(tiny: Path, out: Path) -> Path:
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(tiny, model_max_length=512)
    config = MarianConfig(
        vocab_size=65001, d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
        decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512,
        pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id, forced_eos_token_id=tokenizer.eos_token_id)
    model = MarianMTModel(config)
    # the tiny tokenizer knows fewer ids than the real vocab; the full-size projection is still
    # computed, but only ids it can decode may win
    model.final_logits_bias[0, len(tokenizer):] = -1e9
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def bench_settings(root: Path, max_new_tokens: int) -> Settings:
    (root / "tiny").mkdir()
    tiny = build_all(root / "tiny")
    base = load_settings()
    models = dict(base.models, abstract=tiny_spec(base.models["abstract"], tiny["abstract"]),
                  translate=tiny_spec(base.models["translate"], build_opus_size(tiny["translate"], root / "opus"),
                                      max_new_tokens=max_new_tokens))
    return dataclasses.replace(base, models=models)


@dataclasses.dataclass
class PhaseClock:
    """When the translate phase began (the abstract's last step) and ended, and its units."""

    start: float = 0.0
    end: float = 0.0
    units: int = 0

    def __call__(self, step: Progress) -> None:
        if step.task == "abstract" and step.done == step.total:
            self.start = time.monotonic()
        if step.task == "translate":
            self.end = time.monotonic()
            self.units += step.units


def measure(corpus: Path, settings: Settings, options: EngineSettings, store_path: Path) -> PhaseClock:
    clock = PhaseClock()
    with open_engine(options) as engine, Store.open(store_path) as store:
        run([corpus], settings, store, engine=engine, progress=clock)
    return clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--actors", type=int, default=2)
    parser.add_argument("--max-new-tokens", type=int, default=512, help="output ceiling per translated piece")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        settings = bench_settings(root, args.max_new_tokens)
        engines = {"local": settings.engine,
                   f"ray, {args.actors} CPU actors": dataclasses.replace(
                       settings.engine, name="ray", actors=args.actors, num_cpus=1.0)}
        print("| engine | units | translate phase (s) | units/s |\n| --- | --- | --- | --- |")
        for name, options in engines.items():
            clock = measure(args.corpus, settings, options, root / f"{options.name}.db")
            seconds = clock.end - clock.start
            print(f"| {name} | {clock.units} | {seconds:.1f} | {clock.units / seconds:.2f} |", flush=True)


if __name__ == "__main__":
    main()
