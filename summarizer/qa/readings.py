"""The slow readings of a Chinese text (its numbers, candidate terms and names, a word's pinyin),
remembered: once per process, and across processes through a store that recheck.py hands over.

Each reading is a pure function of its text, done with dictionaries (jieba, rjieba, cn2an,
pypinyin) that take seconds to load and were most of a recheck's time to apply. A recheck after a
glossary change, an edit or a run reads them back instead, and loads no dictionary for the texts
it has seen.
The key of a reading is a digest of the checker's version (the source of this package and of the
script conversion it reads through, and the versions of the libraries), the kind of reading and
the text: any change of the checker is a new key, so a reading kept by an older one is never used.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from contextlib import contextmanager
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, TypeVar

from .. import cjk
from ..clean import script

T = TypeVar("T")
LIBRARIES = ("jieba", "rjieba", "cn2an", "pypinyin", "opencc")
# each open `kept`: the readings it was handed (key -> JSON), and the ones used inside it that it lacked
_open: list[tuple[Mapping[str, str], dict[str, str]]] = []


@lru_cache(maxsize=1)
def checker_version() -> str:
    from importlib.metadata import version  # 10 ms to import: only when a check runs

    digest = hashlib.sha256(unicodedata.unidata_version.encode())
    for name in LIBRARIES:
        digest.update(f"{name} {version(name)}\n".encode())
    for path in (*sorted(Path(__file__).parent.glob("*.py")), Path(cjk.__file__), Path(script.__file__)):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _key(kind: str, text: str) -> str:
    return hashlib.sha256(f"{checker_version()}:{kind}:{text}".encode("utf-8")).hexdigest()[:32]  # 128 bits


def remembered(kind: str, decode: Callable[[Any], T]) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """A reading of a text, looked up among the kept ones before it is done; `decode` turns its JSON
    back into the value (a tuple, a dataclass). Each reading used inside `kept` that was not handed
    over is collected, also when this process read it before (for another store)."""
    def wrap(read: Callable[[str], T]) -> Callable[[str], T]:
        @lru_cache(maxsize=65536)
        def reading(text: str) -> tuple[str, str, T]:
            key = _key(kind, text)
            handed = _open[-1][0] if _open else {}
            if key in handed:
                return key, handed[key], decode(json.loads(handed[key]))
            value = read(text)
            return key, json.dumps(value, ensure_ascii=False, default=_plain), value

        @wraps(read)
        def remembering(text: str) -> T:
            key, written, value = reading(text)
            if _open and key not in _open[-1][0]:
                _open[-1][1][key] = written
            return value

        remembering.cache_clear = reading.cache_clear  # type: ignore[attr-defined]
        return remembering
    return wrap


def _plain(value: Any) -> Any:
    return value.__dict__  # a reading's dataclass, written as its fields


@contextmanager
def kept(readings: Mapping[str, str]) -> Iterator[dict[str, str]]:
    """Inside: `readings` of earlier runs (key -> JSON) are used before anything is read again,
    and the dict yielded collects the readings used that they lack, for the caller to keep."""
    block: tuple[Mapping[str, str], dict[str, str]] = (readings, {})
    _open.append(block)
    try:
        yield block[1]
    finally:
        _open[:] = [b for b in _open if b is not block]
