"""Long units as stored pieces: bounded work whatever the file size, and nothing recomputed after a kill."""
from __future__ import annotations

import dataclasses

import pytest
from conftest import SAMPLES
from tiny_models import tiny_spec

from summarizer import load_settings
from summarizer.errors import ConfigError
from summarizer.pieces import piece_spans
from summarizer.pipeline import run
from summarizer.store.current import current
from summarizer.store.db import Store


@pytest.mark.parametrize("limit", [5, 40, 1000])
def test_pieces_partition_the_text_within_the_limit_and_prefer_sentence_ends(limit):
    text = "第一句话很短。第二句话比第一句长一些，还有逗号！" * 7 + "没有句号的长尾巴" * 9
    spans = piece_spans(text, limit)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))  # no gap, no overlap
    assert all(0 < end - start <= limit for start, end in spans)
    if limit == 40:  # two whole sentences fit: every cut but the tail's is after a sentence end
        assert all(text[end - 1] in "。！" for _, end in spans[:-2])


def _settings(tiny_models, piece_chars):
    settings = load_settings()
    models = dict(settings.models, **{task: tiny_spec(settings.models[task], tiny_models[task])
                                      for task in ("abstract", "translate")})
    return dataclasses.replace(settings, models=models, piece_chars=piece_chars)


def _long_article(tmp_path):
    lines = sorted(SAMPLES.glob("*.txt"))[1].read_text(encoding="utf-8").splitlines()
    body = "".join(line for line in lines if len(line) > 60)
    path = tmp_path / "long.txt"
    path.write_text(lines[0] + "\n" + body * 2 + "\n", encoding="utf-8")
    return path


def _rows(store):
    return {(task, unit): (status, created) for task, unit, status, created in
            store.conn.execute("SELECT task, unit, status, created FROM results")}


def test_a_long_paragraph_is_translated_in_stored_pieces_and_resumes_piece_by_piece(tiny_models, tmp_path):
    settings = _settings(tiny_models, piece_chars=600)
    path = _long_article(tmp_path)
    with Store.open(settings.store_path) as store:
        run([path], settings, store)
        rows = _rows(store)
        (article,) = store.articles()
        shown = current(store, article)
        first = shown.paragraphs[0].result.result
        pieces = sorted((u for t, u in rows if t == "translate" and u.startswith("p0#")),
                        key=lambda u: int(u.rsplit(".", 1)[1]))
        assert len(pieces) == first.chunks >= len(article.simplified_paragraphs[0]) // 600
        texts = dict(store.conn.execute("SELECT unit, text FROM results WHERE task = 'translate'").fetchall())
        assert first.text == " ".join(texts[u] for u in pieces) and first.chunking == "pieces"
        assert any(u.startswith("abstract#") for t, u in rows if t == "abstract")  # the map step is stored
        # as if killed after some pieces: the unit and one piece are gone, the rest stay
        store.conn.execute("DELETE FROM results WHERE unit IN ('p0', ?)", (pieces[1],))
        report = run([path], settings, store)
        after = _rows(store)
    assert report.total("new") == 1
    kept = {k: v for k, v in rows.items() if k not in {("translate", "p0"), ("translate", pieces[1])}}
    assert {k: after[k] for k in kept} == kept  # not recomputed
    assert after[("translate", "p0")][0] == "done"
    with Store.open(settings.store_path) as store:
        assert current(store, article).paragraphs[0].result.result.text == first.text


def test_a_piece_limit_below_a_paragraph_is_refused(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[input]\npiece_chars = 10\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="piece_chars must be at least"):
        load_settings(config)
