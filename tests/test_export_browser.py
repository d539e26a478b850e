"""The HTML export and the HTML briefing in a real headless Chromium: drawn (not blank), Chinese
drawn as glyphs (not tofu boxes), hostile text shown as text, and printable to PDF.

Needs Debian's `chromium` and a CJK font (`fonts-noto-cjk`); skipped only when chromium is absent.
"""
from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_runner import run_cli
from test_export import HARD, XSS, fill, review

from summarizer import load_settings
from summarizer.store.db import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed: apt-get install -y chromium "
                                                          "fonts-noto-cjk")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars")
CJK = re.compile(r"[\u4e00-\u9fff]")


def chromium(page: Path, profile: Path, *args: str) -> str:
    """Run Chromium on a local page with a fresh empty profile; its stdout."""
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def screenshot(page: Path, tmp_path: Path, name: str):
    from PIL import Image

    png = tmp_path / f"{name}.png"
    chromium(page, tmp_path / f"profile-{name}", f"--screenshot={png}", "--window-size=1200,1400")
    return Image.open(png).convert("L")


def ink(image) -> float:
    """Share of pixels that are not page background."""
    histogram = image.histogram()
    return 1 - sum(histogram[235:]) / sum(histogram)


def assert_drawn_with_cjk_glyphs(page: Path, tmp_path: Path) -> None:
    """Not blank, and changing which Chinese characters the page holds changes the picture: a
    missing CJK font draws every character as the same box, and both pictures would be equal."""
    from PIL import ImageChops

    shifted = page.with_name(f"shifted-{page.name}")
    shifted.write_text(CJK.sub(lambda m: chr(ord(m.group()) + 1), page.read_text(encoding="utf-8")), encoding="utf-8")
    original, other = screenshot(page, tmp_path, "original"), screenshot(shifted, tmp_path, "shifted")
    assert ink(original) > 0.01, "the page renders blank"
    assert ImageChops.difference(original, other).getbbox() is not None, \
        "Chinese renders as identical boxes: install a CJK font (apt-get install fonts-noto-cjk)"


def assert_hostile_text_is_text(page: Path, tmp_path: Path) -> None:
    dom = chromium(page, tmp_path / "profile-dom", "--dump-dom")
    assert "<img" not in dom and "<script" not in dom  # no element came from the data
    assert "&lt;img src=x onerror=alert(1)&gt;" in dom


def test_html_export_in_chromium(tmp_path, capsys):
    with Store.open(load_settings().store_path) as store:
        fill(store)
        review(store)
    assert run_cli(capsys, "export", "--format", "html", "--out", tmp_path / "out").code == 0
    page = tmp_path / "out" / f"{HARD.id}.html"
    assert_drawn_with_cjk_glyphs(page, tmp_path)
    assert_hostile_text_is_text(page, tmp_path)
    pdf = tmp_path / "page.pdf"
    chromium(page, tmp_path / "profile-pdf", f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


def test_html_briefing_in_chromium(tmp_path, capsys):
    hostile = dataclasses.replace(HARD, title=XSS, simplified_title=XSS, date="2024-01-03",
                                  paragraphs=("医联体建设五年来，成员单位已经达到27家。",),
                                  simplified_paragraphs=("医联体建设五年来，成员单位已经达到27家。",))
    with Store.open(load_settings().store_path) as store:
        fill(store)
        with store.transaction():
            store.add_articles([hostile])
    config = tmp_path / "config.toml"
    config.write_text(f'[models.briefing]\nid = "{tmp_path / "none"}"\n', encoding="utf-8")
    page = tmp_path / "brief.html"
    assert run_cli(capsys, "brief", "--config", config, "--out", page).code == 0
    assert_drawn_with_cjk_glyphs(page, tmp_path)
    assert_hostile_text_is_text(page, tmp_path)
