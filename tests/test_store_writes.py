"""Writes that share the store: a result another run stored first is not counted new by this one,
and a recheck of every article commits in batches instead of holding the lock for the whole store."""
from __future__ import annotations

import dataclasses

from conftest import SAMPLES

from summarizer import load_settings
from summarizer.errors import ModelNotFound
from summarizer.pipeline import ExtractiveWorker, run
from summarizer.recheck import recheck_all
from summarizer.store.db import Store


def extractive_only(spec, settings):
    if spec.task == "abstract":
        return ExtractiveWorker()
    raise ModelNotFound(spec.id, "no model in this test")


def done_rows(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM results WHERE status = 'done'").fetchone()[0]


def test_results_a_concurrent_run_stored_first_are_not_counted_new(tmp_path):
    settings = dataclasses.replace(load_settings(), store_path=tmp_path / "s.db")
    other_runs = []

    @dataclasses.dataclass
    class Racing(ExtractiveWorker):
        """While this run computes its first batch, another run on the same store does all the work."""

        def produce(self, units):
            if not other_runs:
                with Store.open(settings.store_path) as other:
                    other_runs.append(run([SAMPLES], settings, other, engine=extractive_only))
            return super().produce(units)

    def racing(spec, settings):
        return Racing() if spec.task == "abstract" else extractive_only(spec, settings)

    with Store.open(settings.store_path) as store:
        mine = run([SAMPLES], settings, store, engine=racing)
        stored = done_rows(store)
    (theirs,) = other_runs
    assert stored == theirs.total("new") > 0
    assert mine.total("new") == 0 and mine.total("cached") == stored


def test_a_recheck_commits_a_batch_of_articles_at_a_time(tmp_path):
    settings = dataclasses.replace(load_settings(), store_path=tmp_path / "s.db")
    with Store.open(settings.store_path) as store:
        run([SAMPLES], settings, store, engine=extractive_only)
        articles = len(list(store.articles()))
        whole = recheck_all(store, {}, batch=articles)
        before = store.conn.execute("SELECT * FROM flags ORDER BY article_id, unit, position").fetchall()
        transactions: list[set[str]] = []

        def trace(sql: str) -> None:  # the articles whose flags each transaction rewrites
            if sql.startswith("BEGIN"):
                transactions.append(set())
            elif sql.startswith("DELETE FROM flags WHERE article_id = '"):
                transactions[-1].add(sql.split("'")[1])

        store.conn.set_trace_callback(trace)
        assert recheck_all(store, {}, batch=2) == whole
        store.conn.set_trace_callback(None)
        assert store.conn.execute("SELECT * FROM flags ORDER BY article_id, unit, position").fetchall() == before
    per_article = [len(ids) for ids in transactions if ids]
    assert articles > 2 and sum(per_article) == articles and max(per_article) == 2
