"""`summarizer brief`: grouping and merging without a model, and the briefing of the stored samples
with the tiny models (overview from the real generate()) or with the briefing model missing."""
from __future__ import annotations

import dataclasses
import re
from datetime import date
from html import escape as html_escape
from pathlib import Path

import pytest
from cli_runner import run_cli
from conftest import CORPUS_RAW, SAMPLES

from summarizer import load_settings
from summarizer.clean import clean_file
from summarizer.models.fingerprint import folder_revision
from summarizer.store.db import Store
from summarizer.views.brief import group
from summarizer.views.records import Selection, select_records
from summarizer.views.templates import markdown_escape

UNRELATED = ("01_xinhua_france_strike.html", "09_p2p_security_report_long.txt")
XSS = "<img src=x onerror=alert(1)>"


def cleaned(*paths):
    settings = load_settings()
    return [clean_file(path, settings) for path in paths]


def samples():
    return cleaned(*sorted(SAMPLES.glob("*.txt")))


def twin(article, outlet="南国早报"):
    """The same story from another outlet: a few characters changed, another headline word."""
    paragraphs = tuple(p.replace("医", "醫", 1) if i == 1 else p for i, p in enumerate(article.simplified_paragraphs))
    return dataclasses.replace(article, outlet=outlet, title=(article.title or "") + "（转载）",
                               simplified_title=(article.simplified_title or "") + "（转载）",
                               paragraphs=paragraphs, simplified_paragraphs=paragraphs)


def topics_of(store, articles):
    with store.transaction():
        store.add_articles(articles)
    return group(select_records(store, Selection()))


@pytest.mark.skipif(not CORPUS_RAW.is_dir(), reason="../shared/corpus is not beside the checkout")
def test_the_samples_form_one_topic_and_unrelated_articles_stay_out(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        topics = topics_of(store, samples() + cleaned(*(CORPUS_RAW / name for name in UNRELATED)))
    sources = [{s.article_id for i in t.items for s in i.sources} for t in topics]
    ids = [a.id for a in samples()]
    assert sources[0] == set(ids)  # the biggest topic first
    assert len(topics) == 3 and all(len(s) == 1 for s in sources[1:])
    assert all(len(i.sources) == 1 for t in topics for i in t.items)  # similar stories are not one event


def test_near_identical_articles_become_one_item_with_both_sources(tmp_path):
    original = samples()[2]
    copy = twin(original)
    with Store.open(tmp_path / "s.db") as store:
        topics = topics_of(store, samples() + [copy])
    merged = [i for t in topics for i in t.items if len(i.sources) > 1]
    assert len(merged) == 1 and len(topics) == 1 and topics[0].items.__len__() == 5
    assert {s.outlet for s in merged[0].sources} == {original.outlet, "南国早报"}


@pytest.fixture(scope="module")
def stored(tiny_models, tmp_path_factory):
    """The samples and an article with a hostile title, run through the tiny models once."""
    from tiny_models import tiny_spec

    from summarizer.pipeline import run

    base = load_settings()
    settings = dataclasses.replace(base, store_path=tmp_path_factory.mktemp("brief") / "s.db", models={
        **base.models, **{t: tiny_spec(base.models[t], tiny_models[t]) for t in ("abstract", "translate")}})
    hostile = dataclasses.replace(samples()[1], title=XSS, simplified_title=XSS, outlet="<b>Outlet</b>")
    with Store.open(settings.store_path) as store:
        run([SAMPLES], settings, store)
        with store.transaction():
            store.add_articles([hostile])
    return settings.store_path, tiny_models


def config(tmp_path, store_path, briefing_id) -> str:
    text = (f'[store]\npath = "{store_path}"\n[models.briefing]\nid = "{briefing_id}"\ndevice = "cpu"\n'
            '[models.briefing.generation]\nnum_beams = 1\nmax_new_tokens = 8\nno_repeat_ngram_size = 0\n')
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_briefing_of_the_samples_with_the_tiny_models(stored, tmp_path, capsys):
    store_path, models = stored
    out = tmp_path / "brief.md"
    result = run_cli(capsys, "brief", "--config", config(tmp_path, store_path, models["abstract"]), "--out", out)
    assert result.code == 0 and "warning" not in result.err, result.err
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"# Briefing, {date.today().isoformat()}\n\n6 articles from ")
    revision = folder_revision(models["abstract"])  # a local folder's revision is the digest of its files
    assert f"Condensed by {markdown_escape(models['abstract'])} (revision {revision})" in text
    assert "No overview" not in text
    assert text.count("\n## 1. ") == 1 and "\n## 2. " not in text  # the samples are one topic
    assert text.count("\n### ") == 5  # the hostile copy of sample 1 is the same story: merged
    assert "Sources: " in text and "\\<b\\>Outlet\\</b\\>" in text and "<b>" not in text
    assert "**Check:** unreviewed" in text
    assert "Keywords" not in text and not re.search(r"^Keywords", text, re.M)
    assert "loading the briefing model" in result.err and "condensing 5 stories with" in result.err
    assert "wrote " in result.err and "5 stories in 1 topic from 6 articles" in result.err


