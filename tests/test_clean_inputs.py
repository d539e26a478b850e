"""Every kind of input users have: encodings, HTML, and bad files made at test time."""
from __future__ import annotations

import json
import os
import random

import pytest

from cli_runner import run_cli
from conftest import CORPUS_RAW, SAMPLES
from summarizer.clean import clean_bytes, clean_file
from summarizer.config import load_settings
from summarizer.errors import InputError

SIMPLIFIED = SAMPLES / "002_791dd3d8db90d360.txt"
TRADITIONAL = CORPUS_RAW / "02_ltn_myanmar_quake_factories.txt"


def encodable(text: str, codec: str) -> str:
    """The text without the few characters (NBSP, bullets, ©) that a legacy codec has no bytes for."""
    return "".join(ch for ch in text if ch.encode(codec, errors="ignore"))


@pytest.fixture(scope="module")
def settings():
    return load_settings()


@pytest.fixture(scope="module")
def reference(settings):
    return clean_file(SIMPLIFIED, settings)


@pytest.mark.parametrize("codec,expected", [
    ("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-16", "utf-16"), ("utf-8-sig", "utf-8-bom"),
])
def test_simplified_sample_read_in_every_encoding(settings, codec, expected):
    text = encodable(SIMPLIFIED.read_text(encoding="utf-8"), "gbk")
    article = clean_bytes(text.encode(codec), "x.txt", settings)
    reference = clean_bytes(text.encode("utf-8"), "x.txt", settings)
    assert article.source.encoding == expected
    assert article.paragraphs == reference.paragraphs and article.title == reference.title
    assert len(article.paragraphs) >= 10


@pytest.mark.parametrize("codec", ["big5", "big5hkscs"])
def test_traditional_page_read_from_big5(settings, codec):
    text = encodable(TRADITIONAL.read_text(encoding="utf-8"), "big5")
    article = clean_bytes(text.encode(codec), "tw.txt", settings)
    assert article.source.encoding == "big5hkscs"
    assert article.paragraphs == clean_file(TRADITIONAL, settings).paragraphs
    assert article.script == "traditional"


def test_html_whose_meta_charset_lies_is_read_as_utf8(settings):
    page = (CORPUS_RAW / "01_xinhua_france_strike.html").read_text(encoding="utf-8")
    lying = page.replace("<head>", '<head><meta charset="gb2312">', 1).encode("utf-8")
    article = clean_bytes(lying, "lie.html", settings)
    assert article.source.encoding == "utf-8" and article.source.format == "html"
    assert "631公里" in "".join(article.paragraphs)


def test_html_told_by_content_not_suffix(settings):
    data = (CORPUS_RAW / "01_xinhua_france_strike.html").read_bytes()
    assert clean_bytes(data, "page.txt", settings).source.format == "html"


def test_deep_nesting_scripts_and_handlers_never_reach_text(settings):
    para = "法国9日再次爆发全国跨行业大罢工，反对政府进行退休制度改革，首都巴黎交通几乎完全瘫痪。"
    page = ("<html><head><title>深层页面</title><style>p{color:red}</style></head><body>"
            + "<div>" * 6000 + f"<p onclick=\"steal()\">{para}</p><script>var secret='泄露的脚本文字';</script>"
            + f"<p>{para}</p>" + "</div>" * 6000 + "</body></html>")
    article = clean_bytes(page.encode("utf-8"), "deep.html", settings)
    body = "".join(article.paragraphs)
    assert para in body and "泄露" not in body and "steal" not in body and "color" not in body


def test_truncated_utf8_read_with_damage_reported(settings, reference):
    data = SIMPLIFIED.read_bytes()
    last_para = reference.paragraphs[-1].encode("utf-8")
    cut = data[: data.index(last_para) + len(last_para) - 1]  # ends inside the final character
    article = clean_bytes(cut, "cut.txt", settings)
    assert article.source.encoding == "utf-8"
    assert any("truncated" in w for w in article.warnings)
    assert any(d.kind == "replacement-character" and d.paragraph == len(article.paragraphs) - 1
               for d in article.damage)


def test_mixed_encodings_in_one_file(settings, reference):
    lines = SIMPLIFIED.read_text(encoding="utf-8").split("\n")
    target = next(i for i, line in enumerate(lines) if line.strip() == reference.paragraphs[2])
    data = "\n".join(lines[:target]).encode("utf-8") + b"\n" + lines[target].encode("gbk", "replace") + b"\n" \
        + "\n".join(lines[target + 1:]).encode("utf-8")
    article = clean_bytes(data, "mixed.txt", settings)
    assert reference.paragraphs[2] in article.paragraphs
    assert any(r.kind == "mixed-encoding" for r in article.repairs)
    assert any("mixed encodings" in w for w in article.warnings)


