"""The extractive abstract: sentence splitting, budget and order, and key-fact recall on the gold corpus."""
from __future__ import annotations

import json

from conftest import CORPUS_GOLD, CORPUS_RAW, SAMPLES

from summarizer import load_settings
from summarizer.clean import clean_file
from summarizer.extractive import (
    MAX_CHARS, abstract, compare_with_lead, key_fact_recall, select, split_sentences,
)


def test_sentences_end_at_chinese_stops_and_keep_closing_quotes():
    text = "他说：“我们明天出发。”大家都同意！真的吗？是的\n新的一段"
    assert split_sentences(text) == ["他说：“我们明天出发。”", "大家都同意！", "真的吗？", "是的", "新的一段"]


def test_abstract_keeps_whole_sentences_in_order_within_budget():
    article = clean_file(sorted(SAMPLES.iterdir())[4], load_settings())
    text = "\n".join(article.simplified_paragraphs)
    sentences = split_sentences(text)
    picked = select(text, 150)
    assert abstract(text, 150) == "".join(picked)
    assert len("".join(picked)) <= 150 and len(picked) > 1
    positions = [sentences.index(s) for s in picked]
    assert positions == sorted(positions)


def test_abstract_of_one_long_sentence_is_that_sentence():
    sentence = "这是一个非常长的句子" * 30 + "。"
    assert abstract(sentence, 50) == sentence


def test_key_fact_recall_counts_bigrams():
    assert key_fact_recall("法国大罢工", ["法国大罢工"]) == 1.0
    assert key_fact_recall("", ["法国大罢工"]) == 0.0
    assert key_fact_recall("法国", ["法国大罢工"]) == 0.25


def gold_cases(cleaned: bool) -> list[tuple[str, list[str]]]:
    """(body text, key facts) per gold article: the cleaner's body, or the gold body itself."""
    settings = load_settings()
    cases = []
    for gold_path in sorted(CORPUS_GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if cleaned:
            (raw,) = CORPUS_RAW.glob(gold_path.stem + ".*")
            body = clean_file(raw, settings).paragraphs
        else:
            body = gold["body_paragraphs"]
        cases.append(("\n".join(body), gold["key_facts"]))
    return cases


def test_extractive_covers_more_key_facts_than_lead_at_the_same_budget():
    """`pytest tests/test_extractive.py -k lead -s` prints the figures."""
    for cleaned in (False, True):
        result = compare_with_lead(gold_cases(cleaned), MAX_CHARS)
        print(f"\n{'cleaned' if cleaned else 'gold'} bodies: {result}")
        assert result.articles == len(list(CORPUS_GOLD.glob("*.json")))
        assert result.extractive > result.lead
        assert result.extractive_chars <= MAX_CHARS * 1.1
