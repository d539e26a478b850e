"""The review tables: flags replaced per article, decisions and edits append-only, state derived."""
from __future__ import annotations

from conftest import SAMPLES

from summarizer import load_settings
from summarizer.clean import clean_file
from summarizer.qa.flags import CHECKS
from summarizer.store.db import Store
from summarizer.store.migrations import MIGRATIONS
from summarizer.store.review import (
    Flag, ParagraphReview, add_term, approve_article, decide, flag_counts, flags_for, glossary_terms,
    review_state, save_edit, save_flags,
)
from summarizer.types import UnitName


def stored_article(store):
    article = clean_file(sorted(SAMPLES.glob("*.txt"))[0], load_settings())
    with store.transaction():
        store.add_articles([article])
    return article


def test_an_older_store_gains_the_review_tables(tmp_path):
    with Store.open(tmp_path / "s.db", migrations=MIGRATIONS[:2]) as store:
        article = stored_article(store)
    with Store.open(tmp_path / "s.db") as store:
        assert review_state(store, article.id).status == "unreviewed"
        assert flags_for(store, article.id) == {}


def test_flags_are_replaced_whole_and_keep_their_order(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        article = stored_article(store)
        first = {"p0": (Flag("numbers", "a"), Flag("loop", "b")), "title": (Flag("empty", "c"),)}
        with store.transaction():
            save_flags(store, article.id, first, CHECKS)
        assert flags_for(store, article.id) == first
        assert flag_counts(store) == {article.id: 3}
        with store.transaction():
            save_flags(store, article.id, {"p1": (Flag("length", "d"),)}, CHECKS)
        assert flags_for(store, article.id) == {"p1": (Flag("length", "d"),)}


def test_decisions_and_edits_build_the_state_and_keep_history(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        article = stored_article(store)
        paragraphs = len(article.paragraphs)
        save_edit(store, article.id, "p0", "first try", None)
        save_edit(store, article.id, "p0", "second try", None)
        state = review_state(store, article.id)
        assert state.status == "in_review" and state.paragraphs[0].edit == "second try"
        assert state.paragraphs[1] == ParagraphReview("unreviewed", None, None, None)
        decide(store, article.id, "p1", "flagged", "figure changed")
        assert review_state(store, article.id).status == "flagged"
        assert review_state(store, article.id).paragraphs[1].note == "figure changed"
        approve_article(store, article.id, paragraphs)
        state = review_state(store, article.id)
        assert state.status == "approved" and {p.status for p in state.paragraphs.values()} == {"approved"}
        decide(store, article.id, "p0", "flagged", "wrong name")
        assert review_state(store, article.id).status == "flagged"
        assert store.conn.execute("SELECT count(*) FROM edits").fetchone()[0] == 2
        decide(store, article.id, UnitName.ARTICLE, "unreviewed")
        save_edit(store, article.id, "abstract", "A better abstract.", None)
        assert review_state(store, article.id).abstract_edit == "A better abstract."


def test_glossary_terms_added_from_the_review(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        add_term(store, "医联体", "medical alliance")
        add_term(store, "医联体", "medical consortium")
        assert glossary_terms(store) == {"医联体": "medical consortium"}
