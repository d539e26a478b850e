"""The development set's gate: every check keeps its recall and false-alarm targets on the
hand-labelled units of tests/qa_devset, scored through the public check API (score_qa.py)."""
from __future__ import annotations

import pytest
from score_qa import DEVSET, MAX_FALSE_ALARMS, MIN_RECALL, score_abstracts, score_batch, score_pairs, table

from summarizer.qa import CHECKS, load_glossary


@pytest.fixture(scope="module")
def rows():
    glossary = load_glossary(DEVSET / "glossary.toml")
    units = score_pairs(glossary) + score_abstracts(glossary) + score_batch(glossary)
    assert sum(not u.expect for u in units) >= 40 and sum(bool(u.expect) for u in units) >= 50
    return {row.check: row for row in table(units)}


@pytest.mark.parametrize("check", [str(c) for c in CHECKS])
def test_each_check_finds_its_planted_defects_without_false_alarms(rows, check):
    row = rows[check]
    assert row.expected >= 3, "every check has planted defects in the set"
    assert row.recall >= MIN_RECALL, f"{check}: found {row.found} of {row.expected}"
    assert row.false_alarm_rate <= MAX_FALSE_ALARMS, f"{check}: {row.false_alarms} false alarms"
