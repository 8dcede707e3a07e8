"""Values made by the hundred thousand on an import (a person, a role, a change): immutable, and as
cheap to make as a plain class's instances.

A frozen dataclass sets each field through ``object.__setattr__`` when it is made: at 100,000 people
and as many changes, that was a tenth of a first import's time. A ``record`` is a slotted dataclass,
compared and hashed by its fields as a frozen one is, whose fields the type checker (``mypy`` in CI)
refuses to assign: change one with ``dataclasses.replace``, as for a frozen dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    return dataclass(slots=True, unsafe_hash=True)(cls)