def test_double_encoded_utf8_repaired(settings, reference):
    mangled = SIMPLIFIED.read_text(encoding="utf-8").encode("utf-8").decode("latin-1").encode("utf-8")
    article = clean_bytes(mangled, "latin1.txt", settings)
    assert article.paragraphs == reference.paragraphs
    assert any(r.kind == "double-encoded-latin1" for r in article.repairs)


def test_control_ansi_and_zero_width_removed(settings):
    text = SIMPLIFIED.read_text(encoding="utf-8").replace("医联体", "医\u200b联\x1b[31m体\x07", 3)
    article = clean_bytes(text.encode("utf-8"), "ctl.txt", settings)
    body = "".join(article.paragraphs)
    assert "\u200b" not in body and "\x1b" not in body and "\x07" not in body and "医联体" in body
    assert {"ansi-escape", "zero-width-character", "control-character"} <= {r.kind for r in article.repairs}


@pytest.mark.parametrize("data,message", [
    (b"", "empty file"), (b"  \n\t \r\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary file: looks like a PNG image"),
    (b"PK\x03\x04" + bytes(100), "binary file: looks like a ZIP archive"),
    ("正文".encode("utf-8") * 50 + b"\x00" * 200, "binary file"),
    (random.Random(7).randbytes(3000), "binary file: "),
    ("首页\n新闻\n体育\n财经\n登录\n".encode("utf-8"), "no article body found"),
])
def test_bad_bytes_raise_one_clear_error(settings, data, message):
    with pytest.raises(InputError) as info:
        clean_bytes(data, "bad.txt", settings)
    assert message in info.value.line() and info.value.line().startswith("bad.txt: ")


def test_english_page_processed_but_flagged(settings):
    para = "The strike paralysed transport across the country on Monday, unions said. " * 3
    article = clean_bytes(f"Big strike\n\n{para}\n\n{para}\n".encode("utf-8"), "en.txt", settings)
    assert article.language == "en" and any("not Chinese" in w for w in article.warnings)


def test_japanese_page_processed_but_flagged(settings):
    para = "東京都は九日、新しい交通計画を発表した。市民の移動はこれまでより便利になる見込みだという。"
    article = clean_bytes(f"交通計画\n\n{para}\n\n{para}\n".encode("utf-8"), "ja.txt", settings)
    assert article.language == "ja" and any("not Chinese" in w for w in article.warnings)


def test_cli_batch_reports_each_bad_input_and_finishes_the_rest(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(SIMPLIFIED.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "nul.txt").write_bytes(b"\x00\x01" * 400)
    outside = tmp_path / "secret.txt"
    outside.write_bytes(SIMPLIFIED.read_bytes())
    os.symlink(outside, folder / "link.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "gbk.txt").write_bytes(encodable(SIMPLIFIED.read_text(encoding="utf-8"), "gbk").encode("gbk"))
    out = tmp_path / "json"
    result = run_cli(capsys, "clean", folder, "--json", out)
    assert result.code == 1
    assert sorted(p.name for p in out.iterdir()) == ["gbk.json", "good.json"]
    errors = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4 and "Traceback" not in result.err
    assert any("link.txt: symlink leads outside" in e for e in errors)
    assert any("empty.txt: empty file" in e for e in errors)
    record = json.loads((out / "good.json").read_text(encoding="utf-8"))
    for key in ("title", "date", "outlet", "author", "script", "body_paragraphs", "encoding",
                "simplified_title", "simplified_paragraphs", "repairs", "damage"):
        assert key in record


def test_cli_folder_and_too_large_file(tmp_path, capsys):
    config = tmp_path / "small.toml"
    config.write_text("[input]\nmax_file_bytes = 1000\n", encoding="utf-8")
    result = run_cli(capsys, "clean", SIMPLIFIED, "--config", config)
    assert result.code == 1
    assert "too large" in result.err and "input.max_file_bytes" in result.err


def test_cli_directory_symlink_and_missing_path(tmp_path, capsys):
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "dirlink")
    result = run_cli(capsys, "clean", tmp_path / "nope.txt", tmp_path / "dirlink")
    assert result.code == 1 and "no such file" in result.err


def test_cli_usage_errors_exit_2(capsys):
    result = run_cli(capsys, "clean", SIMPLIFIED, "--frobnicate")
    assert result.code == 2 and result.err.startswith("error: ") and "--frobnicate" in result.err
    bad = run_cli(capsys, "clean", SIMPLIFIED, "--config", "/nonexistent/config.toml")
    assert bad.code == 2 and "config file not found" in bad.err


def test_cli_shows_article_in_terminal_without_escape_codes_when_piped(capsys):
    result = run_cli(capsys, "clean", SAMPLES / "001_d105d6fd91f32dc1.txt")
    assert result.code == 0
    assert "簡陽市" in result.out and "\x1b[" not in result.out
    assert "Damage found" in result.out and "敝齑鬆斦f" in result.out
