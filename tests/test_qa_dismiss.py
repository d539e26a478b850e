"""Flags a reviewer dismissed as false alarms: kept through rechecks, counted per check, summarised
by `summarizer view --flags`, dismissed from the review app with a note."""
from __future__ import annotations

import asyncio
import json

import pytest
from cli_runner import run_cli
from conftest import SAMPLES
from filled_store import filled_store
from test_review_app import settle, type_in

from summarizer import load_settings
from summarizer.clean import clean_file
from summarizer.qa.flags import CHECKS
from summarizer.store.db import Store
from summarizer.store.migrations import MIGRATIONS
from summarizer.store.review import Flag, dismiss_flag, flag_counts, flag_summary, flags_for, save_flags
from summarizer.types import Check
from summarizer.views.review import ReviewApp

NUMBERS = Flag(Check.NUMBERS, "17.46% is not in the English; the English has 17.64", "17.46%", "17.64")
LOOP = Flag(Check.LOOP, "“the city” repeated 3+ times in a row", "", "the city")


def stored_article(store):
    article = clean_file(sorted(SAMPLES.glob("*.txt"))[0], load_settings())
    with store.transaction():
        store.add_articles([article])
    return article


def test_a_dismissed_flag_stays_dismissed_through_a_recheck_and_is_counted(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        article = stored_article(store)
        with store.transaction():
            save_flags(store, article.id, {"p0": (NUMBERS, LOOP)}, CHECKS)
        assert flags_for(store, article.id) == {"p0": (NUMBERS, LOOP)}  # evidence round-trips
        dismiss_flag(store, article.id, "p0", NUMBERS, "17.64 is right: the source has a typo")
        with store.transaction():  # a recheck that finds the same flags again
            save_flags(store, article.id, {"p0": (NUMBERS, LOOP)}, CHECKS)
        assert flags_for(store, article.id) == {"p0": (LOOP,)} and flag_counts(store) == {article.id: 1}
        counts = {c.check: (c.open, c.dismissed) for c in flag_summary(store)}
        assert counts[Check.NUMBERS] == (0, 1) and counts[Check.LOOP] == (1, 0)
        assert list(counts) == list(Check)
        changed = Flag(Check.NUMBERS, "17.46% is not in the English; the English has 17.5", "17.46%", "17.5")
        with store.transaction():  # a new finding is a new flag, open again
            save_flags(store, article.id, {"p0": (changed,)}, CHECKS)
        assert flags_for(store, article.id) == {"p0": (changed,)}


def test_an_older_store_gains_evidence_and_dismissals_and_keeps_its_flags(tmp_path):
    with Store.open(tmp_path / "s.db", migrations=MIGRATIONS[:3]) as store:
        article = stored_article(store)
        with store.transaction():
            store.conn.execute("INSERT INTO flags VALUES (?, 'p0', 0, 'numbers', 'old flag')", (article.id,))
    with Store.open(tmp_path / "s.db") as store:
        assert flags_for(store, article.id) == {"p0": (Flag(Check.NUMBERS, "old flag"),)}
        dismiss_flag(store, article.id, "p0", Flag(Check.NUMBERS, "old flag"), "fine")
        assert flags_for(store, article.id) == {}


@pytest.fixture
def settings(tmp_path_factory, tiny_models, tmp_path):
    return filled_store(tmp_path_factory.getbasetemp(), tiny_models, tmp_path / "store.db")


def test_view_flags_counts_by_check_and_state(settings, capsys):
    with Store.open(settings.store_path) as store:
        article_id, unit, check, detail = store.conn.execute(
            "SELECT article_id, unit, check_name, detail FROM flags LIMIT 1").fetchone()
        total = store.conn.execute("SELECT count(*) FROM flags WHERE check_name = ?", (check,)).fetchone()[0]
        dismiss_flag(store, article_id, unit, Flag(Check(check), detail), "noise of the tiny model")
    rows = json.loads(run_cli(capsys, "view", "--flags", "--json", "--store", settings.store_path).out)
    row = next(r for r in rows if r["check"] == check)
    assert (row["open"], row["dismissed"]) == (total - 1, 1)
    assert row["false_alarm_rate"] == pytest.approx(1 / total)
    table = run_cli(capsys, "view", "--flags", "--store", settings.store_path)
    assert table.code == 0 and all(str(c) in table.out for c in CHECKS) and "dismissed" in table.out
    assert run_cli(capsys, "view", article_id, "--flags", "--store", settings.store_path).code == 2


def test_the_review_app_dismisses_the_selected_units_first_flag_with_a_note(settings):
    asyncio.run(dismisses_with_a_note(settings))


async def dismisses_with_a_note(settings):
    app = ReviewApp(settings)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("right_square_bracket")  # the first flagged unit after the title
        unit, flags = app.unit, app.view.flags.get(app.unit, ())
        first = sorted(flags, key=lambda f: CHECKS.index(f.check))[0]
        await pilot.press("x")
        await type_in(pilot, "not a problem here")
        await settle(app, pilot)
        article_id = app.article_id
    with Store.open(settings.store_path) as store:
        row = store.conn.execute("SELECT unit, check_name, detail, note FROM dismissals").fetchone()
        assert row == (unit, str(first.check), first.detail, "not a problem here")
        assert first not in flags_for(store, article_id).get(unit, ())
