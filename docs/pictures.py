"""Make the README's pictures from the real screens: `python docs/pictures.py [OUT_DIR]`.

A store in a temporary SUMMARIZER_HOME is filled by a real `summarizer run samples/` (offline, so
without model weights: extractive abstracts, pending translations); then one article gets a review,
the English of its title, abstract and first paragraphs typed in as a reviewer's edits (shown as
"edited"). From it: the article list and one article as `summarizer view` draws them (rich, SVG),
the review screen (Textual's own screenshot, SVG), each at 160 and 80 columns, and the HTML export
in headless Chromium (PNG, when `chromium` is installed).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMARIZER = str(Path(sys.executable).with_name("summarizer"))
ARTICLE = "4900db6bbfbcfb59"  # samples/001: Traditional script, a damaged spot, figures
ENGLISH = {
    "title": "Jianyang: building a medical community gives people at the grassroots someone to rely on",
    "abstract": "In 2024 Jianyang sent 49 people to serve grassroots medical institutions and introduced 21 new "
                "techniques; 25 grassroots institutions met the basic standard of the quality-service campaign "
                "or better. The county's visit rate reached 95.3%.",
    "p0": "China News Service, Sichuan, 7 April (Wu Pinghua, Wu Runqiu) — Seeing a doctor concerns people's health "
          "and well-being. In recent years Jianyang has put people's health at the centre, improved its medical "
          "infrastructure and strengthened grassroots care through a close-knit county medical community.",
    "p1": "Recently, Mr Zhu of Sanxing Town went to the Sanxing Central Health Centre with abdominal pain and was "
          "diagnosed with acute appendicitis. The centre's new laparoscopic surgery left only a few tiny wounds.",
    "p2": "Since it was equipped with laparoscopic and gastrointestinal endoscopy systems in 2024, the Sanxing "
          "Central Health Centre has performed more than 300 minimally invasive operations.",
}


def widen(svg: Path) -> None:
    """Give each run of text its width in terminal cells: the SVG exports of rich and Textual size a
    run by its count of characters, which squeezes Chinese (two cells a character) to half its width."""
    import html
    import re

    from rich.cells import cell_len

    def fix(match: re.Match[str]) -> str:
        head, length, tail, body = match.groups()
        text = html.unescape(body)
        width = float(length) * cell_len(text) / max(1, len(text))
        return f'{head}textLength="{width:.1f}"{tail}>{body}'

    runs = re.compile(r'(<text [^>]*?)textLength="([0-9.]+)"([^>]*)>([^<]*)')
    svg.write_text(runs.sub(fix, svg.read_text(encoding="utf-8")), encoding="utf-8")


def fill(home: Path) -> None:
    env = dict(os.environ, SUMMARIZER_HOME=str(home), HF_HUB_OFFLINE="1")
    subprocess.run([SUMMARIZER, "run", str(ROOT / "samples"), "-q"], env=env,
                   cwd=home, check=False)
    from summarizer import load_settings
    from summarizer.store.db import Store
    from summarizer.store.review import decide, save_edit

    with Store.open(load_settings().store_path) as store:
        for unit, text in ENGLISH.items():
            save_edit(store, ARTICLE, unit, text, None)
        decide(store, ARTICLE, "p0", "approved")
        decide(store, ARTICLE, "p1", "approved")
        decide(store, ARTICLE, "p2", "flagged", "check the count of operations")


def rich_pictures(out: Path) -> None:
    from rich.console import Console

    from summarizer import load_settings
    from summarizer.store.db import Store
    from summarizer.views.viewer import ArticleView, list_rows, render_list, render_view

    with Store.open(load_settings().store_path) as store:
        rows, view = list_rows(store), ArticleView.load(store, ARTICLE)
    for width in (160, 80):
        for name, draw in (("list", lambda c: render_list(c, rows)), ("article", lambda c: render_view(c, view))):
            console = Console(record=True, width=width, file=StringIO(), force_terminal=True, color_system="truecolor")
            draw(console)
            console.save_svg(str(out / f"view-{name}-{width}.svg"), title=f"summarizer view ({width} columns)")
            widen(out / f"view-{name}-{width}.svg")


async def review_pictures(out: Path) -> None:
    from summarizer import load_settings
    from summarizer.views.review import ReviewApp

    for width, height in ((160, 45), (80, 40)):
        app = ReviewApp(load_settings(), ARTICLE)
        async with app.run_test(size=(width, height)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("j", "j", "j")
            await pilot.pause()
            app.save_screenshot(str(out / f"review-{width}.svg"))
            widen(out / f"review-{width}.svg")


def html_picture(home: Path, out: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed: no picture of the HTML export", file=sys.stderr)
        return
    env = dict(os.environ, SUMMARIZER_HOME=str(home))
    export = home / "export"
    subprocess.run([SUMMARIZER, "export", "--format", "html", "--out", str(export), "-q"],
                   env=env, cwd=home, check=True)
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={home / 'chromium'}", f"--screenshot={out / 'export-html.png'}",
                    "--window-size=1100,1400", (export / f"{ARTICLE}.html").as_uri()],
                   check=True, capture_output=True, timeout=120)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "pictures").resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        os.environ["SUMMARIZER_HOME"] = str(home)
        os.chdir(home)  # no ./config.toml of the caller's
        fill(home)
        rich_pictures(out)
        asyncio.run(review_pictures(out))
        html_picture(home, out)
    print(f"pictures in {out}")


if __name__ == "__main__":
    main()
