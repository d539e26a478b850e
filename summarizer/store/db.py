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
from ..types import Article, Task, TaskResult
from .connection import connect, damaged
from .migrations import MIGRATIONS, Migration
from .schema import check_header, check_integrity, inspect

# SQLite caps host parameters per statement; look keys up in slices below the old default of 999
_KEYS_PER_QUERY = 900
# seconds to wait for another process's lock: a run waits out another run's batch; a reading
# command only ever waits for a migration, or a writer that holds the whole file
WRITE_TIMEOUT, READ_TIMEOUT = 60.0, 2.0


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


@contextmanager
def _closed_on_error(conn: sqlite3.Connection) -> Iterator[None]:
    try:
        yield
    except BaseException:
        conn.close()
        raise


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE takes the write lock up front, so two runs on one store queue instead of failing."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:  # KeyboardInterrupt included: the batch in flight is rolled back, never half-written
        if conn.in_transaction:  # SQLite has already rolled back after a full disk or an I/O error
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class Store:
    """A connection to one store. Writing commands open it with Store.open, reading ones with
    read_only=True: those never take the write lock unless a migration is due, and they work on a
    read-only file or medium."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path, *, create: bool = True, read_only: bool = False,
             migrations: Sequence[Migration] = MIGRATIONS, timeout: float | None = None) -> Store:
        """Open the store at `path` (made if missing, when `create` and not `read_only`), refuse a
        file that is not one of our stores or is damaged, and bring its schema up to date.
        `timeout`: seconds to wait for another process's lock (a run waits for another run's batch)."""
        if (read_only or not create) and not path.is_file():
            raise StoreError(str(path), "no store here yet", "run 'summarizer run PATH...' first, or pass --store")
        if path.is_file():
            check_header(path)
        if read_only:
            return cls._open_read_only(path, migrations, READ_TIMEOUT if timeout is None else timeout)
        if create:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(str(path), f"cannot make its folder ({exc.strerror})",
                                 "check the path, or pass --store with another file") from exc
        return cls._open_writable(path, migrations, WRITE_TIMEOUT if timeout is None else timeout)

    @classmethod
    def _open_writable(cls, path: Path, migrations: Sequence[Migration], timeout: float) -> Store:
        conn = connect(path, read_only=False, timeout=timeout)
        store = cls(conn, path)
        with _closed_on_error(conn):
            found = inspect(conn, path, migrations)
            if not found.blank:
                check_integrity(conn, path)  # before anything is written to it
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a killed process loses no commit
            conn.execute("PRAGMA foreign_keys = ON")
            if found.pending:  # the write lock is taken only now, and only when a migration is due
                store.migrate(found.pending)
        return store

    @classmethod
    def _open_read_only(cls, path: Path, migrations: Sequence[Migration], timeout: float) -> Store:
        conn = connect(path, read_only=True, timeout=timeout)
        with _closed_on_error(conn):
            found = inspect(conn, path, migrations)
            if found.blank:
                raise StoreError(str(path), "an empty file, no store yet", "run 'summarizer run PATH...' first")
            if not found.pending:
                check_integrity(conn, path)
                return cls(conn, path)
        conn.close()
        # an older schema: upgraded once, under the write lock, then read as usual
        cls.open(path, create=False, migrations=migrations, timeout=timeout).close()
        return cls._open_read_only(path, migrations, timeout)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
        """Apply the migrations this store lacks, in order, each in its own transaction; user_version
        counts the migrations applied."""
        applied = []
        for func in migrations:
            with transaction(self.conn):
                self.conn.execute(
                    "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
                # checked inside the write lock: another process may have just applied it
                if func.__name__ in self.migrations():
                    continue
                func(self.conn)
                self.conn.execute("INSERT INTO _migrations VALUES (?, ?)", (func.__name__, now()))
                self.conn.execute(f"PRAGMA user_version = {len(self.migrations())}")
                applied.append(func.__name__)
        return applied

    def migrations(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT name FROM _migrations")}

    def transaction(self):
        return transaction(self.conn)

    def add_articles(self, articles: Iterable[Article]) -> None:
        """Insert-or-keep: an article is its content, so the first file that brought it is kept. An id
        stored for other content would be a digest collision: refused, never dropped silently."""
        for article in articles:
            row = _article_row(article)
            if self.conn.execute("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
                                 row).rowcount == 0:
                kept = self.article(article.id)
                if kept is None or (kept.title, kept.paragraphs) != (article.title, article.paragraphs):
                    raise StoreError(str(self.path), f"article id {article.id} is already stored for other text "
                                     f"({article.source.path})", "report this as a bug")

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        return self._decoded(row[0]) if row else None

    def articles(self) -> Iterator[Article]:
        """Every article, in the order they were first stored."""
        for (data,) in self.conn.execute("SELECT data FROM articles ORDER BY rowid").fetchall():
            yield self._decoded(data)

    def _decoded(self, data: str) -> Article:
        try:
            return article_from_dict(json.loads(data))
        except (ValueError, KeyError, TypeError) as exc:  # rows pass quick_check, their text does not parse
            raise damaged(self.path, f"an article row does not parse: {exc}") from exc

    def done_keys(self, keys: Collection[str]) -> set[str]:
        """The keys among `keys` whose result is done: the work a re-run can skip."""
        keys = list(keys)
        found: set[str] = set()
        for i in range(0, len(keys), _KEYS_PER_QUERY):
            part = keys[i:i + _KEYS_PER_QUERY]
            sql = f"SELECT key FROM results WHERE status = 'done' AND key IN ({','.join('?' * len(part))})"
            found.update(row[0] for row in self.conn.execute(sql, part))
        return found

    def save_results(self, results: Iterable[StoredResult]) -> set[str]:
        """Insert, or replace a pending or failed row under the same key; a done row is never overwritten.
        The keys of the rows this call wrote: another run may have stored some of them first."""
        written = set()
        for result in results:
            if self.conn.execute("""
                    INSERT INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                    ON CONFLICT (key) DO UPDATE SET
                        status = excluded.status, text = excluded.text, chunks = excluded.chunks,
                        chunking = excluded.chunking, reason = excluded.reason, created = excluded.created
                    WHERE results.status != 'done'""", _result_row(result)).rowcount:
                written.add(result.key)
        return written

    def results(self, article_id: str) -> list[StoredResult]:
        rows = self.conn.execute("SELECT * FROM results WHERE article_id = ? ORDER BY rowid", (article_id,))
        return [_result_from_row(row) for row in rows]


def pick_current(results: Iterable[StoredResult], task: Task, unit: str, input_hash: str) -> StoredResult | None:
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
    result = TaskResult(task=Task(task), unit=unit, text=text, status=status, method=method, model=model,
                        revision=revision, chunks=chunks, chunking=chunking, reason=reason)
    return StoredResult(key, article_id, input_hash, prompt_hash, params, created, result)
