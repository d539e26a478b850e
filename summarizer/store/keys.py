"""Identity of work: which units an article has for a task, and the cache key of each result.

A result is keyed by what produced it, not by where it is shown: the unit's input, the model id
and revision, the prompt and the generation settings. A change of any of them is a new key, so a
new model adds results beside the old ones instead of overwriting them, and a re-run finds the
keys it already has. Like llm's content_hash: a tagged hash of canonical JSON; the tag changes
whenever the recipe below changes, so old keys can never collide with new ones.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

from ..config import ModelSpec
from ..types import Article, Method, Task, UnitName

KEY_TAG = "summarizer-result-1"


@dataclass(frozen=True)
class Unit:
    """One model input: a title, a paragraph or an abstract of one article, in Simplified script."""

    article_id: str
    task: Task
    name: str  # a UnitName, a paragraph's or a piece's name
    text: str

    @property
    def input_hash(self) -> str:
        return text_hash(self.text)


@dataclass(frozen=True)
class Recipe:
    """What produces a result: the model (or extractive method) and every setting that shapes it."""

    method: Method
    model_id: str
    revision: str
    prompt_hash: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of_model(cls, model: Any) -> Recipe:
        """A loaded TaskModel carries its own identity (resolved revision, prompt hash)."""
        return cls("model", model.model_id, model.revision, model.prompt_hash, dict(model.params))

    @classmethod
    def of_spec(cls, spec: ModelSpec) -> Recipe:
        """The configured model before it is loaded: used to key the pending rows it leaves."""
        return cls("model", spec.id, spec.revision, "", asdict(spec.generation))


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def result_key(unit: Unit, recipe: Recipe) -> str:
    # the article id is part of the key so that a result row belongs to exactly one article
    return tagged_key(KEY_TAG, {
        "article": unit.article_id, "task": unit.task, "unit": unit.name, "input": unit.input_hash,
        "method": recipe.method, "model": recipe.model_id, "revision": recipe.revision,
        "prompt": recipe.prompt_hash, "params": recipe.params,
    })


def tagged_key(tag: str, fields: Mapping[str, Any]) -> str:
    """The digest of a recipe's fields under a tag; migrations name the tag of the keys they rewrite."""
    return hashlib.sha256(f"{tag}:{canonical_json(fields)}".encode("utf-8")).hexdigest()


def paragraph_unit(index: int) -> str:
    return f"p{index}"


def paragraph_index(name: str) -> int | None:
    """The paragraph a unit's name stands for (p3 -> 3); None for any other unit."""
    return int(name[1:]) if name.startswith("p") and name[1:].isdigit() else None


def abstract_unit(article: Article) -> Unit:
    """The abstract's input: the Simplified body, one paragraph per line."""
    body = "\n".join(p for p in article.simplified_paragraphs if p.strip())
    return Unit(article.id, Task.ABSTRACT, UnitName.ABSTRACT, body)


def translation_units(article: Article, abstract: str | None) -> list[Unit]:
    """Title, the current Chinese abstract and every non-empty paragraph, all in Simplified."""
    named = [(UnitName.TITLE, article.simplified_title or ""), (UnitName.ABSTRACT, abstract or "")]
    named += [(paragraph_unit(i), text) for i, text in enumerate(article.simplified_paragraphs)]
    return [Unit(article.id, Task.TRANSLATE, name, text) for name, text in named if text.strip()]
