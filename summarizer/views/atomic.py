"""The one way views write a file: into a temp file beside the target, renamed into place.

A reader (or a rerun after Ctrl-C) sees the old file or the whole new one, never half of one;
the temp file of an interrupted write is removed.
"""
from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from ..errors import SummarizerError

# names we make come from article ids (hex) and fixed words; anything else is refused, not cleaned
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.[a-z]{2,5}")


@contextmanager
def atomic_file(target: Path, *, binary: bool = False) -> Iterator[IO]:
    """A handle to write `target` through; renamed into place only when the block ends normally."""
    mode = "wb" if binary else "w"
    encoding = None if binary else "utf-8"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(mode, encoding=encoding, newline=None if binary else "",
                                             dir=target.parent, prefix=f".{target.name}-", suffix=".tmp",
                                             delete=False)
        with handle:
            try:
                yield handle
            except BaseException:  # KeyboardInterrupt included: no temp file is left behind
                handle.close()
                os.unlink(handle.name)
                raise
        # mkstemp makes the file private (0600); an export is for sharing, so give it the usual mode
        os.chmod(handle.name, 0o666 & ~_umask())
        os.replace(handle.name, target)
    except OSError as exc:
        raise SummarizerError(str(target), f"cannot write ({exc.strerror or exc})",
                              "check the folder exists or can be made, and is writable") from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def inside(folder: Path, name: str) -> Path:
    """folder/name for a name we made; refuses anything that could land outside `folder`."""
    if not SAFE_NAME.fullmatch(name):
        raise SummarizerError(name, "not a safe file name for an export", "report this as a bug")
    return folder / name
