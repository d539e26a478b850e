"""The SQLite store: cleaned articles and every task result, read by the viewer, exports and briefing.

WAL mode and one short transaction per batch: a run killed at any point leaves the committed batches
intact and the one in flight rolled back. The store migrates when it opens (llm's LogStore).
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Collection, Iterable, Iterator, Sequence

from ..errors import StoreError
from ..serialize import article_from_dict, article_to_dict
from ..types import Article, TaskResult
from .migrations import MIGRATIONS, Migration

# SQLite caps host parameters per statement; look keys up in slices below the old default of 999
_KEYS_PER_QUERY = 900


@dataclass(frozen=True)
class StoredResult:
    """A TaskResult with the identity it was stored under (see keys.result_key)."""

    key: str
    article_id: str
    input_hash: str
    prompt_hash: str
    params: str  # canonical JSON of the generation settings
    created: str
    result: TaskResult


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE takes the write lock up front, so two runs on one store queue instead of failing."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:  # KeyboardInterrupt included: the batch in flight is rolled back, never half-written
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path, *, create: bool = True, migrations: Sequence[Migration] = MIGRATIONS) -> Store:
        """Open (and create, unless told not to) the store at `path` and bring its schema up to date."""
        if not create and not path.is_file():
            raise StoreError(str(path), "no store here yet", "run 'summarizer run PATH...' first, or pass --store")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: no implicit transactions; every write goes through transaction()
            conn = sqlite3.connect(path, isolation_level=None, timeout=60)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a killed process loses no commit
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, path)
            store.migrate(migrations)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise StoreError(str(path), f"cannot open the store ({exc})",
                             "check the path, or move the file away and run again") from exc
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
        """Apply the migrations this store lacks, in order, each in its own transaction."""
        self.conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        unknown = self.migrations() - {m.__name__ for m in MIGRATIONS}
        if unknown:
            raise StoreError(str(self.path), f"written by a newer summarizer (schema {', '.join(sorted(unknown))})",
                             "upgrade summarizer or pass --store with another file")
        applied = []
        for func in migrations:
            with transaction(self.conn):
                # checked inside the write lock: another process may have just applied it
                if func.__name__ in self.migrations():
                    continue
                func(self.conn)
                self.conn.execute("INSERT INTO _migrations VALUES (?, ?)", (func.__name__, now()))
                applied.append(func.__name__)
        return applied

    def migrations(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT name FROM _migrations")}

    def transaction(self):
        return transaction(self.conn)

    def add_articles(self, articles: Iterable[Article]) -> None:
        """Insert-or-ignore: an article is its content, so the first file that brought it is kept."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [_article_row(a) for a in articles])

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        return article_from_dict(json.loads(row[0])) if row else None

    def articles(self) -> Iterator[Article]:
        """Every article, in the order they were first stored."""
        for (data,) in self.conn.execute("SELECT data FROM articles ORDER BY rowid").fetchall():
            yield article_from_dict(json.loads(data))

    def done_keys(self, keys: Collection[str]) -> set[str]:
        """The keys among `keys` whose result is done: the work a re-run can skip."""
        keys = list(keys)
        found: set[str] = set()
        for i in range(0, len(keys), _KEYS_PER_QUERY):
            part = keys[i:i + _KEYS_PER_QUERY]
            sql = f"SELECT key FROM results WHERE status = 'done' AND key IN ({','.join('?' * len(part))})"
            found.update(row[0] for row in self.conn.execute(sql, part))
        return found

    def save_results(self, results: Iterable[StoredResult]) -> None:
        """Insert, or replace a pending or failed row under the same key; a done row is never overwritten."""
        self.conn.executemany("""
            INSERT INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT (key) DO UPDATE SET
                status = excluded.status, text = excluded.text, chunks = excluded.chunks,
                chunking = excluded.chunking, reason = excluded.reason, created = excluded.created
            WHERE results.status != 'done'""", [_result_row(r) for r in results])

    def results(self, article_id: str) -> list[StoredResult]:
        rows = self.conn.execute("SELECT * FROM results WHERE article_id = ? ORDER BY rowid", (article_id,))
        return [_result_from_row(row) for row in rows]


def pick_current(results: Iterable[StoredResult], task: str, unit: str, input_hash: str) -> StoredResult | None:
    """The result a view shows for one unit: for its current input, done before pending or failed,
    a model before the extractive stand-in, then the newest."""
    candidates = [r for r in results
                  if r.result.task == task and r.result.unit == unit and r.input_hash == input_hash]
    return max(candidates, key=_preference, default=None)


def _preference(r: StoredResult) -> tuple[bool, bool, str]:
    return r.result.status == "done", r.result.method == "model", r.created


def _article_row(a: Article) -> tuple:
    s = a.source
    return (a.id, a.title, a.date, a.outlet, a.author, a.script, s.path, s.sha256, s.encoding,
            json.dumps(article_to_dict(a), ensure_ascii=False), now())


def _result_row(r: StoredResult) -> tuple:
    t = r.result
    return (r.key, r.article_id, t.task, t.unit, r.input_hash, t.method, t.model, t.revision,
            r.prompt_hash, r.params, t.status, t.text, t.chunks, t.chunking, t.reason, r.created)


def _result_from_row(row: tuple) -> StoredResult:
    (key, article_id, task, unit, input_hash, method, model, revision, prompt_hash, params,
     status, text, chunks, chunking, reason, created) = row
    result = TaskResult(task=task, unit=unit, text=text, status=status, method=method, model=model,
                        revision=revision, chunks=chunks, chunking=chunking, reason=reason)
    return StoredResult(key, article_id, input_hash, prompt_hash, params, created, result)
