"""What every view shows for an article: for each unit the current result (store.pick_current),
the reviewer's newest edit over it, and the Chinese abstract the English one translates."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..types import Article, Task, UnitName
from .db import Store, StoredResult, pick_current
from .keys import abstract_unit, paragraph_unit, text_hash
from .review import Edit, edits


@dataclass(frozen=True)
class Shown:
    """One unit: its Simplified input, its current translation result (None: not run yet) and edit."""

    unit: str
    source: str
    result: StoredResult | None
    edit: Edit | None

    @property
    def english(self) -> str | None:
        """The English to show and check: the reviewer's edit, else the model's finished output."""
        if self.edit is not None:
            return self.edit.text
        done = self.result is not None and self.result.result.status == "done"
        return self.result.result.text if done else None

    @property
    def status(self) -> str:
        """edited, done, failed or pending (a unit with no result yet is pending)."""
        if self.edit is not None:
            return "edited"
        return self.result.result.status if self.result else "pending"


@dataclass(frozen=True)
class CurrentArticle:
    article: Article
    abstract: StoredResult | None  # the Chinese abstract
    title: Shown
    abstract_en: Shown
    paragraphs: tuple[Shown, ...]

    @property
    def abstract_zh(self) -> str | None:
        done = self.abstract is not None and self.abstract.result.status == "done"
        return self.abstract.result.text if done else None

    @property
    def units(self) -> tuple[Shown, ...]:
        return (self.title, self.abstract_en, *self.paragraphs)


def current(store: Store, article: Article) -> CurrentArticle:
    results: dict[tuple[str, str], list[StoredResult]] = {}  # by task and unit: each unit looks at its own
    for result in store.results(article.id):
        results.setdefault((result.result.task, result.result.unit), []).append(result)
    edited = edits(store, article.id)
    abstract = pick_current(results.get((Task.ABSTRACT, UnitName.ABSTRACT), ()), Task.ABSTRACT, UnitName.ABSTRACT,
                            abstract_unit(article).input_hash)
    zh = abstract.result.text if abstract and abstract.result.status == "done" else ""

    def shown(unit: str, source: str) -> Shown:
        # keyed by the input's hash: a translation of an older abstract is not this abstract's
        found = pick_current(results.get((Task.TRANSLATE, unit), ()), Task.TRANSLATE, unit, text_hash(source)) \
            if source.strip() else None
        return Shown(unit, source, found, edited.get(unit))

    paragraphs = tuple(shown(paragraph_unit(i), text) for i, text in enumerate(article.simplified_paragraphs))
    return CurrentArticle(article, abstract, shown(UnitName.TITLE, article.simplified_title or ""),
                          shown(UnitName.ABSTRACT, zh), paragraphs)


def find_article(store: Store, ref: str) -> Article:
    """An article by id, id prefix or source path (as given to `run`, or the same file)."""
    rows = store.conn.execute("SELECT id, source_path FROM articles ORDER BY rowid").fetchall()
    matches = [i for i, _ in rows if i == ref] or [i for i, _ in rows if i.startswith(ref.lower())]
    if not matches:
        target = Path(ref).resolve()
        matches = [i for i, path in rows if path == ref or Path(path).resolve() == target]
    if len(matches) > 1:
        raise InputError(ref, f"matches {len(matches)} articles", "give more of the id")
    article = store.article(matches[0]) if matches else None
    if article is None:
        raise InputError(ref, "no stored article has this id or source path",
                         "run 'summarizer view' to list the stored articles")
    return article
