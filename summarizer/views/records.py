"""One article as every export format and the briefing show it: the record builder.

For each unit the record holds the result a view shows (store.pick_current, the same choice the
viewer makes, so an export never disagrees with the screen) with the model, revision and prompt
that produced it, the unit's open quality flags, and the reviewer's decision. A reviewer's edit
wins over the model's text, and the record says so and keeps the model's text beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal, Mapping

from ..store.db import Store, StoredResult, pick_current
from ..store.keys import ABSTRACT_UNIT, TITLE_UNIT, abstract_unit, paragraph_unit, text_hash
from ..store.review import Flag, ReviewState, flags_for, review_state
from ..types import Article

StatusFilter = Literal["approved", "all"]


@dataclass(frozen=True)
class Shown:
    """What is shown for one unit: the reviewer's edit if there is one, else the model's output."""

    text: str | None  # None until the result is done
    status: str  # of the model's result: done, pending (also: not run yet) or failed
    method: str | None  # model or extractive
    model: str | None
    revision: str | None
    prompt: str | None  # hash of the prompt template; None for task models
    chunks: int
    reason: str | None  # why it is pending or failed
    flags: tuple[Flag, ...]
    edited: bool = False
    model_text: str | None = None  # the model's own text, kept beside a reviewer's edit

    @property
    def provenance(self) -> str:
        """Who wrote the shown text, in words for documents and spreadsheet cells."""
        if self.model is None:
            return f"{self.status}: {self.reason}"
        made = f"{self.method} {self.model} (revision {self.revision}"
        made += f", prompt {self.prompt})" if self.prompt else ")"
        if self.edited:
            return f"edited by a reviewer, over {made}"
        return made if self.text is not None else f"{self.status}: {self.reason or made}"


@dataclass(frozen=True)
class Pair:
    """A paragraph and its English, with the reviewer's decision on the pair."""

    index: int
    zh: str
    en: Shown
    review: str  # unreviewed, approved or flagged
    note: str | None


@dataclass(frozen=True)
class ExportRecord:
    article: Article
    review: str  # unreviewed, in_review, approved or flagged
    title_en: Shown
    abstract_zh: Shown
    abstract_en: Shown
    pairs: tuple[Pair, ...]

    @property
    def open_flags(self) -> int:
        units = (self.title_en, self.abstract_en, *(p.en for p in self.pairs))
        return sum(len(u.flags) for u in units)


@dataclass(frozen=True)
class Selection:
    """Which articles an export or briefing takes: review status, and dates (ISO, inclusive)."""

    status: StatusFilter = "all"
    since: str | None = None
    until: str | None = None

    def admits_date(self, date: str | None) -> bool:
        # an article without a date cannot be placed in a window, so a window leaves it out
        if self.since is None and self.until is None:
            return True
        return date is not None and (self.since or "") <= date[:10] <= (self.until or "9999")

    def admits(self, record: ExportRecord) -> bool:
        return self.status == "all" or record.review == "approved"


def select_records(store: Store, selection: Selection) -> list[ExportRecord]:
    """The records of the selected articles, in the order they were first stored."""
    chosen = []
    for article in store.articles():
        if not selection.admits_date(article.date):
            continue
        record = build_record(article, store.results(article.id), review_state(store, article.id),
                              flags_for(store, article.id))
        if selection.admits(record):
            chosen.append(record)
    return chosen


def build_record(article: Article, results: list[StoredResult], review: ReviewState,
                 flags: Mapping[str, tuple[Flag, ...]]) -> ExportRecord:
    abstract = pick_current(results, "abstract", ABSTRACT_UNIT, abstract_unit(article).input_hash)
    # flags on the abstract unit are about the abstract pair, so both sides carry them
    abstract_zh = _shown(abstract, flags.get(ABSTRACT_UNIT, ()))
    abstract_en = _translation(results, ABSTRACT_UNIT, abstract_zh.text, flags, review.abstract_edit)
    pairs = tuple(_pair(results, i, zh, simplified, review, flags) for i, (zh, simplified)
                  in enumerate(zip(article.paragraphs, article.simplified_paragraphs)))
    title = _translation(results, TITLE_UNIT, article.simplified_title, flags, None)
    return ExportRecord(article, review.status, title, abstract_zh, abstract_en, pairs)


def _shown(result: StoredResult | None, flags: tuple[Flag, ...], edit: str | None = None) -> Shown:
    if result is None:
        shown = Shown(None, "pending", None, None, None, None, 0, "not run yet", flags)
    else:
        r = result.result
        shown = Shown(r.text if r.status == "done" else None, r.status, r.method, r.model, r.revision,
                      result.prompt_hash or None, r.chunks, r.reason, flags)
    return shown if edit is None else replace(shown, text=edit, edited=True, model_text=shown.text)


def _translation(results: list[StoredResult], unit: str, source: str | None,
                 flags: Mapping[str, tuple[Flag, ...]], edit: str | None) -> Shown:
    # keyed by the input's hash: a translation of an older abstract is not this abstract's translation
    found = pick_current(results, "translate", unit, text_hash(source)) if source else None
    return _shown(found, flags.get(unit, ()), edit)


def _pair(results: list[StoredResult], index: int, zh: str, simplified: str, review: ReviewState,
          flags: Mapping[str, tuple[Flag, ...]]) -> Pair:
    unit = paragraph_unit(index)
    decision = review.paragraphs.get(index)
    en = _translation(results, unit, simplified, flags, decision.edit if decision else None)
    return Pair(index, zh, en, decision.status if decision else "unreviewed", decision.note if decision else None)


def record_json(record: ExportRecord) -> dict[str, Any]:
    """The jsonl shape: the keys of the first export, plus review, provenance and flags."""
    a = record.article
    return {
        "id": a.id,
        "source": {"path": a.source.path, "sha256": a.source.sha256, "encoding": a.source.encoding},
        "title": a.title,
        "title_en": record.title_en.text,
        "date": a.date,
        "outlet": a.outlet,
        "author": a.author,
        "script": a.script,
        "review": record.review,
        "title_en_result": shown_json(record.title_en),
        "abstract_zh": shown_json(record.abstract_zh),
        "abstract_en": shown_json(record.abstract_en),
        "paragraphs": [_pair_json(p) for p in record.pairs],
    }


def shown_json(shown: Shown) -> dict[str, Any]:
    return {"text": shown.text, "status": shown.status, "method": shown.method, "model": shown.model,
            "chunks": shown.chunks, "reason": shown.reason, "revision": shown.revision,
            "prompt": shown.prompt, "edited": shown.edited, "model_text": shown.model_text,
            "flags": flags_json(shown.flags)}


def _pair_json(pair: Pair) -> dict[str, Any]:
    en = pair.en
    return {"zh": pair.zh, "en": en.text, "status": en.status, "model": en.model, "chunks": en.chunks,
            "method": en.method, "revision": en.revision, "prompt": en.prompt, "edited": en.edited,
            "model_text": en.model_text, "flags": flags_json(en.flags),
            "review": pair.review, "note": pair.note}


def flags_json(flags: tuple[Flag, ...]) -> list[dict[str, str]]:
    return [{"check": f.check, "detail": f.detail} for f in flags]
