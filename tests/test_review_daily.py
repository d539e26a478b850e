"""The review app for daily use, through Textual's Pilot: confirmation before approving unseen or
flagged units, undo stored as a revision, the source beside the editor, select-all, search across
articles with highlight and next/previous, and the layout at 80 and 160 columns (SVG snapshots
saved beside the test's files, their geometry asserted)."""
from __future__ import annotations

import asyncio

import pytest
from filled_store import filled_store
from test_review_app import settle, type_in
from textual.widgets import Footer, Static, TextArea

from summarizer.store.db import Store
from summarizer.store.review import decisions, edits, review_state
from summarizer.views.review import ReviewApp
from summarizer.views.review_rows import MATCH, UnitRow
from summarizer.views.review_screens import Confirm, TextEditor


@pytest.fixture
def settings(tmp_path_factory, tiny_models, tmp_path):
    return filled_store(tmp_path_factory.getbasetemp(), tiny_models, tmp_path / "store.db")


def decision_rows(settings, article_id) -> int:
    with Store.open(settings.store_path) as store:
        return store.conn.execute("SELECT count(*) FROM decisions WHERE article_id = ?", (article_id,)).fetchone()[0]


def test_approving_an_unseen_article_asks_first_and_undo_puts_it_back(settings):
    asyncio.run(approve_confirm_and_undo(settings))


async def approve_confirm_and_undo(settings):
    app = ReviewApp(settings)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        article_id = app.article_id
        await pilot.press("A")
        assert isinstance(app.screen, Confirm) and "never shown" in app.screen.question
        await pilot.press("n")  # no: nothing is written
        assert decision_rows(settings, article_id) == 0
        await pilot.press("A", "y")
        await settle(app, pilot)
        with Store.open(settings.store_path) as store:
            assert review_state(store, article_id).status == "approved"
        written = decision_rows(settings, article_id)
        await pilot.press("u")
        await settle(app, pilot)
        with Store.open(settings.store_path) as store:
            assert review_state(store, article_id).status == "unreviewed"
            # the undo is a revision: the approval rows stay, newer rows put back what was before
            assert decision_rows(settings, article_id) == 2 * written
            assert set(status for status, _ in decisions(store, article_id).values()) == {"unreviewed"}


def test_undo_of_an_edit_shows_the_model_text_again_and_approving_twice_says_so(settings):
    asyncio.run(undo_edit(settings))


async def undo_edit(settings):
    app = ReviewApp(settings)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        article_id = app.article_id
        await pilot.press("j", "j", "j")  # p1
        model_text = app.view.shown.paragraphs[1].english
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, TextEditor)
        # the Chinese source is on screen while editing
        source = str(editor.query_one(".source", Static).render())
        assert source and source[:10] in app.rows[app.cursor].original
        await pilot.press("ctrl+a")
        assert editor.query_one(TextArea).selected_text == model_text
        editor.query_one(TextArea).text = "A reviewer's English."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        with Store.open(settings.store_path) as store:
            assert edits(store, article_id)["p1"].text == "A reviewer's English."
        await pilot.press("u")
        await settle(app, pilot)
        with Store.open(settings.store_path) as store:
            assert "p1" not in edits(store, article_id)
            assert store.conn.execute("SELECT count(*) FROM edits").fetchone()[0] == 2  # kept, and undone
        assert app.view.shown.paragraphs[1].english == model_text
        await pilot.press("j")  # p2
        await pilot.press("a")
        if isinstance(app.screen, Confirm):
            await pilot.press("y")
        await settle(app, pilot)
        await pilot.press("k", "a")  # back on the approved p2
        assert not isinstance(app.screen, Confirm)
        assert any("already approved" in str(n.message) for n in app._notifications)


def test_search_spans_every_article_highlights_and_steps_through_matches(settings):
    asyncio.run(search_everything(settings))


async def search_everything(settings):
    with Store.open(settings.store_path) as store:
        first, second = list(store.articles())[:2]
    word = second.simplified_paragraphs[0][:3]  # a three-character run: the trigram index answers
    app = ReviewApp(settings, first.id)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_in(pilot, word)
        await settle(app, pilot)
        assert app.hits and any(hit.article_id == second.id for hit in app.hits)
        seen = set()
        for _ in range(len(app.hits)):
            hit = app.hits[app.hit]
            assert (app.article_id, app.unit) == (hit.article_id, hit.unit)
            row = app.query(UnitRow)[app.cursor]
            shown = [w.content for w in row.query(".zh, .en")]  # the rich Texts on screen
            # the match is highlighted (in a Traditional original, at its Simplified twin's place)
            assert any(str(span.style) == MATCH and span.end - span.start == len(word)
                       for t in shown for span in t.spans), (hit, [(t.plain[:40], t.spans) for t in shown])
            seen.add(hit.article_id)
            await pilot.press("greater_than_sign")
            await settle(app, pilot)
        assert second.id in seen and app.hit == 0  # wrapped round to the first match
        await pilot.press("less_than_sign")
        await settle(app, pilot)
        assert app.hit == len(app.hits) - 1
        await pilot.press("slash")
        await type_in(pilot, "")  # an empty search clears the matches and their highlight
        await settle(app, pilot)
        assert not app.hits and not any(str(span.style) == MATCH for row in app.query(UnitRow)
                                        for w in row.query(".zh, .en") for span in w.content.spans)


@pytest.mark.parametrize("width", [80, 160])
def test_the_review_screen_fits_the_terminal(settings, width, tmp_path):
    asyncio.run(fits(settings, width, tmp_path))


async def fits(settings, width, tmp_path):
    app = ReviewApp(settings)
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(app, pilot)
        app.save_screenshot(str(tmp_path / f"review-{width}.svg"))
        row = app.query(UnitRow).first()
        zh, en = row.query_one(".zh").region, row.query_one(".en").region
        if width < 100:  # stacked, the list hidden: each language gets nearly the whole width
            assert en.y >= zh.y + zh.height and zh.width >= width - 5 and en.width >= width - 5
            assert not app.query_one("#articles").display
            await pilot.press("n")  # the articles are still one key away
            await settle(app, pilot)
            assert app.article_id == app.ids[1] and "article 2 of" in str(app.query(Static).first().render())
        else:  # side by side, each wider than the narrow layout's
            assert en.y == zh.y and en.x >= zh.x + zh.width and zh.width >= 45 and en.width >= 45
        footer = app.query_one(Footer)
        keys = [w for w in footer.query("FooterKey")]
        assert keys and all(k.region.right <= width for k in keys)  # the key bar is not cut
        assert {k.key_display for k in keys} >= {"a", "f", "e", "u", "/", "?", "q"}
    assert (tmp_path / f"review-{width}.svg").stat().st_size > 1000
