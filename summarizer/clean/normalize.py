"""Character-level repairs: invisible and control characters that scrapers leave in text."""
from __future__ import annotations

import re

from .repairs import RepairLog

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
# C0/C1 controls except tab and newline; DEL too.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\u180e\u2028\u2029]")
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f]")


def normalize(text: str, log: RepairLog) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = log.sub("ansi-escape", _ANSI, "", text)
    text = log.sub("control-character", _CONTROL, "", text)
    text = log.sub("zero-width-character", _ZERO_WIDTH, "", text)
    # odd spaces become plain ones; not a repair worth reporting
    return _SPACES.sub(" ", text)
