"""Names in the order people expect: the Unicode Collation Algorithm (pyuca, pure Python).

Python's own string order puts "Céline" after "Chloé" and "Łucja" after "Zdeněk", because
it compares code points. The collation algorithm compares letters first, then accents,
then case, as a phone book does. A directory of 100,000 people is paged by the database,
so the key is stored beside the name as a string of fixed-width hexadecimal weights:
comparing two such strings byte by byte, as SQLite and PostgreSQL do for these
characters, gives the same order as comparing the weights.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import pyuca

KEY_LENGTH = 1000  # characters stored; a longer key differs only in accents or case past the 80th letter

_collator = pyuca.Collator()


@lru_cache(maxsize=1 << 16)
def _weights(word: str) -> tuple[str, str, str]:
    """A word's weights at each level, as the stored key writes them: names are made of few distinct
    words, so each is looked up and written once (keying 100,000 people is then a join per name)."""
    elements = [tuple(e) for e in _collator.collation_elements(unicodedata.normalize("NFD", word))]
    levels = ("".join(f"{e[level]:04x}" for e in elements if len(e) > level and e[level]) for level in range(3))
    primary, secondary, tertiary = levels
    return primary, secondary, tertiary


def name_sort_key(name: str) -> str:
    """The stored sort key of ``name``: primary weights (letters), then secondary (accents), then tertiary (case),
    each level's weights in order with the words' spaces between them, and a zero weight between levels."""
    parts = [_weights(word) for word in name.split(" ")]
    if len(parts) > 1:
        space = _weights(" ")
        spaced = [space] * (2 * len(parts) - 1)
        spaced[::2] = parts
        parts = spaced
    # One pass per level over the words' weights, each level joined once (this runs per person on an import).
    primary, secondary, tertiary = zip(*parts, strict=True)
    return f"{''.join(primary)}0000{''.join(secondary)}0000{''.join(tertiary)}"[:KEY_LENGTH]
