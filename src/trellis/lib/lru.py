"""A small cache of the values used last, safe to share between threads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class LRU:
    """The last ``size`` values computed, by key. Keys say what a value was computed from (the
    organisation's version, the date...), so a stale value is never asked for again and ages out.
    A value is computed outside the lock: two threads may compute the same one, and both are right."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                found: T = self._values[key]
                return found
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def newest(self, wanted: Callable[[Any], bool]) -> tuple[Any, Any] | None:
        """The key and value used last among those whose key is ``wanted``, if any (it is not moved)."""
        with self._lock:
            for key in reversed(self._values):
                if wanted(key):
                    return key, self._values[key]
        return None

    def forget(self, stale: Callable[[Any], bool] = lambda key: True) -> None:
        """Drop the values whose key is ``stale`` (all of them by default)."""
        with self._lock:
            for key in [k for k in self._values if stale(k)]:
                del self._values[key]

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._values
