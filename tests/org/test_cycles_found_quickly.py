"""The quick test that no solid line goes round in a circle answers as following every line would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trellis.org import csvio
from trellis.org.csvio import _without_cycles


def _has_cycle(manager_of: dict[str, str | None]) -> bool:
    for start in manager_of:
        seen: set[str] = set()
        node: str | None = start
        while node is not None and node in manager_of:
            if node in seen:
                return True
            seen.add(node)
            node = manager_of[node]
    return False


# Up to 40 people, each with a manager among them, someone outside the file, or none.
MANAGERS = st.integers(min_value=1, max_value=40).flatmap(lambda n: st.lists(
    st.one_of(st.none(), st.just("outside"), st.integers(min_value=0, max_value=n - 1).map(lambda i: f"p{i}")),
    min_size=n, max_size=n).map(lambda managers: {f"p{i}": m for i, m in enumerate(managers)}))


@settings(max_examples=300, deadline=None)
@given(MANAGERS)
def test_no_cycle_is_said_exactly_when_there_is_none(manager_of):
    # No chain of 40 people is longer than the rounds go (CYCLE_ROUNDS).
    assert _without_cycles(manager_of) == (not _has_cycle(manager_of))


def test_a_chain_longer_than_the_rounds_look_is_left_to_the_walk(monkeypatch):
    monkeypatch.setattr(csvio, "CYCLE_ROUNDS", 2)
    chain = {f"p{i}": f"p{i + 1}" for i in range(9)} | {"p9": None}
    assert not _without_cycles(chain)  # ten levels: more than two rounds
    assert _without_cycles({f"p{i}": f"p{i + 1}" for i in range(1)} | {"p1": None})
