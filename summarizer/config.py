"""config.toml -> frozen Settings. Defaults live in the shipped, commented summarizer/config.toml."""
from __future__ import annotations

import math
import os
import stat
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .types import Task

DEVICES = ("auto", "cpu", "cuda", "mps")
PRECISIONS = ("auto", "float32", "bfloat16", "float16", "int8")
BACKENDS = ("auto", "torch", "ctranslate2")
RENAMED = {"engine": "backend"}  # old name -> new name of a models.TASK option; the old one is still read
AUTO = "auto"
KINDS = ("task", "instruction")
ENGINES = ("local", "ray")
PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class GenerationSettings:
    num_beams: int
    max_new_tokens: int
    min_new_tokens: int
    no_repeat_ngram_size: int
    repetition_penalty: float
    length_penalty: float


@dataclass(frozen=True)
class ModelSpec:
    task: Task
    id: str
    kind: str
    prompt: str
    revision: str
    src_lang: str
    tgt_lang: str
    batch_size: int | str  # or "auto": measured for the device (models/limits.py)
    device: str
    precision: str
    backend: str
    threads: int
    batch_tokens: int | str  # or "auto"
    max_input_tokens: int
    license: str
    generation: GenerationSettings


@dataclass(frozen=True)
class EngineSettings:
    """Where `summarizer run` does its model work; see [engine] in config.toml."""

    name: str
    address: str
    actors: int
    num_cpus: float
    num_gpus: float


@dataclass(frozen=True)
class Option:
    """One option in effect (`summarizer config`): its dotted name, its value and where that was set."""

    name: str
    value: Any
    source: str


@dataclass(frozen=True)
class Settings:
    home: Path
    max_file_bytes: int
    min_cjk_ratio: float
    piece_chars: int
    store_path: Path
    prompts_dir: Path
    glossary_path: Path | None
    models: dict[Task, ModelSpec]
    engine: EngineSettings
    sources: tuple[str, ...] = ()  # the user files merged over the built-in defaults, in order
    ignored: tuple[tuple[str, str], ...] = ()  # (file, why) for a config file found but not trusted
    options: tuple[Option, ...] = ()  # every option's value as merged, and the file it came from


def home_dir() -> Path:
    """The data folder; SUMMARIZER_HOME moves it (tests point it at a temp folder)."""
    env = os.environ.get("SUMMARIZER_HOME")
    return Path(env).expanduser() if env else Path.home() / ".local" / "share" / "summarizer"


def default_text() -> str:
    return (PACKAGE_DIR / "config.toml").read_text(encoding="utf-8")


DEFAULTS = "built-in defaults"
# Upper bounds that keep a typo from crashing the process (torch aborts on absurd thread counts)
MAX_THREADS = 1024
MIN_PIECE_CHARS = 200  # smaller pieces would cut most paragraphs, and most sentences, apart


def load_settings(path: str | Path | None = None) -> Settings:
    """Read the defaults, merge the user's file over them, check every value."""
    data = _parse(default_text(), DEFAULTS)
    origins = {key: DEFAULTS for key in _flat_keys(data)}
    user, ignored = find_user_file(path)
    if user is not None:
        _merge(data, _parse(_read(user), str(user)), str(user), origins)
    return _build(data, (str(user),) if user else (), ignored, origins)


def find_user_file(path: str | Path | None) -> tuple[Path | None, tuple[tuple[str, str], ...]]:
    """The user config in effect, and the implicit candidates passed over because they are not trusted.

    --config is the user's explicit choice and always read. A file found implicitly is read only when
    it is the user's own and only they can change it: a config.toml in a folder someone else prepared
    (an unpacked scrape, a shared project) must not choose models, prompts or the store for them."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(str(p), "config file not found", "check the path given to --config")
        return p, ()
    ignored = []
    for candidate in (Path.cwd() / "config.toml", home_dir() / "config.toml"):
        if not candidate.is_file():
            continue
        why = _untrusted(candidate)
        if why is None:
            return candidate, tuple(ignored)
        ignored.append((str(candidate), why))
    return None, tuple(ignored)


def _untrusted(path: Path) -> str | None:
    """Why an implicitly found file may not be trusted, or None when it is the user's own."""
    info = path.stat()
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return "owned by another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "writable by other users"
    return None


