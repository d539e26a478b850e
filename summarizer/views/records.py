"""One article as every export format and the briefing show it: the record builder.

For each unit the record holds the result a view shows (store/current.py, the same choice the
viewer makes, so an export never disagrees with the screen) with the model, revision and prompt
that produced it, the unit's open quality flags, and the reviewer's decision. A reviewer's edit
wins over the model's text, and the record says so and keeps the model's text beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal, Mapping

from ..store.current import CurrentArticle, current
from ..store.current import Shown as CurrentUnit
from ..store.db import Store, StoredResult
from ..store.review import Flag, ReviewState, flags_for, review_state
from ..types import Article, UnitName

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
        """Who wrote the shown text, as a phrase that stands alone in documents and spreadsheet cells."""
        if self.edited and self.model_text is None:  # nothing of the model's was there to edit
            return f"written by a reviewer (the model's: {self.status})"
        if self.model is None:
            return f"{self.status}: {self.reason}"
        made = f"{'the extractive method' if self.method == 'extractive' else 'the model'} {self.model} " \
               f"(revision {self.revision}"
        made += f", prompt {self.prompt})" if self.prompt else ")"
        if self.edited:
            return f"edited by a reviewer, over the text made by {made}"
        return f"made by {made}" if self.text is not None else f"{self.status}: {self.reason or made}"


@dataclass(frozen=True)
class Pair:
    """A paragraph and its English, with the reviewer's decision on the pair."""

    index: int
    zh: str
    en: Shown
    review: str  # unreviewed, approved or flagged
    note: str | None

    @property
    def number(self) -> int:
        """The paragraph's number for readers, from 1 (`index` counts from 0, like the unit names)."""
        return self.index + 1


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
        record = build_record(current(store, article), review_state(store, article.id),
                              flags_for(store, article.id))
        if selection.admits(record):
            chosen.append(record)
    return chosen


def undated_left_out(store: Store, selection: Selection) -> int:
    """Articles a date window leaves out only because they have no date: the user must hear of them."""
    if selection.since is None and selection.until is None:
        return 0
    return sum(1 for article in store.articles() if article.date is None)


def build_record(shown: CurrentArticle, review: ReviewState, flags: Mapping[str, tuple[Flag, ...]]) -> ExportRecord:
    # flags on the abstract unit are about the abstract pair, so both sides carry them
    abstract_zh = _shown(shown.abstract, None, flags.get(UnitName.ABSTRACT, ()))
    pairs = tuple(_pair(i, zh, unit, review, flags) for i, (zh, unit)
                  in enumerate(zip(shown.article.paragraphs, shown.paragraphs)))
    return ExportRecord(shown.article, review.status, _unit(shown.title, flags), abstract_zh,
                        _unit(shown.abstract_en, flags), pairs)


def _unit(unit: CurrentUnit, flags: Mapping[str, tuple[Flag, ...]]) -> Shown:
    return _shown(unit.result, unit.edit.text if unit.edit else None, flags.get(unit.unit, ()))


def _shown(result: StoredResult | None, edit: str | None, flags: tuple[Flag, ...]) -> Shown:
    if result is None:
        shown = Shown(None, "pending", None, None, None, None, 0, "not run yet", flags)
    else:
        r = result.result
        shown = Shown(r.text if r.status == "done" else None, r.status, r.method, r.model, r.revision,
                      result.prompt_hash or None, r.chunks, r.reason, flags)
    return shown if edit is None else replace(shown, text=edit, edited=True, model_text=shown.text)


def _pair(index: int, zh: str, unit: CurrentUnit, review: ReviewState,
          flags: Mapping[str, tuple[Flag, ...]]) -> Pair:
    decision = review.paragraphs.get(index)
    return Pair(index, zh, _unit(unit, flags), decision.status if decision else "unreviewed",
                decision.note if decision else None)


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
