"""int8 results are a function of their input: the same tokens alone and inside any batch."""
from __future__ import annotations

import dataclasses

import pytest
import torch

from summarizer.config import load_settings
from summarizer.models import own_step
from summarizer.models.generate import Generator
from summarizer.models.int8 import RowInt8Linear, quantize_weight
from summarizer.models.load import load
from tiny_models import SAMPLES, tiny_spec

NEW_TOKENS = 12


def paragraphs() -> list[str]:
    return [line.strip() for path in sorted(SAMPLES.glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("beams", [1, 4])
@pytest.mark.parametrize("task", ["translate", "abstract"])
def test_an_input_decodes_alike_alone_and_in_a_mixed_batch(tiny_models, task, beams) -> None:
    """MarianMT (translate) and mT5 (abstract) in int8: each input alone, then all in one batch
    with inputs of every length beside it (the longest have the largest activations)."""
    spec = tiny_spec(load_settings().models[task], tiny_models[task], max_new_tokens=NEW_TOKENS, precision="int8")
    spec = dataclasses.replace(spec, generation=dataclasses.replace(spec.generation, num_beams=beams))
    loaded = load(spec)
    inputs = [ids for ids in loaded.tokenizer(paragraphs(), truncation=False)["input_ids"] if len(ids) <= 120][:12]
    ceilings = [NEW_TOKENS] * len(inputs)
    together = Generator(loaded, spec.generation, len(inputs)).generate_ids(inputs, ceilings)
    alone = [Generator(loaded, spec.generation, 1).generate_ids([ids], [NEW_TOKENS])[0] for ids in inputs]
    assert together == alone
    assert own_step.own_step(loaded.model) is not None  # the default int8 path, not a fallback


def test_row_scales_make_each_row_independent_of_its_neighbours() -> None:
    """The layer itself: a row's output is bit for bit the same beside a row 1000 times larger,
    and close to the float product."""
    torch.manual_seed(0)
    linear = torch.nn.Linear(64, 48)
    layer = RowInt8Linear.from_float(linear)
    row = torch.randn(1, 64)
    batch = torch.cat([row, 1000 * torch.randn(3, 64), torch.zeros(1, 64)])
    with torch.inference_mode():
        assert torch.equal(layer(batch)[:1], layer(row))
        assert torch.allclose(layer(row), linear(row), atol=0.05)
        assert torch.equal(layer(batch)[4], linear.bias.detach())  # an all-zero row: the bias alone
        assert layer(batch.view(5, 1, 64)).shape == (5, 1, 48)
    weight = quantize_weight(linear.weight.detach())
    assert weight.q_zero_point() == 0 and abs(weight.int_repr()).max() >= 127
    plus = torch.randn(48)
    with torch.inference_mode():
        assert torch.allclose(layer(row, plus=plus), layer(row) + plus, atol=1e-6)


def test_a_layer_works_in_and_out_of_inference_mode_and_past_its_scratch_rows() -> None:
    """Decoding steps share one scratch buffer per width; it is made once, in whichever mode the
    first call runs, and must serve calls in the other mode and leave larger calls alone."""
    from summarizer.models.int8 import SCRATCH_ROWS

    layer = RowInt8Linear.from_float(torch.nn.Linear(24, 40))
    rows = torch.randn(SCRATCH_ROWS + 3, 24)
    with torch.inference_mode():
        inside = layer(rows[:5])
    assert torch.equal(layer(rows[:5]), inside)
    one_call = layer(rows)  # over SCRATCH_ROWS: a buffer of its own
    assert torch.equal(one_call[:5], inside)
    assert torch.equal(one_call, torch.cat([layer(rows[i:i + 1]) for i in range(len(rows))]))
