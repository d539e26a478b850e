"""chunk.py: pieces partition the text, fit the budget, and cut where a reader would."""
from __future__ import annotations

import pytest

from summarizer.models.chunk import chunk_text, sentence_spans
from tiny_models import sample_text


def test_a_text_that_fits_is_one_piece() -> None:
    chunks, level = chunk_text("短文。", 10, len)
    assert level == "none"
    assert [(c.start, c.end, c.text, c.tokens) for c in chunks] == [(0, 3, "短文。", 3)]


def test_sentences_keep_numbers_and_closing_quotes() -> None:
    text = "他说：“利润增长了17.46%。”随后「市场」回应！总额1.2亿元，其中1,000万……『好』；完"
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences == ["他说：“利润增长了17.46%。”", "随后「市场」回应！", "总额1.2亿元，其中1,000万……",
                         "『好』；", "完"]


def test_long_sentence_splits_on_commas_then_windows_never_inside_a_number() -> None:
    text = "总额1.2亿元，其中1,000万元用于研发，增长17.46%" + "很长" * 20
    chunks, level = chunk_text(text, 12, len)
    assert level == "windows"
    assert "".join(c.text for c in chunks) == text
    assert "总额1.2亿元，" in [c.text for c in chunks]
    cuts = {c.end for c in chunks}
    for number in ("1.2", "1,000", "17.46%"):
        start = text.index(number)
        assert not cuts & set(range(start + 1, start + len(number))), number
    assert all(c.tokens <= 12 and c.tokens == len(c.text) for c in chunks)


@pytest.mark.parametrize("budget", [8, 40, 200])
def test_pieces_partition_the_samples_with_offsets(budget: int) -> None:
    text = sample_text()
    chunks, _ = chunk_text(text, budget, len)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for before, after in zip(chunks, chunks[1:]):
        assert before.end == after.start
    assert all(text[c.start:c.end] == c.text and 0 < c.tokens <= budget for c in chunks)


def test_a_window_too_small_for_one_character_is_an_error() -> None:
    with pytest.raises(ValueError, match="cannot hold one character"):
        chunk_text("一二三", 1, lambda s: len(s) + 1)
