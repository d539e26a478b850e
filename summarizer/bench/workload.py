"""The inputs every decoding variant gets: real paragraphs of samples/, as token ids of the
bench tokenizer, picked to spread evenly over their lengths."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from ..config import ModelSpec, Settings, home_dir
from ..types import Task
from .random_models import bench_models

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def sample_paragraphs() -> list[str]:
    return [line.strip() for path in sorted(SAMPLES.glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def bench_spec(task: Task, settings: Settings) -> ModelSpec:
    """The configured spec of `task`, pointed at the random model of its real size."""
    folder = bench_models(home_dir() / "bench", "\n".join(sample_paragraphs()))[task]
    return dataclasses.replace(settings.models[task], id=str(folder), kind="task", src_lang="", tgt_lang="")


def encode(spec: ModelSpec, texts: list[str]) -> list[list[int]]:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(spec.id, local_files_only=True)
    return tokenizer(texts, truncation=False)["input_ids"]


def spread(items: list[list[int]], count: int) -> list[list[int]]:
    """`count` of `items` at evenly spaced ranks of length, shortest to longest."""
    ranked = sorted(items, key=len)
    if count >= len(ranked):
        return ranked
    return [ranked[round(i * (len(ranked) - 1) / (count - 1))] for i in range(count)] if count > 1 else ranked[-1:]
