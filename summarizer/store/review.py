"""The review side of the store: quality flags, reviewers' decisions and edits, glossary terms.

Read by the viewer, the review app, exports and the briefing; written by the pipeline (flags, via
recheck.py) and the review app. Decisions and edits are append-only and each is committed on its
own, so a review killed at any moment loses nothing and the newest row per unit is the state.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Iterable, Mapping

from ..types import Check, Flag, UnitName
from .db import Store, now
from .keys import paragraph_unit

BACK_TO_MODEL = ""  # the text of an edit row that undoes the edits before it: the model's output shows again
UNIT_STATUSES = ("unreviewed", "approved", "flagged")

__all__ = ["Flag", "FlagCount", "ParagraphReview", "ReviewState", "dismiss_flag", "flag_summary",
           "flags_for", "review_state"]


@dataclass(frozen=True)
class ParagraphReview:
    """A paragraph's newest decision (unreviewed|approved|flagged, with its note) and newest edit."""

    status: str
    note: str | None
    edit: str | None
    edited_at: str | None


UNREVIEWED = ParagraphReview("unreviewed", None, None, None)


@dataclass(frozen=True)
class ReviewState:
    """An article's review: status unreviewed|in_review|approved|flagged, every paragraph by index,
    and the reviewer's English abstract if it was edited."""

    status: str
    paragraphs: dict[int, ParagraphReview]
    abstract_edit: str | None


@dataclass(frozen=True)
class Edit:
    text: str
    created: str


def flags_for(store: Store, article_id: str) -> dict[str, tuple[Flag, ...]]:
    """The open flags of one article (a dismissed one is no longer a problem), keyed by unit name
    (keys.py: title, abstract, p0, p1...)."""
    rows = store.conn.execute(f"""
        SELECT unit, check_name, detail, expected, found FROM flags f
        WHERE article_id = ? AND NOT {_DISMISSED} ORDER BY unit, position""", (article_id,))
    found: dict[str, list[Flag]] = {}
    for unit, check, detail, expected, seen in rows:
        found.setdefault(unit, []).append(Flag(Check(check), detail, expected, seen))
    return {unit: tuple(flags) for unit, flags in found.items()}


# a flag is dismissed while a reviewer's dismissal names the same unit, check and finding
_DISMISSED = """EXISTS (SELECT 1 FROM dismissals d WHERE d.article_id = f.article_id AND d.unit = f.unit
                AND d.check_name = f.check_name AND d.detail = f.detail)"""


def flag_counts(store: Store) -> dict[str, int]:
    """Article id -> number of open flags, for lists of articles."""
    return dict(store.conn.execute(
        f"SELECT article_id, count(*) FROM flags f WHERE NOT {_DISMISSED} GROUP BY article_id").fetchall())


def save_flags(store: Store, article_id: str, flags: Mapping[str, Iterable[Flag]], checks: Collection[str]) -> None:
    """Replace the article's flags of `checks` by `flags`; the caller holds the transaction."""
    store.conn.execute(f"DELETE FROM flags WHERE article_id = ? AND check_name IN ({','.join('?' * len(checks))})",
                       (article_id, *checks))
    add_flags(store, article_id, flags)


def add_flags(store: Store, article_id: str, flags: Mapping[str, Iterable[Flag]]) -> None:
    """Append flags after the unit's others; the caller holds the transaction."""
    store.conn.executemany("""
        INSERT INTO flags SELECT ?1, ?2, coalesce(max(position) + 1, 0), ?3, ?4, ?5, ?6
        FROM flags WHERE article_id = ?1 AND unit = ?2""", [
        (article_id, unit, str(flag.check), flag.detail, flag.expected, flag.found)
        for unit, unit_flags in flags.items() for flag in unit_flags])


def dismiss_flag(store: Store, article_id: str, unit: str, flag: Flag, note: str) -> None:
    """A reviewer's verdict that `flag` is a false alarm, with why; committed at once. It stays
    dismissed through rechecks for as long as the check finds the same thing."""
    with store.transaction():
        store.conn.execute("INSERT OR REPLACE INTO dismissals (article_id, unit, check_name, detail, note, created) "
                           "VALUES (?,?,?,?,?,?)", (article_id, unit, str(flag.check), flag.detail, note, now()))


@dataclass(frozen=True)
class FlagCount:
    """One check's flags in the store: open now, dismissed as false alarms (every dismissal ever
    made, so the rate survives rechecks), and the share of its flags reviewers called false."""

    check: Check
    open: int
    dismissed: int

    @property
    def false_alarm_rate(self) -> float:
        return self.dismissed / (self.open + self.dismissed) if self.open + self.dismissed else 0.0


def flag_summary(store: Store) -> list[FlagCount]:
    """Counts by check and state, in the order of Check, every check listed."""
    open_ = dict(store.conn.execute(
        f"SELECT check_name, count(*) FROM flags f WHERE NOT {_DISMISSED} GROUP BY check_name").fetchall())
    dismissed = dict(store.conn.execute("SELECT check_name, count(*) FROM dismissals GROUP BY check_name").fetchall())
    return [FlagCount(check, open_.get(check.value, 0), dismissed.get(check.value, 0)) for check in Check]


def decide(store: Store, article_id: str, unit: str, status: str, note: str | None = None) -> None:
    """Record a reviewer's decision on a unit (or the whole article: UnitName.ARTICLE), committed at once."""
    if status not in UNIT_STATUSES:
        raise ValueError(f"unknown review status {status!r}")
    with store.transaction():
        _insert_decision(store, article_id, unit, status, note)