def _lookup(data: dict, name: str) -> Any:
    for part in name.split("."):
        data = data[part]
    return data


def _flat_keys(data: dict, prefix: str = "") -> list[str]:
    keys = []
    for key, value in data.items():
        keys += _flat_keys(value, f"{prefix}{key}.") if isinstance(value, dict) else [f"{prefix}{key}"]
    return keys


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read config ({exc})", "save it as UTF-8 text") from exc


def _parse(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(name, f"not valid TOML ({exc})", "fix the line it names") from exc


def _merge(base: dict, override: dict, name: str, origins: dict[str, str], prefix: str = "") -> None:
    """Override only the keys the user set; an unknown key is an error, not silently ignored."""
    for key, value in override.items():
        where = f"{prefix}{key}"
        renamed = prefix.startswith("models.") and prefix.count(".") == 2 and key in RENAMED
        if prefix == "models.":
            _task(key, name)  # a table that names no task is refused with the tasks listed
        known = key in base or renamed
        if not known:
            raise ConfigError(name, f"unknown option '{where}'", "see config.toml for the options")
        if renamed:
            if RENAMED[key] in override:
                raise ConfigError(name, f"'{where}' is the old name of '{prefix}{RENAMED[key]}'", "set only the new one")
            base[RENAMED[key]] = value
            origins[f"{prefix}{RENAMED[key]}"] = name
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value, name, origins, f"{where}.")
        elif isinstance(base.get(key), dict):
            raise ConfigError(name, f"'{where}' must be a table", "see config.toml")
        else:
            base[key] = value
            origins[where] = name


def _build(data: dict, sources: tuple[str, ...], ignored: tuple[tuple[str, str], ...],
           origins: dict[str, str]) -> Settings:
    source = sources[-1] if sources else "defaults"
    home = home_dir()
    store = _path(data, "store.path", origins, source)
    prompts = _path(data, "prompts.dir", origins, source)
    glossary = _path(data, "glossary.path", origins, source)
    settings = Settings(
        home=home,
        max_file_bytes=_typed(data["input"], "max_file_bytes", int, source, "input."),
        min_cjk_ratio=_typed(data["input"], "min_cjk_ratio", float, source, "input."),
        piece_chars=_typed(data["input"], "piece_chars", int, source, "input."),
        store_path=store or home / "summarizer.db",
        prompts_dir=prompts or PACKAGE_DIR / "prompts",
        glossary_path=glossary,
        models={task: _model(task, data["models"][task], source) for task in Task},
        engine=_engine(data["engine"], source),
        sources=sources,
        ignored=ignored,
        options=tuple(Option(name, _lookup(data, name), origin) for name, origin in origins.items()),
    )
    if settings.max_file_bytes <= 0:
        raise ConfigError(source, "input.max_file_bytes must be positive", "set a size in bytes")
    if settings.piece_chars < MIN_PIECE_CHARS:
        raise ConfigError(source, f"input.piece_chars must be at least {MIN_PIECE_CHARS}", "fix the value")
    if not 0.0 <= settings.min_cjk_ratio <= 1.0:
        raise ConfigError(source, "input.min_cjk_ratio must be between 0 and 1", "fix the value")
    return settings


def _path(data: dict, name: str, origins: dict[str, str], source: str) -> Path | None:
    """A path option; a relative one is relative to the config file that set it, never to the
    current folder, so the same config means the same files wherever a command is run."""
    section, key = name.split(".")
    value = _typed(data[section], key, str, source, f"{section}.")
    if not value:
        return None
    path = Path(value).expanduser()
    origin = origins.get(name, DEFAULTS)
    return path if path.is_absolute() or origin == DEFAULTS else Path(origin).parent / path


def _task(key: str, name: str) -> Task:
    """The task a [models.KEY] table configures; one that names no task is an error."""
    try:
        return Task(key)
    except ValueError as exc:
        raise ConfigError(name, f"unknown task 'models.{key}'", f"name one of {', '.join(Task)}") from exc


