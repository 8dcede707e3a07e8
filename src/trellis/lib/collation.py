"""Names in the order people expect: the Unicode Collation Algorithm (pyuca, pure Python).

Python's own string order puts "Céline" after "Chloé" and "Łucja" after "Zdeněk", because
it compares code points. The collation algorithm compares letters first, then accents,
then case, as a phone book does. A directory of 100,000 people is paged by the database,
so the key is stored beside the name as a string of weights written in digits and
lower-case letters: comparing two such strings character by character, as SQLite and
PostgreSQL do for these characters, gives the same order as comparing the weights.

The key is written with every person and sorted into the directory's index, so it is kept
short (``_Code``): about a third of the length of the same weights in fixed-width hexadecimal.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import pyuca

KEY_LENGTH = 1000  # characters stored; a longer key differs only in accents or case past the 200th letter

_collator = pyuca.Collator()
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"  # in this order in every collation a database uses
_BASE = len(DIGITS)
LEVEL_END = DIGITS[0]  # between levels: lower than the first digit of any weight's code


class _Code:
    """Weights written in base 36, the commonest in the fewest digits, in codes whose order is the
    weights' order whatever their lengths.

    ``tiers``: (digits, end) in increasing order of weights: the weights below ``end`` (and not in an
    earlier tier) are written in that many digits. Each tier has first digits of its own, after the
    earlier tiers' (and after ``LEVEL_END``): so no code is the start of another, and comparing two
    keys character by character decides at the first weight in which they differ."""

    def __init__(self, tiers: list[tuple[int, int]]):
        self.tiers: list[tuple[int, int, int, int]] = []  # digits, first weight, end, the first code
        first_digit, start = 1, 0
        for digits, end in tiers:
            span = _BASE ** (digits - 1)
            self.tiers.append((digits, start, end, first_digit * span))
            first_digit += -(-(end - start) // span)  # the first digits the tier's weights need
            start = end
        if first_digit > _BASE:
            raise ValueError("the tiers need more first digits than there are")

    def write(self, weight: int) -> str:
        for digits, start, end, first in self.tiers:
            if weight < end:
                value = first + weight - start
                written = ""
                for _ in range(digits):
                    value, digit = divmod(value, _BASE)
                    written = DIGITS[digit] + written
                return written
        raise ValueError(f"a collation weight too large for the sort key: {weight}")


def _primary_of(letter: str) -> int:
    return int(_collator.collation_elements(letter)[0][0])


# Letters (at most 0xFFFF): those of the Latin alphabet, most names' letters, in two digits, the ones
# before them in three, the rest in four.
_PRIMARY = _Code([(3, _primary_of("a")), (2, _primary_of("z") + 1), (4, 1 << 16)])
# Accents and case: the usual weights (no accent, lower or upper case) in one digit, the rest in three.
_SECONDARY = _Code([(1, 34), (3, 34 + _BASE ** 2)])
_TERTIARY = _SECONDARY


@lru_cache(maxsize=1 << 16)
def _weights(word: str) -> tuple[str, str, str]:
    """A word's weights at each level, as the stored key writes them: names are made of few distinct
    words, so each is looked up and written once (keying 100,000 people is then a join per name)."""
    elements = _collator.collation_elements(unicodedata.normalize("NFD", word))
    primary = "".join(_PRIMARY.write(e[0]) for e in elements if e[0])
    secondary = "".join(_SECONDARY.write(e[1]) for e in elements if len(e) > 1 and e[1])
    tertiary = "".join(_TERTIARY.write(e[2]) for e in elements if len(e) > 2 and e[2])
    return primary, secondary, tertiary


def name_sort_key(name: str) -> str:
    """The stored sort key of ``name``: primary weights (letters), then secondary (accents), then tertiary (case),
    each level's weights in order with the words' spaces between them, and ``LEVEL_END`` between levels."""
    parts = [_weights(word) for word in name.split(" ")]
    if len(parts) > 1:
        space = _weights(" ")
        spaced = [space] * (2 * len(parts) - 1)
        spaced[::2] = parts
        parts = spaced
    # One pass per level over the words' weights, each level joined once (this runs per person on an import).
    primary, secondary, tertiary = zip(*parts, strict=True)
    return f"{''.join(primary)}{LEVEL_END}{''.join(secondary)}{LEVEL_END}{''.join(tertiary)}"[:KEY_LENGTH]
