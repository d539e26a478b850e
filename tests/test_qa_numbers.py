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
    assert zh_quantities("三塘镇、四川、九寨沟、十分、千万、万一、统一、一些、两会、十四五、五一") == ()


def test_english_number_words_and_scales():
    values = [q.value for q in en_quantities("three thousand two hundred and five, twenty-five, a million, 1.5 billion")]
    assert values[:4] == [3205, 25, 1e6, 1.5e9]


@pytest.mark.parametrize("zh, en", [
    ("取消四分之一的航班", "cancel a quarter of the flights"),
    ("只能保证五分之一运力", "only one-fifth of capacity"),
    ("只能保证五分之一运力", "only 20% of capacity"),
    ("仅有1/3投资者在减仓", "only a third of investors are selling"),
    ("三四家企业", "three or four companies"),
    ("七八十岁的老人", "people in their seventies and eighties"),
    ("两三百名投资者", "two or three hundred investors"),
    ("设立百亿元基金", "a 10-billion-yuan fund"),
    ("近千名干部", "nearly a thousand officials"),
    ("获得5000万元投资", "a 50-million-yuan investment"),
    ("他一心一意，心里七上八下，三番五次上门", "He was devoted, anxious, and called again and again"),
    ("近百年历史", "nearly a century of history"),
    ("十年来", "over the past decade"),
    ("12个社区", "a dozen communities"),
    ("臺灣約有2,300萬人口", "Taiwan has about 23 million people"),
    ("上百人参加", "hundreds of people took part"),
    ("增长5%，其中5%来自出口", "up 5%, of which 5% came from exports"),
    ("20世纪90年代", "in the 1990s"),
    ("60岁以上老人占两成", "a fifth of residents are over 60"),
    ("建党百年", "the Party's centenary"),
    ("18日17时07分", "at 5:07 p.m. on the 18th"),
    ("上午9时30分", "at 9.30am"),
    ("投资12亿元", "a 1.2bn-yuan investment"),
])
def test_number_forms_read_the_same_on_both_sides(zh, en):
    assert missing_numbers(zh, en) == []


@pytest.mark.parametrize("zh, en, shown", [
    ("取消四分之一的航班", "cancel a third of the flights", "四分之一 (0.25)"),
    ("三四家企业", "five companies", "三四 (3)"),
    ("设立百亿元基金", "a 1-billion-yuan fund", "百亿 (10,000,000,000)"),
    ("获得5000万元投资", "a 5-million-yuan investment", "5000万 (50,000,000)"),
    ("十年来", "over the past century", "十 (10)"),
    ("增长5%，其中5%来自出口", "up 5%, of which 3% came from exports", "5%"),
    ("臺灣約有2,300萬人口", "Taiwan has about 2.3 million people", "2,300万 (23,000,000)"),
])
def test_a_wrong_figure_in_any_form_is_flagged_with_what_was_found(zh, en, shown):
    flags = missing_numbers(zh, en)
    assert flags and flags[0].expected == shown and flags[0].found
    assert flags[0].detail.startswith(f"{shown} is not in the English; the English has ")


def test_each_number_of_the_source_needs_its_own_english_number():
    [flag] = missing_numbers("信息泄漏（24%）、地址暴露（24%）", "leaks (24%) and exposed addresses (42%)")
    assert flag.expected == "24%" and flag.found == "42"


def test_names_and_verbs_are_no_months():
    values = [q.value for q in en_quantities("Wang Jun said you may go in March; on Jun. 5 it rained")]
    assert values == [3, 6, 5]
