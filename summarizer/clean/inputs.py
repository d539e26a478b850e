"""Which files a user's PATH arguments name: folders expanded, symlinks never followed out of
the folder they were found in, and anything that is not a regular file refused with a reason."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError


def path_text(path: Path) -> str:
    """A file name as valid Unicode: bytes that are not UTF-8 (an old GBK-named file) written as \\xNN,
    as Python shows them, so the name can be stored, exported and printed, and still be told apart."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def collect_inputs(paths: list[Path]) -> tuple[list[Path], list[InputError]]:
    files: list[Path] = []
    errors: list[InputError] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            found = len(files) + len(errors)
            _walk(path, files, errors)
            if len(files) + len(errors) == found:
                # a folder named on purpose and holding nothing is a mistake worth a line, never silence
                errors.append(InputError(str(path), "folder holds no page files",
                                         "check the path, or save the pages into it first"))
        else:
            _one(path, path.parent, files, errors)
    # a path named twice (or reached from two arguments) is one input: one result, one error line
    unique_errors = {(e.subject, e.message): e for e in errors}
    return list(dict.fromkeys(files)), list(unique_errors.values())


def _walk(folder: Path, files: list[Path], errors: list[InputError]) -> None:
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        linked = [d for d in dirnames if (here / d).is_symlink()]
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in linked)
        for name in sorted(filenames + linked):
            if not name.startswith("."):
                _one(here / name, folder, files, errors)


def _one(path: Path, folder: Path, files: list[Path], errors: list[InputError]) -> None:
    if path.is_symlink():
        try:
            target = path.resolve()
        except (RuntimeError, OSError):  # a loop of links: 3.11 raises RuntimeError, later versions OSError
            errors.append(InputError(str(path), "symlink loop; not followed", "remove or fix the link"))
            return
        if not target.is_relative_to(folder.resolve()):
            errors.append(InputError(str(path), f"symlink leads outside {folder} (to {target}); not followed",
                                     "copy the file into the folder if you mean to include it"))
            return
    if not path.exists():
        errors.append(InputError(str(path), "no such file or folder", "check the path"))
    elif path.is_dir():
        errors.append(InputError(str(path), "is a folder reached through a symlink; not followed",
                                 "name the folder itself"))
    elif not path.is_file():
        errors.append(InputError(str(path), "not a regular file (a device, pipe or socket)",
                                 "give summarizer saved page files"))
    else:
        files.append(path)
