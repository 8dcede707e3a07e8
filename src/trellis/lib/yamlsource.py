"""Load YAML while remembering the line each value came from.

PyYAML's plain ``safe_load`` forgets positions and silently keeps the last of two
duplicate keys; a ladder or policy author needs both reported by line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from trellis.lib.problems import InputError, Problem

Path = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data loaded from YAML plus the 1-based line of every path in it."""

    source: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def problem(self, path: Path, message: str, severity: str = "error") -> Problem:
        return Problem(self.source, self.line(path), message, severity)  # type: ignore[arg-type]


def load_located(text: str, source: str) -> Located:
    """Parse ``text`` into plain data with line numbers; raise InputError on malformed YAML."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        raise InputError([Problem(source, line, f"malformed YAML: {what}")]) from exc
    except yaml.YAMLError as exc:
        raise InputError([Problem(source, None, f"malformed YAML: {exc}")]) from exc
    located = Located(source, None)
    problems: list[Problem] = []
    if node is None:
        raise InputError([Problem(source, 1, "the file is empty: expected a YAML mapping")])
    located.data = _convert(node, (), located, problems)
    if problems:
        raise InputError(problems)
    return located


def _convert(node: yaml.Node, path: Path, located: Located, problems: list[Problem]) -> Any:
    located.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(located.source, key_node.start_mark.line + 1,
                                        "a key must be plain text"))
                continue
            key = str(key_node.value)
            if key in result:
                problems.append(Problem(located.source, key_node.start_mark.line + 1,
                                        f"duplicate key '{key}': each key may appear once here"))
                continue
            result[key] = _convert(value_node, (*path, key), located, problems)
            # A key's own line is more helpful than its value's when the value spans lines.
            located.lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), located, problems) for i, item in enumerate(node.value)]
    # Resolve scalars with the safe constructor so "3" is an int and "yes" stays YAML-typed.
    return _SCALARS.construct_object(node, deep=True)


_SCALARS = yaml.constructor.SafeConstructor()
M = TypeVar("M", bound=BaseModel)


def validate_model(model: type[M], located: Located) -> M:
    """Build ``model`` from located data, turning pydantic errors into located problems."""
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc: Path = tuple(err["loc"])
            problems.append(located.problem(loc, describe_error(err)))
        raise InputError(problems) from exc


def describe_error(err: Any) -> str:
    """Say a pydantic error in the words of the file's author."""
    loc = list(err["loc"])
    where = dotted(loc) or "the file"
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{loc[-1]}' in {dotted(loc[:-1]) or 'the top level'}: check its spelling or remove it"
    if kind == "missing":
        return f"missing required key '{loc[-1]}' in {dotted(loc[:-1]) or 'the top level'}"
    return f"{where}: {err['msg']}"


def dotted(path: list[str | int]) -> str:
    """``levels[2].expectations.craft``: the way a reader would point into the file."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
