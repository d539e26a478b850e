"""The one definition of sentence ends: splitting, spans that cover the text, a full sentence's end,
and the variants the other modules build from it."""
from __future__ import annotations

from summarizer import sentences
from summarizer.models.chunk import sentence_spans


def test_split_keeps_closers_with_their_sentence_and_ends_at_line_breaks():
    text = "【编者按：这是按语。】他问：“真的吗？！”是的…结束了!没有句号\n下一行"
    assert sentences.split(text) == [
        "【编者按：这是按语。】", "他问：“真的吗？！”", "是的…", "结束了!", "没有句号", "下一行"]


def test_spans_cover_the_text_and_skip_marks_between_digits():
    text = "共1,000人，10:30到场。好！"
    found = sentences.spans(text, sentences.CLAUSE_END)
    assert "".join(text[s:e] for s, e in found) == text
    assert [text[s:e] for s, e in found] == ["共1,000人，", "10:30到场。好！"]
    assert [text[s:e] for s, e in sentences.spans(text)] == ["共1,000人，10:30到场。", "好！"]
    assert sentences.spans(text, start=3, end=9) == [(3, 9)]


def test_a_full_sentence_ends_in_a_stop_with_any_closers_after_it():
    assert sentences.ends_sentence("他说：“好。”  ") and sentences.ends_sentence("真的吗?")
    assert not sentences.ends_sentence("《人民日报》") and not sentences.ends_sentence("（记者 张三）")
    assert not sentences.ends_sentence("标题没有句号")


def test_english_sentences_break_before_a_capital_or_a_number():
    text = "Prices rose 3.5% in May. Officials said so! 2024 was worse? yes."
    assert sentences.EN_SENTENCE_BREAK.split(text) == [
        "Prices rose 3.5% in May.", "Officials said so!", "2024 was worse? yes."]


def test_model_inputs_are_cut_at_full_width_marks_only():
    text = "雅虎Yahoo!发布公告；股价上涨。”他说"
    cut = [text[s:e] for s, e in sentence_spans(text)]
    assert cut == ["雅虎Yahoo!发布公告；", "股价上涨。”", "他说"]
