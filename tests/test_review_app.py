"""The review app, headless through Textual's pilot: a real store, real keys, the store checked."""
from __future__ import annotations

import asyncio

import pytest
from filled_store import filled_store
from textual.widgets import Input, TextArea

from summarizer.store.db import Store
from summarizer.store.review import decisions, edits, flags_for, glossary_terms, review_state
from summarizer.views.review import ReviewApp
from summarizer.views.review_screens import Confirm, HelpScreen


@pytest.fixture
def settings(tmp_path_factory, tiny_models, tmp_path):
    return filled_store(tmp_path_factory.getbasetemp(), tiny_models, tmp_path / "store.db")


def kept_text(store, article_id) -> str:
    """The model's own output of p1, still in the results table after the edit."""
    row = store.conn.execute("SELECT text FROM results WHERE article_id = ? AND unit = 'p1' AND task = 'translate'",
                             (article_id,)).fetchone()
    return row[0]


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def type_in(pilot, text: str) -> None:
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")


def test_every_decision_reaches_the_store_at_once(settings):
    asyncio.run(every_decision_reaches_the_store_at_once(settings))


async def every_decision_reaches_the_store_at_once(settings):
    app = ReviewApp(settings)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        article_id = app.article_id
        await pilot.press("j", "j", "a")  # title, abstract, then p0 approved; the cursor moves to p1
        assert isinstance(app.screen, Confirm)  # the tiny model's p0 carries quality flags: asked first
        await pilot.press("y")
        await pilot.press("f")
        await type_in(pilot, "the figure is wrong")
        with Store.open(settings.store_path) as other:  # another connection sees it: it is committed
            assert decisions(other, article_id)["p0"] == ("approved", None)
            assert decisions(other, article_id)["p1"] == ("flagged", "the figure is wrong")
            assert review_state(other, article_id).status == "flagged"
        await pilot.press("e")
        app.screen.query_one(TextArea).text = "Santang Town grew 5% in 2024."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        with Store.open(settings.store_path) as other:
            assert edits(other, article_id)["p1"].text == "Santang Town grew 5% in 2024."
            assert kept_text(other, article_id) and "Santang" not in kept_text(other, article_id)
            # the edit is checked like model output: the Chinese gibberish of the tiny model is gone
            assert not any(f.check == "untranslated" for f in flags_for(other, article_id).get("p1", ()))
        await pilot.press("A")
        assert isinstance(app.screen, Confirm)  # most paragraphs were never shown
        await pilot.press("y")
        await settle(app, pilot)
        assert "approved" in str(app.query("Static").first().render())
    with Store.open(settings.store_path) as store:
        assert review_state(store, article_id).status == "approved"


def test_glossary_search_script_help_and_next_flag(settings):
    asyncio.run(glossary_search_script_help_and_next_flag(settings))


async def glossary_search_script_help_and_next_flag(settings):
    app = ReviewApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("g")
        await type_in(pilot, "医联体 = medical consortium")
        await settle(app, pilot)
        await pilot.press("right_square_bracket")
        assert app.rows[app.cursor].flagged
        await pilot.press("slash")
        await type_in(pilot, "医")
        await settle(app, pilot)
        hit = app.hits[app.hit]
        assert (app.article_id, app.unit) == (hit.article_id, hit.unit) and "医" in app.rows[app.cursor].simplified
        await pilot.press("s")
        assert app.simplified
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "n")
        await settle(app, pilot)
        second = app.article_id
    with Store.open(settings.store_path) as store:
        assert glossary_terms(store) == {"医联体": "medical consortium"}
        assert second != next(store.articles()).id


def test_the_next_session_starts_where_the_last_stopped(settings):
    asyncio.run(the_next_session_starts_where_the_last_stopped(settings))


async def the_next_session_starts_where_the_last_stopped(settings):
    app = ReviewApp(settings)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("j", "j", "j", "j", "a")
        if isinstance(app.screen, Confirm):
            await pilot.press("y")
        await pilot.press("k", "k")  # looked back at p1 after deciding p2: the next session opens at p1
        stopped = (app.article_id, "p1")
    app = ReviewApp(settings)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert (app.article_id, app.unit) == stopped
