"""The briefing's overview paragraph, condensed by the `briefing` model (an instruction model with
prompts/briefing.txt); the models package chunks and map-reduces a long briefing. Without the
model the briefing is still written: the overview is None and `problem` says how to get it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..config import ModelSpec, Settings
from ..errors import ModelNotFound, SummarizerError

Opener = Callable[[ModelSpec, Settings], Any]  # tests pass their own; the default loads the model


@dataclass(frozen=True)
class Overview:
    text: str | None
    model: str  # the configured model id
    revision: str | None  # the revision it resolved to; None when it is missing
    problem: str | None  # the one line saying why there is no overview


def open_model(spec: ModelSpec, settings: Settings) -> Any:
    from ..models import open_task  # torch loads only when a briefing gets this far

    return open_task(spec, settings)


def condense(text: str, settings: Settings, opener: Opener = open_model) -> Overview:
    spec = settings.models["briefing"]
    try:
        model = opener(spec, settings)
    except ModelNotFound as exc:
        return Overview(None, spec.id, None, exc.line())
    try:
        generated = model.run([text])[0].text.strip()
    except SummarizerError as exc:  # a failed generation costs the overview, not the briefing
        return Overview(None, spec.id, model.revision, exc.line())
    if not generated:
        return Overview(None, spec.id, model.revision, f"{spec.id}: the briefing model returned an empty text")
    return Overview(generated, spec.id, model.revision, None)
