"""Numbers: hand-written source/translation pairs that must be flagged, and pairs that must not."""
from __future__ import annotations

import pytest

from summarizer.qa.numbers import en_quantities, missing_numbers, zh_quantities


@pytest.mark.parametrize("zh, en", [
    ("收入11.3万元。", "Income was 113,000 yuan."),
    ("收入11.3万元。", "Income was 113 thousand yuan."),
    ("投资1.2亿元。", "An investment of 120 million yuan."),
    ("增长17.46%。", "Up 17.46 percent."),
    ("2024年12月5日开幕。", "It opened on December 5, 2024."),
    ("2024年12月", "in Dec. 2024"),
    ("预计17~18万人。", "Between 170,000 and 180,000 people are expected."),
    ("预计17~18万人。", "170 to 180 thousand people"),
    ("全镇有三千人，十二家医院。", "The town has 3,000 people and twelve hospitals."),
    ("三塘镇位于四川，十分重要，千万不要忘记。", "Santang Town in Sichuan is very important; never forget it."),
    ("数十万人参加，周三举行。", "Hundreds of thousands attended on Wednesday."),
    ("两岸关系", "Cross-strait relations"),
    ("１７．４６％的人", "17.46% of people"),
    ("营收12.36亿元", "revenue of 1.24 billion yuan"),
    ("八成患者", "80 percent of patients"),
    ("百分之三十", "thirty percent"),
    ("二〇二四年，一万二千人", "In 2024, 12,000 people"),
    ("两个医院", "two hospitals"),
    ("第十二届", "the 12th session"),
    ("3万亿元", "3 trillion yuan"),
])
def test_the_same_numbers_in_other_words_are_not_flagged(zh, en):
    assert missing_numbers(zh, en) == []


@pytest.mark.parametrize("zh, en, shown", [
    ("增长17.46%。", "Up 17.64%.", "17.46%"),
    ("收入11.3万元。", "Income was 11,300 yuan.", "11.3万 (113,000)"),
    ("投资1.2亿元。", "An investment of 1.2 billion yuan.", "1.2亿 (120,000,000)"),
    ("2024年12月", "in November 2024", "12"),
    ("全镇有三千人。", "The town has 300 people.", "三千 (3,000)"),
    ("预计17~18万人。", "About 180,000 people are expected.", "17 (170,000)"),
    ("十二家医院", "ten hospitals", "十二 (12)"),
    ("营收12.36亿元", "revenue of 1.3 billion yuan", "12.36亿 (1,236,000,000)"),
])
def test_a_changed_or_missing_number_is_flagged_with_both_sides(zh, en, shown):
    flags = missing_numbers(zh, en)
    assert len(flags) == 1 and flags[0].check == "numbers"
    assert flags[0].detail.startswith(shown + " is not in the English")


def test_the_flag_names_what_the_english_has_instead():
    [flag] = missing_numbers("增长17.46%。", "Up 17.64%.")
    assert flag.detail == "17.46% is not in the English; the English has 17.64"


def test_words_with_numeral_characters_are_not_numbers():
    assert zh_quantities("三塘镇、四川、九寨沟、十分、千万、万一、统一、一些、两会、十四五、五一") == []


def test_english_number_words_and_scales():
    values = [q.value for q in en_quantities("three thousand two hundred and five, twenty-five, a million, 1.5 billion")]
    assert values[:4] == [3205, 25, 1e6, 1.5e9]
