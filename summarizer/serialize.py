"""Article <-> plain JSON-able dict: the `clean --json` contract and the store's article column."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .types import Article, Damage, Repair, Source


def article_to_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "date": article.date,
        "outlet": article.outlet,
        "author": article.author,
        "script": article.script,
        "language": article.language,
        "encoding": article.source.encoding,
        "body_paragraphs": list(article.paragraphs),
        "simplified_title": article.simplified_title,
        "simplified_paragraphs": list(article.simplified_paragraphs),
        "repairs": [asdict(r) for r in article.repairs],
        "damage": [asdict(d) for d in article.damage],
        "warnings": list(article.warnings),
        "source": asdict(article.source),
    }


def article_from_dict(data: dict[str, Any]) -> Article:
    return Article(
        source=Source(**data["source"]),
        title=data["title"], date=data["date"], outlet=data["outlet"], author=data["author"],
        script=data["script"], language=data["language"],
        paragraphs=tuple(data["body_paragraphs"]),
        simplified_title=data["simplified_title"],
        simplified_paragraphs=tuple(data["simplified_paragraphs"]),
        repairs=tuple(Repair(**r) for r in data["repairs"]),
        damage=tuple(Damage(**d) for d in data["damage"]),
        warnings=tuple(data["warnings"]),
    )