def approve_article(store: Store, article_id: str, paragraphs: int) -> None:
    """Approve the article and each of its paragraphs, in one transaction."""
    with store.transaction():
        for index in range(paragraphs):
            _insert_decision(store, article_id, paragraph_unit(index), "approved", None)
        _insert_decision(store, article_id, UnitName.ARTICLE, "approved", None)


def _insert_decision(store: Store, article_id: str, unit: str, status: str, note: str | None) -> None:
    store.conn.execute("INSERT INTO decisions (article_id, unit, status, note, created) VALUES (?,?,?,?,?)",
                       (article_id, unit, status, note, now()))


def save_edit(store: Store, article_id: str, unit: str, text: str, base_key: str | None) -> None:
    """A reviewer's English for a unit: a new revision; the model's result row is left as it was."""
    with store.transaction():
        store.conn.execute("INSERT INTO edits (article_id, unit, text, base_key, created) VALUES (?,?,?,?,?)",
                           (article_id, unit, text, base_key, now()))


def edits(store: Store, article_id: str) -> dict[str, Edit]:
    """The newest edit of each unit of one article (none where the newest is an undo back to the model)."""
    rows = store.conn.execute("SELECT unit, text, created FROM edits WHERE article_id = ? ORDER BY id",
                              (article_id,))
    newest = {unit: Edit(text, created) for unit, text, created in rows}
    return {unit: edit for unit, edit in newest.items() if edit.text != BACK_TO_MODEL}


def decisions(store: Store, article_id: str) -> dict[str, tuple[str, str | None]]:
    """The newest decision of each unit of one article: unit -> (status, note)."""
    rows = store.conn.execute("SELECT unit, status, note FROM decisions WHERE article_id = ? ORDER BY id",
                              (article_id,))
    return {unit: (status, note) for unit, status, note in rows}


def review_state(store: Store, article_id: str) -> ReviewState:
    article = store.article(article_id)
    count = len(article.paragraphs) if article else 0
    decided = decisions(store, article_id)
    edited = edits(store, article_id)
    paragraphs = {i: _paragraph(decided.get(paragraph_unit(i)), edited.get(paragraph_unit(i)))
                  for i in range(count)}
    abstract = edited.get(UnitName.ABSTRACT)
    touched = bool(edited) or any(status != "unreviewed" for status, _ in decided.values())  # an undo is no touch
    status = _article_status(decided.get(UnitName.ARTICLE, ("unreviewed", None))[0], paragraphs, touched)
    return ReviewState(status, paragraphs, abstract.text if abstract else None)


def _paragraph(decision: tuple[str, str | None] | None, edit: Edit | None) -> ParagraphReview:
    status, note = decision or ("unreviewed", None)
    return ParagraphReview(status, note, edit.text if edit else None, edit.created if edit else None)


def _article_status(own: str, paragraphs: dict[int, ParagraphReview], touched: bool) -> str:
    # a flagged paragraph outranks an earlier approval of the whole: someone found a problem since
    if any(p.status == "flagged" for p in paragraphs.values()):
        return "flagged"
    if own != "unreviewed":
        return own
    if paragraphs and all(p.status == "approved" for p in paragraphs.values()):
        return "approved"
    return "in_review" if touched else "unreviewed"


@dataclass(frozen=True)
class Undo:
    """What one reviewer's action replaced, to put back as new rows (an undo is a revision too)."""

    article_id: str
    what: str  # in words, for the notice
    decisions: tuple[tuple[str, str, str | None], ...] = ()  # (unit, status, note) before the action
    edit: tuple[str, str] | None = None  # (unit, text before the action; BACK_TO_MODEL for none)


def before_decisions(store: Store, article_id: str, units: Iterable[str], what: str) -> Undo:
    decided = decisions(store, article_id)
    return Undo(article_id, what, tuple((u, *decided.get(u, ("unreviewed", None))) for u in units))


def before_edit(store: Store, article_id: str, unit: str, what: str) -> Undo:
    edit = edits(store, article_id).get(unit)
    return Undo(article_id, what, edit=(unit, edit.text if edit else BACK_TO_MODEL))


def undo(store: Store, change: Undo) -> None:
    """Append the rows that restore what `change` recorded, in one transaction."""
    with store.transaction():
        for unit, status, note in change.decisions:
            _insert_decision(store, change.article_id, unit, status, note)
        if change.edit is not None:
            unit, text = change.edit
            store.conn.execute("INSERT INTO edits (article_id, unit, text, base_key, created) VALUES (?,?,?,?,?)",
                               (change.article_id, unit, text, None, now()))


def save_position(store: Store, article_id: str, unit: str) -> None:
    """Where the reviewer looks now: the next review opens here."""
    with store.transaction():
        store.conn.execute("INSERT OR REPLACE INTO review_position VALUES (1, ?, ?, ?)", (article_id, unit, now()))


def last_position(store: Store) -> tuple[str, str] | None:
    row = store.conn.execute("SELECT article_id, unit FROM review_position WHERE id = 1").fetchone()
    return (row[0], row[1]) if row else None


def add_term(store: Store, source: str, target: str, article_id: str | None = None) -> None:
    """A glossary term added from the review; a second add of the same source term replaces it."""
    with store.transaction():
        store.conn.execute("INSERT OR REPLACE INTO glossary VALUES (?,?,?,?)", (source, target, article_id, now()))


def remove_term(store: Store, source: str) -> bool:
    """Remove a term added from the review or `glossary add`; False when the store has no such term."""
    with store.transaction():
        return store.conn.execute("DELETE FROM glossary WHERE source = ?", (source,)).rowcount > 0


def glossary_terms(store: Store) -> dict[str, str]:
    return dict(store.conn.execute("SELECT source, target FROM glossary ORDER BY source").fetchall())
