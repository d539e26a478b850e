"""`summarizer view`: the article list and one article side by side, at 80 and 200 columns, and JSON."""
from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from cli_runner import run_cli
from filled_store import filled_store
from rich.console import Console

from summarizer.store.db import Store
from summarizer.store.review import decide, flags_for, save_edit
from summarizer.views.viewer import ArticleView, list_rows, render_list, render_view


@pytest.fixture
def settings(tmp_path_factory, tiny_models, tmp_path):
    return filled_store(tmp_path_factory.getbasetemp(), tiny_models, tmp_path / "store.db")


def rendered(func, *args, width: int, **kwargs) -> str:
    out = StringIO()
    func(Console(file=out, width=width, force_terminal=False), *args, **kwargs)
    return out.getvalue()


@pytest.mark.parametrize("width", [80, 200])
def test_an_article_side_by_side_fits_the_width_with_flags_and_labels(settings, width):
    with Store.open(settings.store_path) as store:
        article = next(store.articles())
        save_edit(store, article.id, "p1", "The reviewer's English.", None)
        decide(store, article.id, "p0", "flagged", "names wrong")
        text = rendered(render_view, ArticleView.load(store, article.id), width=width)
        flags = flags_for(store, article.id)
    assert "\x1b[" not in text
    assert all(len(line) <= width for line in text.splitlines())
    assert article.title[:4] in text and "Abstract" in text and "Original" in text
    # under 100 columns English is stacked under its Chinese, each line using the whole width
    assert ("Original / English" in text) == (width < 100)
    assert "reviewer's" in text and "edited" in text and "names wrong" in text
    first_flag = next(iter(flags.values()))[0]
    assert f"⚑ {first_flag.check}:" in text


def test_simplified_script_on_request(settings):
    with Store.open(settings.store_path) as store:
        article = next(a for a in store.articles() if a.script == "traditional")
        view = ArticleView.load(store, article.id)
        original = rendered(render_view, view, width=200)
        simplified = rendered(render_view, view, width=200, simplified=True)
    assert "Simplified" in simplified and article.simplified_paragraphs[0][:6] in simplified
    assert article.paragraphs[0][:6] in original


@pytest.mark.parametrize("width", [80, 160])
def test_the_list_shows_every_article_with_status_and_flags(settings, width):
    with Store.open(settings.store_path) as store:
        rows = list_rows(store)
        decide(store, rows[0].id, "p0", "flagged", None)
        text = rendered(render_list, list_rows(store), width=width)
    assert len(rows) == 2 and all(row.flags > 0 for row in rows)  # the tiny models write noise
    assert all(row.id[:8] in text for row in rows) and all(len(line) <= width for line in text.splitlines())
    if width >= 100:
        assert re.search(rf"{rows[0].id[:8]}.*flagged", text)
    else:  # stacked: the headline gets the width, each article a few lines, review beside its headline
        title_line = next(line for line in text.splitlines() if rows[0].title[:6] in line)
        assert "flagged" in title_line and len(text.splitlines()) <= 4 * len(rows) + 6
    # the list uses the terminal: a headline is never cut into a few cells a line
    assert max(len(line) for line in text.splitlines()) >= width - 2


def test_view_cli_by_prefix_path_and_json(settings, capsys):
    with Store.open(settings.store_path) as store:
        article = next(store.articles())
    store_args = ("--store", settings.store_path)
    by_prefix = run_cli(capsys, "view", article.id[:6], *store_args)
    by_path = run_cli(capsys, "view", article.source.path, *store_args)
    assert by_prefix.code == 0 and by_prefix.out == by_path.out and "\x1b[" not in by_prefix.out
    data = json.loads(run_cli(capsys, "view", article.id, "--json", *store_args).out)
    assert data["id"] == article.id and len(data["paragraphs"]) == len(article.paragraphs)
    assert {"unit", "english", "status", "labels", "flags", "review"} <= set(data["paragraphs"][0])
    listed = json.loads(run_cli(capsys, "view", "--json", *store_args).out)
    assert [row["id"] for row in listed] == [row.id for row in list_rows(Store.open(settings.store_path))]


def test_view_cli_errors_are_one_line(settings, capsys):
    missing = run_cli(capsys, "view", "zzzz", "--store", settings.store_path)
    assert missing.code == 2
    assert missing.err == ("error: zzzz: no stored article has this id or source path; "
                           "run 'summarizer view' to list the stored articles\n")
    assert run_cli(capsys, "view", "--store", settings.store_path.parent / "none.db").code == 2


def test_recheck_recomputes_the_flags_of_an_existing_store(settings, capsys):
    with Store.open(settings.store_path) as store:
        before = store.conn.execute("SELECT article_id, unit, check_name, detail FROM flags ORDER BY 1, 2, 3, 4").fetchall()
        store.conn.execute("DELETE FROM flags")
    result = run_cli(capsys, "review", "--recheck", "--store", settings.store_path)
    with Store.open(settings.store_path) as store:
        after = store.conn.execute("SELECT article_id, unit, check_name, detail FROM flags ORDER BY 1, 2, 3, 4").fetchall()
    assert result.code == 0 and result.err == f"{len(before)} flags in {settings.store_path}\n"
    assert after == before
