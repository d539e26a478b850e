"""Quality flags in the store, kept in step with the results and the reviewers' edits.

The pipeline refreshes an article's flags in the transaction that saves its results, and the
batch-wide glossary check once at the end of a run; the review app does both after an edit, and
`summarizer review --recheck` redoes every article of an existing store.
"""
from __future__ import annotations

from typing import Iterable

from .config import Settings
from .qa import CHECKS, Check, ArticleTexts, Glossary, UnitText, check_article, check_batch, load_glossary, merged
from .qa.readings import checker_version, kept
from .store.current import CurrentArticle, current
from .store.db import Store
from .store.readings import drop_other_readings, keep_readings, kept_readings
from .store.review import add_flags, glossary_terms, save_flags

RECHECK_BATCH = 50  # articles whose flags are redone per transaction
ARTICLE_CHECKS = tuple(check for check in CHECKS if check != Check.INCONSISTENT)  # the rest compare articles


def glossary(settings: Settings, store: Store) -> dict[str, tuple[str, ...]]:
    """The glossary file of the config, with the terms added from the review over it."""
    base = load_glossary(settings.glossary_path) if settings.glossary_path else {}
    return merged(base, glossary_terms(store))


def texts(shown: CurrentArticle) -> ArticleTexts:
    article = shown.article
    body = "\n".join([article.simplified_title or "", *article.simplified_paragraphs])
    model_abstract = shown.abstract is not None and shown.abstract.result.method == "model"
    units = tuple(UnitText(u.unit, u.source, u.english, u.result.result.reason if u.status == "failed" else None)
                  for u in shown.units if u.source.strip())
    return ArticleTexts(article.id, body, shown.abstract_zh if model_abstract else None, units)


def refresh(store: Store, article_ids: Iterable[str], terms: Glossary) -> None:
    """Recompute the one-article checks of these articles; the caller holds the transaction."""
    shown = [texts(current(store, article)) for article in map(store.article, article_ids) if article is not None]
    with kept({}) as done:
        _save_article_flags(store, shown, terms)
    keep_readings(store, checker_version(), done)


def _save_article_flags(store: Store, shown: Iterable[ArticleTexts], terms: Glossary) -> None:
    for article in shown:
        save_flags(store, article.article_id, check_article(article, terms), ARTICLE_CHECKS)


def refresh_batch(store: Store, terms: Glossary) -> None:
    """Recompute the checks across articles (glossary consistency) over the whole store."""
    with kept(kept_readings(store, checker_version())) as done:
        _save_batch_flags(store, [texts(current(store, article)) for article in store.articles()], terms, done)


def _save_batch_flags(store: Store, shown: list[ArticleTexts], terms: Glossary, done: dict[str, str]) -> None:
    """Save the batch's flags, and the readings the checks made (`done`: filled as they run)."""
    found = check_batch(shown, terms)
    with store.transaction():
        store.conn.execute("DELETE FROM flags WHERE check_name = ?", (Check.INCONSISTENT.value,))
        for (article_id, unit), flags in found.items():
            add_flags(store, article_id, {unit: flags})
        keep_readings(store, checker_version(), done)


def recheck_all(store: Store, terms: Glossary, batch: int = RECHECK_BATCH) -> int:
    """Every flag of every article, computed afresh (after a glossary change or an upgrade); the count.
    Committed `batch` articles at a time, so a run or a reviewer waits for one batch, not the whole store.
    Each text's readings (its numbers, terms and names) are read back from the store when an
    earlier check of the same checker made them; those of another checker are dropped."""
    version = checker_version()
    with store.transaction():
        drop_other_readings(store, version)
    with kept(kept_readings(store, version)) as done:
        shown = [texts(current(store, article)) for article in store.articles()]
        for start in range(0, len(shown), batch):
            with store.transaction():
                _save_article_flags(store, shown[start:start + batch], terms)
        _save_batch_flags(store, shown, terms, done)
    return store.conn.execute("SELECT count(*) FROM flags").fetchone()[0]