def test_a_second_format_of_the_same_briefing_reads_the_overview_from_the_store(stored, tmp_path, capsys):
    """The first briefing generates and stores the overview; the second (another format) loads no model."""
    store_path, models = stored
    cfg = config(tmp_path, store_path, models["abstract"])
    first = run_cli(capsys, "brief", "--config", cfg, "--out", tmp_path / "a.md")
    assert first.code == 0
    second = run_cli(capsys, "brief", "--config", cfg, "--out", tmp_path / "a.html")
    assert second.code == 0 and "loading the briefing model" not in second.err
    assert "overview: read from the store" in second.err
    md, html = ((tmp_path / name).read_text(encoding="utf-8") for name in ("a.md", "a.html"))
    overview = md.split("## Overview\n\n")[1].split("\n")[0]
    assert overview and html_escape(overview) in html
    # another setting of the model is another overview: made afresh, never taken from the store
    changed = Path(cfg).read_text(encoding="utf-8").replace("max_new_tokens = 8", "max_new_tokens = 9")
    (tmp_path / "changed.toml").write_text(changed, encoding="utf-8")
    third = run_cli(capsys, "brief", "--config", tmp_path / "changed.toml", "--out", tmp_path / "b.md")
    assert third.code == 0 and "loading the briefing model" in third.err


def test_without_the_briefing_model_the_briefing_says_so(stored, tmp_path, capsys):
    store_path, _ = stored
    missing = tmp_path / "no-briefing-model"
    out = tmp_path / "brief.html"
    result = run_cli(capsys, "brief", "--config", config(tmp_path, store_path, missing), "--out", out,
                     "--since", "2025-01-01")
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: 2 undated articles left out by --since/--until (no date was found in them); 'summarizer view' "
        "lists them",
        f"warning: {missing}: briefing model folder has no config.json; point models.briefing.id "
        "in config.toml at a saved model folder (the briefing was written without an overview)"]
    text = out.read_text(encoding="utf-8")
    # the operator's message (a path, what to configure) is for stderr; the reader learns only the fact
    assert "No overview is available for this briefing." in text and str(missing) not in text
    assert "config.toml" not in text
    assert "3 articles from 3 outlets" in text and "dated 2025-04-07 to 2025-04-18" in text
    assert XSS not in text and "&lt;img src=x onerror=alert(1)&gt;" in text and "&lt;b&gt;Outlet" in text


def test_a_briefing_file_must_be_md_or_html(stored, tmp_path, capsys):
    store_path, models = stored
    result = run_cli(capsys, "brief", "--store", store_path, "--out", tmp_path / "brief.txt")
    assert (result.code, result.err) == (2, f"error: {tmp_path / 'brief.txt'}: a briefing is written as .md or "
                                            ".html; name a FILE.md or FILE.html\n")
    assert not (tmp_path / "brief.txt").exists()
