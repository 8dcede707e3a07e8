"""Read a user's text file, turning the usual mistakes into a located problem."""

from __future__ import annotations

from pathlib import Path

from trellis.lib.problems import InputError, Problem


def read_text(path: str | Path) -> str:
    """The file's text; InputError when it does not exist or is not UTF-8."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError([Problem(str(path), None, "no such file: check the path")]) from exc
    except IsADirectoryError as exc:
        raise InputError([Problem(str(path), None, "this is a folder, not a file: name the file")]) from exc
    except UnicodeDecodeError as exc:
        raise InputError([Problem(str(path), None, "the file is not UTF-8 text: save it as UTF-8")]) from exc
