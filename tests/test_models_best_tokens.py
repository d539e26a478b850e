"""best_tokens gives torch.topk's and argmax's answers on vocabulary-wide scores, by blocks."""
from __future__ import annotations

import pytest
import torch

from summarizer.models import best_tokens
from summarizer.models.best_tokens import BLOCK


def scores(rows: int, vocab: int, seed: int) -> torch.Tensor:
    """Log-prob-like rows with what decoding makes: ties, banned tokens, a NaN, the best in the tail."""
    generator = torch.Generator().manual_seed(seed)
    values = torch.randn(rows, vocab, generator=generator)
    values[0, :] = values[0, 5]  # a row of one value: every column ties
    values[1, ::3] = -float("inf")
    values[2, vocab - 1] = 50.0  # the best past the last whole block
    values[3, [7, BLOCK + 7, 3 * BLOCK + 1]] = 40.0  # equal bests in three blocks
    values[4, BLOCK * 2 + 9] = float("nan")
    values[5, :vocab - 2] = -float("inf")  # fewer finite scores than asked for
    return values


@pytest.mark.parametrize("vocab", [65001, 250112, 16 * BLOCK + 3])
def test_argmax_is_torch_argmax(vocab: int) -> None:
    for seed in range(3):
        values = scores(8, vocab, seed)
        assert torch.equal(best_tokens.argmax(values), values.argmax(-1))
    assert best_tokens._candidates(values, 1) is not None  # the blocks were searched, not the whole row


@pytest.mark.parametrize("count", [1, 8])
@pytest.mark.parametrize("vocab", [65001, 250112, 16 * BLOCK])
def test_top_is_torch_topk(vocab: int, count: int) -> None:
    for seed in range(3):
        values = scores(8, vocab, seed)
        (ours, columns), (theirs, their_columns) = best_tokens.top(values, count), torch.topk(values, count)
        assert same(ours, theirs)
        # where scores tie, either column is right: each must hold its value, none twice
        assert same(values.gather(1, columns), ours)
        assert all(len(set(row)) == count for row in columns.tolist())
        untied = [row for row in range(8) if len(set(theirs[row].tolist())) == count and not theirs[row].isnan().any()]
        assert torch.equal(columns[untied], their_columns[untied]) and len(untied) >= 4
    assert best_tokens._candidates(values, count) is not None


def test_small_vocabularies_use_torch_directly() -> None:
    values = scores(8, 2 * BLOCK * 8 - 1, 0)
    assert best_tokens._candidates(values, 8) is None
    assert same(best_tokens.top(values, 8)[0], torch.topk(values, 8).values)


def same(ours: torch.Tensor, theirs: torch.Tensor) -> bool:
    """Equal, NaN for NaN."""
    return torch.allclose(ours, theirs, rtol=0, atol=0, equal_nan=True)


def test_other_devices_use_torch_directly() -> None:
    """Measured on a CPU only: elsewhere (here torch's shape-only device) torch's own selection."""
    values = torch.empty(4, 65001, device="meta")
    assert best_tokens._candidates(values, 8) is None and best_tokens._candidates(values, 1) is None
    assert best_tokens.top(values, 8)[0].shape == (4, 8) and best_tokens.argmax(values).shape == (4,)
