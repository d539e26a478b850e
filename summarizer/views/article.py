"""A cleaned article in the terminal: metadata, paragraphs, repairs, and damage highlighted."""
from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..types import Article


def render_article(console: Console, article: Article) -> None:
    console.print(Panel(Group(header_grid(article), Text(""), *_paragraphs(article)),
                        title=Text(article.title or "(no headline found)", style="bold"),
                        subtitle=article.source.path, subtitle_align="right"))
    if article.repairs:
        console.print(repairs_table(article))
    if article.damage:
        console.print(damage_table(article))
    for warning in article.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))


def header_grid(article: Article) -> Table:
    grid = Table.grid(padding=(0, 2))
    for label, value in (("date", article.date), ("outlet", article.outlet), ("author", article.author),
                         ("script", article.script), ("encoding", article.source.encoding),
                         ("id", article.id)):
        grid.add_row(Text(label, style="dim"), Text(value or "—"))
    return grid


def _paragraphs(article: Article) -> list[Table]:
    """Numbered paragraphs in a grid: CJK runs have no spaces, so a prefix in the same Text
    would be wrapped onto a line of its own."""
    damaged: dict[int, list[str]] = {}
    for item in article.damage:
        damaged.setdefault(item.paragraph, []).append(item.text)
    grid = Table.grid(padding=(0, 1, 1, 0))
    grid.add_column(style="dim", justify="right")
    grid.add_column(ratio=1, overflow="fold")
    for number, paragraph in enumerate(article.paragraphs):
        body = Text(paragraph)
        body.highlight_words(damaged.get(number, []), style="bold white on red")
        grid.add_row(str(number + 1), body)  # readers count from 1
    return [grid]


def repairs_table(article: Article) -> Table:
    table = Table(title="Repairs made", title_justify="left")
    table.add_column("kind")
    table.add_column("count", justify="right")
    table.add_column("example")
    for repair in article.repairs:
        table.add_row(repair.kind, str(repair.count), repair.example)
    return table


def damage_table(article: Article) -> Table:
    table = Table(title="Damage found (kept as is, not repaired)", title_justify="left", title_style="bold red")
    table.add_column("paragraph", justify="right")
    table.add_column("kind")
    table.add_column("damaged text", style="bold red")
    table.add_column("context")
    for item in article.damage:
        table.add_row("title" if item.paragraph < 0 else str(item.paragraph + 1), item.kind, item.text, item.context)
    return table
