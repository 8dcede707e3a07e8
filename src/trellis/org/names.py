"""Finding people, teams and roles by what a person writes: the one place that reads a reference.

A leader names people by their name or e-mail, not by the HR system's id, and teams by their
name as people say it. So a person is found by id, e-mail or display name, and a team by name
or key (its number in the database, as in its page's address), all case-insensitively; roles
by their id or their words (``tech lead``). Levels are found by the ladder
(``Ladder.find_level``: id or title).

The order decides between readings, most precise first: an id as written, then an id in any
case, then an e-mail, then a name. A name that several active people share is not guessed:
the answer lists them (name, id, team) so the writer can pick one by id or e-mail. Someone who
has left is found only when no one active answers to the same words (a name is reused; an id
is not).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from trellis.org.model import PEOPLE_MANAGER, ROLES, TECH_LEAD, Person

CLOSE_MATCH_LIMIT = 50_000  # above this many names, hints cost more than they help
CANDIDATES = 10  # an ambiguous name lists this many of the people it could be
ROLE_WORDS: dict[str, str] = {TECH_LEAD: "tech lead", PEOPLE_MANAGER: "people manager"}


def fold(text: str) -> str:
    """How two references are compared: case and runs of spaces do not matter."""
    folded = text.casefold()
    # Most names have single spaces and none around them: the split and join is paid only by the rest.
    if "  " in folded or folded[:1].isspace() or folded[-1:].isspace() or "\t" in folded or "\n" in folded:
        folded = " ".join(folded.split())
    return folded


def find_role(written: str) -> str | None:
    """The role ``written`` names: ``tech_lead``, ``Tech lead``, ``tech-lead``...; None if none."""
    key = fold(written).replace("-", "_").replace(" ", "_")
    return key if key in ROLES else None


def quote_word(text: str) -> str:
    """``text`` as one word of the one-line syntax: as it is when it has no space or quote, else
    in double quotes (a backslash before a double quote or a backslash inside)."""
    if text and not any(c.isspace() or c in "\"'\\#@" for c in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Found:
    """What a reference resolved to: ``value`` (a person's id, a team's name) or ``problem`` (why not)."""

    value: str | None
    problem: str | None = None


class OrgNames:
    """The people and teams of one organisation, looked up by what people write.

    ``people`` is everyone known (those who left too); ``teams`` every team name;
    ``team_keys`` other keys of teams (the database's number -> the team's name).
    The indexes of names are built on the first lookup that is not an id.
    """

    def __init__(self, people: Mapping[str, Person], teams: Iterable[str],
                 team_keys: Mapping[str, str] | None = None):
        self.people = people
        self.teams = set(teams)
        self.team_keys = dict(team_keys or {})

    @cached_property
    def _by_words(self) -> tuple[dict[str, str | list[str]], ...]:
        """Folded ids, e-mails and names -> the id of the one person with it, or the ids of several.
        Built once per organisation; at 100,000 people a list for every key would double its cost."""
        ids: dict[str, str | list[str]] = {}
        emails: dict[str, str | list[str]] = {}
        names: dict[str, str | list[str]] = {}
        for pid, person in self.people.items():
            for index, text in ((ids, pid), (emails, person.email), (names, person.name)):
                if text:
                    key = fold(text)
                    found = index.get(key)
                    if found is None:
                        index[key] = pid
                    elif isinstance(found, list):
                        found.append(pid)
                    else:
                        index[key] = [found, pid]
        return ids, emails, names

    def _ids(self, index: int, key: str) -> list[str]:
        found = self._by_words[index].get(key)
        return [] if found is None else [found] if isinstance(found, str) else found

    @cached_property
    def _teams_folded(self) -> dict[str, list[str]]:
        folded: dict[str, list[str]] = {}
        for name in sorted(self.teams):
            folded.setdefault(fold(name), []).append(name)
        return folded

    def person(self, written: str, what: str = "person") -> Found:
        """The id of the person ``written`` names (id, e-mail or name), or why there is none."""
        if written in self.people:
            return Found(written)
        key = fold(written)
        for index in range(3):
            candidates = self._ids(index, key)
            if candidates:
                return self._one(written, candidates, what)
        return Found(None, f"unknown {what} '{written}': no one has that id, name or e-mail{self._person_hint(key)}")

    def _one(self, written: str, candidates: list[str], what: str) -> Found:
        if len(candidates) > 1:
            active = [pid for pid in candidates if self.people[pid].active]
            candidates = active or candidates
        if len(candidates) == 1:
            return Found(candidates[0])
        ordered = sorted(candidates, key=lambda p: (self.people[p].name, p))
        listed = "; ".join(self.label(pid) for pid in ordered[:CANDIDATES])
        more = f" and {len(ordered) - CANDIDATES} more" if len(ordered) > CANDIDATES else ""
        return Found(None, f"'{written}' could be any of {len(candidates)} people: {listed}{more}; write the id or "
                           f"e-mail of the {what} you mean")

    def _person_hint(self, key: str) -> str:
        ids, _, names = self._by_words
        if len(self.people) >= CLOSE_MATCH_LIMIT:
            return ""
        close = difflib.get_close_matches(key, list(ids) + list(names), n=3)
        found: list[str] = []
        for word in close:
            for pid in self._ids(0, word) + self._ids(2, word):
                if pid not in found:
                    found.append(pid)
        return f" (did you mean {', '.join(self.label(pid) for pid in found[:3])}?)" if found else ""

    def team(self, written: str) -> Found:
        """The name of the team ``written`` names (its name in any case, or its key), or why there is none."""
        if written in self.teams:
            return Found(written)
        candidates = self._teams_folded.get(fold(written))
        if candidates and len(candidates) == 1:
            return Found(candidates[0])
        if candidates:
            return Found(None, f"'{written}' could be any of the teams {', '.join(candidates)}: write the name "
                               "exactly, in its case")
        keyed = self.team_keys.get(written.strip())
        if keyed is not None and keyed in self.teams:
            return Found(keyed)
        close = (difflib.get_close_matches(fold(written), list(self._teams_folded), n=3)
                 if len(self.teams) < CLOSE_MATCH_LIMIT else [])
        names = [name for word in close for name in self._teams_folded[word]]
        hint = f" (did you mean {', '.join(names)}?)" if names else ""
        return Found(None, f"unknown team '{written}': no team has that name{hint}")

    def label(self, pid: str) -> str:
        """A person as a list of candidates names them: name (id, team)."""
        person = self.people.get(pid)
        if person is None:
            return pid
        where = [pid, person.team or "no team"]
        if not person.active:
            where.append("has left")
        return f"{person.name} ({', '.join(where)})"

    def word(self, pid: str) -> str:
        """How to write the person in a change so that it reads well and still means them: the name
        when it names no one else, else the id."""
        person = self.people.get(pid)
        if person is not None and self.person(person.name).value == pid:
            return quote_word(person.name)
        return quote_word(pid)
