"""How real `summarizer` processes open a store: a damaged one is refused and never written, another
program's database is left alone, reading commands never wait for a run, a lock is one line."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from test_cli_run import no_models  # noqa: F401  (fixture)

from summarizer.cli import cli
from summarizer.errors import StoreError
from summarizer.store.db import Store
from summarizer.store.migrations import APPLICATION_ID, MIGRATIONS

SUMMARIZER = str(Path(sys.executable).with_name("summarizer"))
HANG = 30  # seconds: a command still running by then hangs on a lock (readers used to wait 60 s)


def summarizer(*args, timeout: float = HANG) -> subprocess.CompletedProcess:
    return subprocess.run([SUMMARIZER, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def error_line(proc: subprocess.CompletedProcess) -> str:
    """The one error line of a command that exited 2, without a traceback."""
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert proc.returncode == 2 and len(errors) == 1, proc.stderr
    return errors[0]


@pytest.fixture
def store_file(tmp_path, no_models) -> Path:  # noqa: F811
    """A store made by a real run of two samples (models missing: extractive abstracts, pending translations)."""
    inputs = tmp_path / "two"
    inputs.mkdir()
    for sample in sorted(SAMPLES.glob("*.txt"))[:2]:
        (inputs / sample.name).write_bytes(sample.read_bytes())
    db = tmp_path / "store.db"
    result = CliRunner().invoke(cli, ["run", str(inputs), "--config", str(no_models), "--store", str(db), "-q"])
    assert result.exit_code == 0, result.output
    assert not Path(f"{db}-wal").exists()  # the last connection checkpointed: the store is one file
    return db


def commands(tmp_path: Path, config: Path) -> list[list]:
    """Every command that opens the store, reading and writing."""
    return [["view"], ["view", "--json"], ["export", "--out", tmp_path / "out"],
            ["brief", "--out", tmp_path / "brief.md", "--config", config],
            ["run", SAMPLES, "--config", config], ["review", "--recheck"]]


@pytest.mark.parametrize("offset", [0, 4096, "middle", "last"])
def test_a_damaged_store_is_refused_by_every_command_and_never_written(store_file, tmp_path, no_models,  # noqa: F811
                                                                       offset):
    size = store_file.stat().st_size
    at = {"middle": size // 2 // 4096 * 4096, "last": size - 4096}.get(offset, offset)
    with store_file.open("r+b") as handle:
        handle.seek(at)
        handle.write(os.urandom(4096))
    damaged = store_file.read_bytes()
    every = commands(tmp_path, no_models)
    for args in every if offset == 4096 else [every[0], every[4]]:  # the others: a reader and a writer
        line = error_line(summarizer(*args, "--store", store_file))
        assert line.startswith(f"error: {store_file}: ") and "damaged" in line and "backup" in line, line
        if offset != 0:  # with its header gone SQLite cannot even read it; otherwise .recover saves the rest
            assert f"sqlite3 {store_file} .recover | sqlite3 " in line
        assert store_file.read_bytes() == damaged, f"{args[0]} wrote to a damaged store"
        assert not Path(f"{store_file}-wal").exists() or not Path(f"{store_file}-wal").stat().st_size


@pytest.mark.parametrize("their_tables", [
    ["CREATE TABLE notes (body TEXT)"],
    # another tool's own migrations table must not pass for ours
    ["CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT)", "INSERT INTO _migrations VALUES ('init', '')",
     "CREATE TABLE articles (id TEXT)"],
])
def test_another_programs_database_is_refused_and_left_as_it_was(tmp_path, no_models, their_tables):  # noqa: F811
    db = tmp_path / "theirs.db"
    with sqlite3.connect(db) as conn:
        for sql in their_tables:
            conn.execute(sql)
    conn.close()
    before = db.read_bytes()
    every = commands(tmp_path, no_models)
    for args in every if len(their_tables) == 1 else [every[0], every[4]]:
        line = error_line(summarizer(*args, "--store", db))
        assert line == (f"error: {db}: an SQLite database of another program, not a summarizer store; "
                        "pass --store with a summarizer store, or a new file name to make one")
    assert db.read_bytes() == before


def test_our_stores_are_marked(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_store_from_before_the_mark_opens_and_is_marked(tmp_path):
    with Store.open(tmp_path / "s.db", migrations=MIGRATIONS[:3]) as store:  # the schema that shipped unmarked
        assert store.conn.execute("PRAGMA application_id").fetchone()[0] == 0
    with Store.open(tmp_path / "s.db", read_only=True) as store:  # a reading command migrates it once
        assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert store.migrations() == {m.__name__ for m in MIGRATIONS}


@pytest.fixture
def writer_holding_the_lock(store_file):
    """Another process in the middle of a write transaction, as a run is between its batches."""
    holder = sqlite3.connect(store_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO glossary VALUES ('词', 'word', NULL, 'now')")
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


def test_reading_commands_do_not_wait_for_a_writer(store_file, tmp_path, no_models,  # noqa: F811
                                                   writer_holding_the_lock):
    for args in commands(tmp_path, no_models)[:4]:
        proc = summarizer(*args, "--store", store_file)
        assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_reader_locked_out_says_so_and_does_not_hang(store_file):
    holder = sqlite3.connect(store_file, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")  # holds the whole file, as a writer without WAL would
    holder.execute("BEGIN EXCLUSIVE")
    try:
        line = error_line(summarizer("view", "--store", store_file))
    finally:
        holder.close()
    assert line == f"error: {store_file}: locked by another process; try again when it has finished"


def test_a_reader_that_must_migrate_under_a_held_lock_says_so(tmp_path):
    db = tmp_path / "old.db"
    Store.open(db, migrations=MIGRATIONS[:3]).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        line = error_line(summarizer("view", "--store", db))
    finally:
        holder.close()
    assert line == f"error: {db}: locked by another process; try again when it has finished"


def test_a_writer_that_cannot_get_the_lock_in_time_gets_one_store_error(store_file, writer_holding_the_lock):
    with Store.open(store_file, timeout=0.1) as store:  # no migration due: opening takes no lock
        with pytest.raises(StoreError) as raised:
            with store.transaction():
                pass
        assert not store.conn.in_transaction
    assert raised.value.line() == f"{store_file}: locked by another process; try again when it has finished"


def in_mount_namespace(tmp_path: Path, script: str, env: dict[str, str]) -> None:
    """Run a shell script as root of its own user and mount namespace, where it may mount a small
    tmpfs (read-only, or filled up) that vanishes with it; skipped where that is not permitted."""
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {tmp_path}"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs in a user namespace here: {probe.stderr.decode(errors='replace')}")
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], env={**os.environ, **env}, timeout=3 * HANG,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def outcome(tmp_path: Path, name: str) -> subprocess.CompletedProcess:
    """What the script recorded of one command: NAME.rc, NAME.out, NAME.err."""
    read = lambda suffix: (tmp_path / f"{name}.{suffix}").read_text(encoding="utf-8")  # noqa: E731
    return subprocess.CompletedProcess(name, int(read("rc")), read("out"), read("err"))


RECORD = 'record() { name=$1; shift; "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; echo $? >"$OUT/$name.rc"; }\n'


def test_a_store_on_read_only_media_is_read_and_writing_to_it_is_one_line(store_file, tmp_path, no_models):  # noqa: F811
    media = tmp_path / "media"
    media.mkdir()
    in_mount_namespace(media, RECORD + """set -e
        mount -t tmpfs -o size=4m tmpfs "$MEDIA"; cp "$DB" "$MEDIA/s.db"; mount -o remount,ro "$MEDIA"; set +e
        record view "$S" view --store "$MEDIA/s.db"
        record export "$S" export --store "$MEDIA/s.db" --out "$OUT/export"
        record brief "$S" brief --store "$MEDIA/s.db" --out "$OUT/brief.md"
        record run "$S" run "$SAMPLES" --config "$CONFIG" --store "$MEDIA/s.db"
        record recheck "$S" review --recheck --store "$MEDIA/s.db"
        """, {"MEDIA": str(media), "DB": str(store_file), "OUT": str(tmp_path), "S": SUMMARIZER,
              "SAMPLES": str(SAMPLES), "CONFIG": str(no_models)})
    for name in ("view", "export", "brief"):
        assert outcome(tmp_path, name).returncode == 0, outcome(tmp_path, name).stderr
    assert len((tmp_path / "export" / "articles.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    assert "# " in (tmp_path / "brief.md").read_text(encoding="utf-8")
    for name in ("run", "recheck"):
        assert error_line(outcome(tmp_path, name)) == (
            f"error: {media}/s.db: the store is read-only; make the file and its folder writable, "
            "or copy it somewhere writable and pass --store COPY")


# opened: a reader has made the -shm and -wal files before the disk filled, so the run fails on its
# first write to the -wal, not on making the -shm file
@pytest.mark.parametrize("opened", [False, True])
def test_a_full_disk_is_one_line_and_the_store_stays_whole(store_file, tmp_path, no_models, opened):  # noqa: F811
    disk = tmp_path / "disk"
    disk.mkdir()
    in_mount_namespace(disk, RECORD + f"""set -e
        mount -t tmpfs -o size=1m tmpfs "$DISK"; cp "$DB" "$DISK/s.db"
        {'"$S" view --store "$DISK/s.db" >/dev/null' if opened else ''}
        dd if=/dev/zero of="$DISK/filler" bs=4k 2>/dev/null || true; set +e
        record run "$S" run "$SAMPLES" --config "$CONFIG" --store "$DISK/s.db"
        rm "$DISK/filler"
        record after "$S" view --json --store "$DISK/s.db"
        """, {"DISK": str(disk), "DB": str(store_file), "OUT": str(tmp_path), "S": SUMMARIZER,
              "SAMPLES": str(SAMPLES), "CONFIG": str(no_models)})
    assert error_line(outcome(tmp_path, "run")) == (
        f"error: {disk}/s.db: the disk is full; free some space and run the command again; finished work is kept")
    after = outcome(tmp_path, "after")
    assert after.returncode == 0 and after.stdout.count('"id"') == 2, after.stderr


@pytest.mark.parametrize("overwrite", [b"\xff\xfe", b"}}"])  # not UTF-8; not JSON
def test_an_article_row_damaged_inside_its_text_is_one_line(store_file, overwrite):
    data = store_file.read_bytes()
    at = data.index(b'"body_paragraphs"')  # inside an article's JSON: every page stays well formed
    store_file.write_bytes(data[:at] + overwrite + data[at + len(overwrite):])
    line = error_line(summarizer("view", "--json", "--store", store_file))
    assert line.startswith(f"error: {store_file}: the store is damaged (") and ".recover" in line
