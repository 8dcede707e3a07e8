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
def _elements(word: str) -> tuple[tuple[int, ...], ...]:
    # Names are made of few distinct words: looking each word up once makes keying an
    # organisation of 100,000 people several times faster.
    return tuple(tuple(e) for e in _collator.collation_elements(unicodedata.normalize("NFD", word)))


def name_sort_key(name: str) -> str:
    """The stored sort key of ``name``: primary weights (letters), then secondary (accents), then tertiary (case)."""
    elements: list[tuple[int, ...]] = []
    for i, word in enumerate(name.split(" ")):
        if i:
            elements.extend(_elements(" "))
        elements.extend(_elements(word))
    weights: list[int] = []
    for level in range(3):
        if level:
            weights.append(0)
        weights.extend(e[level] for e in elements if len(e) > level and e[level])
    return "".join(f"{w:04x}" for w in weights)[:KEY_LENGTH]
