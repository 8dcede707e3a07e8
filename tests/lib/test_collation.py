"""Names sorted the way people expect, whatever their alphabet's accents."""

from __future__ import annotations

import unicodedata

import pyuca
from hypothesis import given, settings
from hypothesis import strategies as st

from trellis.lib.collation import DIGITS, KEY_LENGTH, name_sort_key


def test_accented_letters_sort_with_their_base_letter():
    names = ["Zdeněk", "Łucja", "Chloé", "Céline", "Ólafur", "Oscar", "Ana"]
    assert sorted(names, key=name_sort_key) == ["Ana", "Céline", "Chloé", "Łucja", "Ólafur", "Oscar", "Zdeněk"]


def test_case_and_accents_only_break_ties_between_the_same_letters():
    assert sorted(["Émile", "emile", "Emile", "Emil"], key=name_sort_key) == ["Emil", "emile", "Emile", "Émile"]


def test_a_shorter_name_comes_before_a_longer_one_that_starts_with_it():
    assert name_sort_key("Li") < name_sort_key("Li Wei") < name_sort_key("Lia")


def test_the_key_is_digits_and_lower_case_letters_of_bounded_length():
    key = name_sort_key("Ñandú " * 200)
    assert len(key) == KEY_LENGTH and set(key) <= set(DIGITS)


def test_a_latin_name_has_a_short_key():
    # Two characters a letter and one an accent or case, where fixed-width hexadecimal took twelve.
    assert len(name_sort_key("Fiachra Eriksen")) <= 4 * len("Fiachra Eriksen") + 4


_COLLATOR = pyuca.Collator()


def _levels(name: str) -> tuple[tuple[int, ...], ...]:
    """What the order is by definition: the weights of each level in turn, a level's shorter list first."""
    elements = _COLLATOR.collation_elements(unicodedata.normalize("NFD", name))
    return tuple(tuple(e[level] for e in elements if len(e) > level and e[level]) for level in range(3))


# Letters of many scripts and weights: Latin with accents and case, symbols and digits (weights below
# the Latin letters'), Greek, Cyrillic, CJK (implicit weights, the largest), combining marks, spaces.
NAME_LETTERS = st.sampled_from(list("aAbzZéÉèñÑøØßłŁ-'. 09ÆæΩωжЖ中文𠀀") + ["\u0301", "\u0327", "\u00a0"])


@settings(max_examples=400, deadline=None)
@given(st.lists(NAME_LETTERS, max_size=12).map("".join), st.lists(NAME_LETTERS, max_size=12).map("".join))
def test_keys_compare_as_the_weights_do(first: str, second: str):
    expected = (_levels(first) > _levels(second)) - (_levels(first) < _levels(second))
    a, b = name_sort_key(first), name_sort_key(second)
    assert (a > b) - (a < b) == expected, (first, second, a, b)
