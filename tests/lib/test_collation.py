"""Names sorted the way people expect, whatever their alphabet's accents."""

from __future__ import annotations

from trellis.lib.collation import KEY_LENGTH, name_sort_key


def test_accented_letters_sort_with_their_base_letter():
    names = ["Zdeněk", "Łucja", "Chloé", "Céline", "Ólafur", "Oscar", "Ana"]
    assert sorted(names, key=name_sort_key) == ["Ana", "Céline", "Chloé", "Łucja", "Ólafur", "Oscar", "Zdeněk"]


def test_case_and_accents_only_break_ties_between_the_same_letters():
    assert sorted(["Émile", "emile", "Emile", "Emil"], key=name_sort_key) == ["Emil", "emile", "Emile", "Émile"]


def test_a_shorter_name_comes_before_a_longer_one_that_starts_with_it():
    assert name_sort_key("Li") < name_sort_key("Li Wei") < name_sort_key("Lia")


def test_the_key_is_plain_hexadecimal_of_bounded_length():
    key = name_sort_key("Ñandú " * 200)
    assert len(key) == KEY_LENGTH and set(key) <= set("0123456789abcdef")
