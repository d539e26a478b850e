"""An export into a folder used before leaves exactly its own files: the pages an earlier export of
the same format wrote for articles no longer selected are gone, a user's own files stay."""
from __future__ import annotations

import pytest
from cli_runner import run_cli
from test_export import HARD, fill, review
from test_export_files import LATER

from summarizer import load_settings
from summarizer.store.db import Store
from summarizer.store.review import approve_article


@pytest.fixture
def store():
    with Store.open(load_settings().store_path) as opened:
        fill(opened)
        review(opened)
        with opened.transaction():
            opened.add_articles([LATER])
        approve_article(opened, LATER.id, len(LATER.paragraphs))  # HARD stays flagged
        yield opened


def names(folder) -> set[str]:
    return {path.name for path in folder.iterdir()}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_approved_export_over_a_full_one_leaves_only_the_approved_pages(store, tmp_path, capsys, fmt):
    out = tmp_path / "out"
    out.mkdir()
    mine = {"notes.md": "my notes", f"{'ab' * 8}-draft.{fmt}": "mine", f"{'0' * 64}.txt": "mine too"}
    for name, text in mine.items():
        (out / name).write_text(text, encoding="utf-8")
    assert run_cli(capsys, "export", "--format", fmt, "--out", out).code == 0
    assert names(out) == set(mine) | {f"{HARD.id}.{fmt}", f"{LATER.id}.{fmt}", f"index.{fmt}"}

    assert run_cli(capsys, "export", "--format", fmt, "--out", out, "--status", "approved").code == 0
    assert names(out) == set(mine) | {f"{LATER.id}.{fmt}", f"index.{fmt}"}
    assert HARD.id not in (out / f"index.{fmt}").read_text(encoding="utf-8")
    assert all((out / name).read_text(encoding="utf-8") == text for name, text in mine.items())


def test_pages_of_an_older_version_and_of_another_format_stay_consistent(store, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{HARD.id[:16]}.md").write_text("a page named by a 16-digit id", encoding="utf-8")
    assert run_cli(capsys, "export", "--format", "html", "--out", out).code == 0
    assert run_cli(capsys, "export", "--format", "md", "--out", out, "--status", "approved").code == 0
    # the html export stays whole beside the md one; the old-style md page is gone
    assert names(out) == {f"{HARD.id}.html", f"{LATER.id}.html", "index.html", f"{LATER.id}.md", "index.md"}


def test_a_stale_page_that_is_a_link_is_removed_not_followed(store, tmp_path, capsys):
    outside = tmp_path / "outside.md"
    outside.write_text("not ours", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{'f' * 64}.md").symlink_to(outside)
    assert run_cli(capsys, "export", "--format", "md", "--out", out).code == 0
    assert not (out / f"{'f' * 64}.md").is_symlink() and outside.read_text(encoding="utf-8") == "not ours"