def _model(task: Task, table: dict, source: str) -> ModelSpec:
    prefix = f"models.{task}."
    gen_table = table.get("generation", {})
    generation = GenerationSettings(**{
        f.name: _typed(gen_table, f.name, f.type, source, prefix + "generation.") for f in fields(GenerationSettings)
    })
    limits = ("batch_size", "batch_tokens")
    values = {f.name: _typed(table, f.name, f.type, source, prefix)
              for f in fields(ModelSpec) if f.name not in ("task", "generation", *limits)}
    values.update({name: _limit(table, name, source, prefix) for name in limits})
    spec = ModelSpec(task=task, generation=generation, **values)
    _choice(spec.kind, KINDS, source, prefix + "kind")
    _choice(spec.device, DEVICES, source, prefix + "device")
    _choice(spec.precision, PRECISIONS, source, prefix + "precision")
    _choice(spec.backend, BACKENDS, source, prefix + "backend")
    if not spec.id:
        raise ConfigError(source, f"{prefix}id is empty", "name a hub id or a local model folder")
    if spec.kind == "instruction" and not spec.prompt:
        raise ConfigError(source, f"{prefix}prompt is empty for an instruction model", "name a file in prompts/")
    if generation.num_beams < 1 or generation.max_new_tokens < 1:
        raise ConfigError(source, f"{prefix}num_beams and max_new_tokens must be >= 1", "fix the value")
    if spec.threads < 0:
        raise ConfigError(source, f"{prefix}threads must be >= 0", "fix the value")
    if spec.threads > MAX_THREADS:
        raise ConfigError(source, f"{prefix}threads is {spec.threads}, more than {MAX_THREADS}",
                          "use 0 (one per core) or the number of cores to use")
    _generation_bounds(generation, source, prefix + "generation.")
    return spec


def _limit(table: dict, key: str, source: str, prefix: str) -> int | str:
    """A batch limit: "auto" or a count (batch_size >= 1, batch_tokens >= 0, 0 = no limit)."""
    value = table.get(key)
    if value == AUTO:
        return AUTO
    least = 1 if key == "batch_size" else 0
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise ConfigError(source, f"{prefix}{key} must be \"auto\" or a whole number >= {least}, not {value!r}",
                          "fix the value")
    return value


def _generation_bounds(gen: GenerationSettings, source: str, prefix: str) -> None:
    """Values generate() accepts but that make no sense: a zero penalty divides scores by zero."""
    if gen.repetition_penalty <= 0:
        raise ConfigError(source, f"{prefix}repetition_penalty must be > 0 (1.0 = none)", "fix the value")
    if gen.min_new_tokens < 0 or gen.no_repeat_ngram_size < 0:
        raise ConfigError(source, f"{prefix}min_new_tokens and no_repeat_ngram_size must be >= 0", "fix the value")
    if gen.min_new_tokens > gen.max_new_tokens:
        raise ConfigError(source, f"{prefix}min_new_tokens is above max_new_tokens", "fix the value")


def _engine(table: dict, source: str) -> EngineSettings:
    values = {f.name: _typed(table, f.name, f.type, source, "engine.") for f in fields(EngineSettings)}
    engine = EngineSettings(**values)
    _choice(engine.name, ENGINES, source, "engine.name")
    if engine.actors < 1 or engine.num_cpus < 0 or engine.num_gpus < 0:
        raise ConfigError(source, "engine.actors must be >= 1, num_cpus and num_gpus >= 0", "fix the value")
    return engine


_TYPES = {"int": int, "float": float, "str": str}


def _typed(table: dict, key: str, kind: Any, source: str, prefix: str) -> Any:
    kind = _TYPES.get(kind, kind) if isinstance(kind, str) else kind
    if key not in table:
        raise ConfigError(source, f"missing option '{prefix}{key}'", "see config.toml for the options")
    value = table[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ConfigError(source, f"'{prefix}{key}' must be {kind.__name__}, not {value!r}", "fix the value")
    if kind is float and not math.isfinite(value):  # TOML allows nan and inf
        raise ConfigError(source, f"'{prefix}{key}' must be a finite number, not {value!r}", "fix the value")
    return value


def _choice(value: str, allowed: tuple[str, ...], source: str, name: str) -> None:
    if value not in allowed:
        raise ConfigError(source, f"'{name}' is {value!r}", f"use one of: {', '.join(allowed)}")
