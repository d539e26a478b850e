"""Quality flags in the store, kept in step with the results and the reviewers' edits.

The pipeline refreshes an article's flags in the transaction that saves its results, and the
batch-wide glossary check once at the end of a run; the review app does both after an edit, and
`summarizer review --recheck` redoes every article of an existing store.
"""
from __future__ import annotations

from typing import Iterable

from .config import Settings
from .qa import CHECKS, Check, ArticleTexts, Glossary, UnitText, check_article, check_batch, load_glossary, merged
from .store.current import CurrentArticle, current
from .store.db import Store
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
    for article_id in article_ids:
        article = store.article(article_id)
        if article is not None:
            flags = check_article(texts(current(store, article)), terms)
            save_flags(store, article_id, flags, ARTICLE_CHECKS)


def refresh_batch(store: Store, terms: Glossary) -> None:
    """Recompute the checks across articles (glossary consistency) over the whole store."""
    found = check_batch([texts(current(store, article)) for article in store.articles()], terms)
    with store.transaction():
        store.conn.execute("DELETE FROM flags WHERE check_name = ?", (Check.INCONSISTENT.value,))
        for (article_id, unit), flags in found.items():
            add_flags(store, article_id, {unit: flags})


def recheck_all(store: Store, terms: Glossary, batch: int = RECHECK_BATCH) -> int:
    """Every flag of every article, computed afresh (after a glossary change or an upgrade); the count.
    Committed `batch` articles at a time, so a run or a reviewer waits for one batch, not the whole store."""
    ids = [article.id for article in store.articles()]
    for start in range(0, len(ids), batch):
        with store.transaction():
            refresh(store, ids[start:start + batch], terms)
    refresh_batch(store, terms)
    return store.conn.execute("SELECT count(*) FROM flags").fetchone()[0]
