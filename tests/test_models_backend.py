"""The options around the decode seam: "auto" batch limits per device, a batch halved when the
device runs out of memory, threads per model, `backend` (old name `engine`)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import torch

from summarizer.config import AUTO, load_settings
from summarizer.errors import ConfigError
from summarizer.models import open_task, torch_backend
from summarizer.models.generate import Generator
from summarizer.models.limits import CPU, CPU_GREEDY, MAX_ROWS, Limits, Shape, batch_limits, device_limits
from summarizer.models.load import load
from summarizer.types import Task
from tiny_models import SAMPLES, tiny_spec


def paragraphs(count: int) -> list[str]:
    return [line.strip() for path in sorted(SAMPLES.glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:count]


def test_auto_limits_are_the_cpu_measurements_on_a_cpu() -> None:
    settings = load_settings()
    for task, spec in settings.models.items():
        assert (spec.batch_size, spec.batch_tokens) == (AUTO, AUTO)
        assert batch_limits(spec, "cpu", None) == Limits(*CPU[task])
    chosen = dataclasses.replace(settings.models["translate"], batch_size=7)
    assert batch_limits(chosen, "cpu", None) == Limits(7, CPU[Task.TRANSLATE][1])
    greedy = dataclasses.replace(chosen.generation, num_beams=1)
    assert batch_limits(dataclasses.replace(chosen, generation=greedy), "cpu", None) == \
        Limits(7, CPU_GREEDY[Task.TRANSLATE][1])


def test_auto_limits_on_a_gpu_fill_its_free_memory() -> None:
    """Rows as many as the memory holds with every input at the full window, up to MAX_ROWS."""
    shape = Shape(layers=6, width=512, vocab=65001, window=512, new_tokens=512, beams=4, element=2, copies=4)
    small, large = device_limits(shape, 8 << 30), device_limits(shape, 16 << 30)
    assert 1 < small.rows < large.rows < MAX_ROWS
    row_bytes = 6 * 2 * 512 * 2 * (4 * 2 * 512 + 4 * 512) + 4 * 65001 * 12
    assert small.rows * row_bytes <= 0.8 * (8 << 30) < (small.rows + 1) * row_bytes
    assert small.tokens >= small.rows * shape.window
    assert device_limits(shape, 1 << 50).rows == MAX_ROWS and device_limits(shape, 1 << 20).rows == 1
    spec = dataclasses.replace(load_settings().models["translate"], batch_tokens=1000)
    assert batch_limits(spec, "cuda", shape, 8 << 30) == Limits(small.rows, 1000)


def test_a_batch_the_device_has_no_memory_for_is_run_in_halves(tiny_models) -> None:
    spec = tiny_spec(load_settings().models["translate"], tiny_models["translate"], precision="int8")
    loaded = load(spec)
    inputs = loaded.tokenizer(paragraphs(8), truncation=False)["input_ids"]
    expected = Generator(loaded, spec.generation, 8).generate_ids(inputs, [8] * len(inputs))
    generator = Generator(loaded, spec.generation, 8)
    sizes: list[int] = []
    run = generator._decoder.run

    def short_of_memory(batch, min_new, max_new):
        sizes.append(len(batch))
        if len(batch) > 2:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return run(batch, min_new, max_new)

    generator._decoder.run = short_of_memory
    assert generator.generate_ids(inputs, [8] * len(inputs)) == expected
    assert sizes == [8, 4, 2, 2, 4, 2, 2]
    generator._decoder.run = lambda batch, *_: (_ for _ in ()).throw(torch.OutOfMemoryError("out of memory"))
    with pytest.raises(torch.OutOfMemoryError):
        generator.generate_ids(inputs[:1], [8])


def test_each_model_runs_with_its_own_threads(tiny_models, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    one = open_task(tiny_spec(settings.models["translate"], tiny_models["translate"], threads=1), settings)
    two = open_task(tiny_spec(settings.models["abstract"], tiny_models["abstract"], threads=2), settings)
    seen: list[int] = []
    decode = torch_backend.decode
    monkeypatch.setattr(torch_backend, "decode", lambda *a: seen.append(torch.get_num_threads()) or decode(*a))
    before = torch.get_num_threads()
    two.run(["南宁市第一人民医院。"])
    one.run(["南宁市第一人民医院。"])
    two.run(["医联体建设五年来。"])
    assert seen == [2, 1, 2] and torch.get_num_threads() == before


def test_backend_is_the_new_name_of_engine(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[models.translate]\nengine = "ctranslate2"\n', encoding="utf-8")
    assert load_settings(path).models["translate"].backend == "ctranslate2"
    path.write_text('[models.translate]\nbackend = "torch"\nbatch_size = 8\nbatch_tokens = "auto"\n', encoding="utf-8")
    spec = load_settings(path).models["translate"]
    assert (spec.backend, spec.batch_size, spec.batch_tokens) == ("torch", 8, AUTO)
    path.write_text('[models.translate]\nbackend = "torch"\nengine = "torch"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'models.translate.engine' is the old name of 'models.translate.backend'"):
        load_settings(path)
