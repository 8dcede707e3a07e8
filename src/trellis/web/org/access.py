"""Who may see and do what about people: the viewer's relations, read from the database.

The rules (which relation grants which right) are plain data in ``trellis.access``; this
module works out how a signed-in account stands to people (the account's linked person,
the organisation's reporting lines and roles held today) in a fixed number of queries
whatever the number of people asked about. Every page, API operation, export and
health-finding filter asks ``Viewer.may`` or ``Viewer.permitted``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection

from trellis.access import RULES, Relation, Right, scenario_changeable, scenario_visible
from trellis.lib import clock
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD
from trellis.web.accounts.roles import is_admin, is_hr_or_admin
from trellis.web.org.models import DottedLine, Person, RoleAssignment

# Relations another area of the product knows about (a reviewer, a nominated peer: review cycles).
# A source gets the viewer's person key, the people asked about (database key -> id) and the
# relations wanted, and yields (person id, relation) pairs, in a fixed number of queries.
RelationSource = Callable[[int, dict[int, str], frozenset[Relation]], Iterable[tuple[str, Relation]]]
_SOURCES: list[tuple[frozenset[Relation], RelationSource]] = []


def add_relation_source(relations: Iterable[Relation], source: RelationSource) -> None:
    """Register where ``relations`` come from; an app does this once, when Django starts."""
    entry = (frozenset(relations), source)
    if entry not in _SOURCES:
        _SOURCES.append(entry)


@dataclass
class Viewer:
    """The signed-in account looking at a page or calling the API (or an operator on the command line)."""

    user_id: int | None
    staff: frozenset[Relation]  # HR and admin: from the account's groups, not the organisation
    _person: tuple[int, str] | None | bool = field(default=False, repr=False)  # False: not looked up yet

    @classmethod
    def of(cls, user: Any) -> Viewer:
        cached = getattr(user, "_trellis_viewer", None)
        if cached is not None:
            return cached
        signed_in = bool(getattr(user, "is_authenticated", False))
        staff: set[Relation] = set()
        if signed_in and is_admin(user):
            staff.add(Relation.ADMIN)
        if signed_in and is_hr_or_admin(user) and not is_admin(user):
            staff.add(Relation.HR)
        viewer = cls(user_id=user.pk if signed_in else None, staff=frozenset(staff))
        if signed_in:
            user._trellis_viewer = viewer
        return viewer

    @classmethod
    def operator(cls) -> Viewer:
        """The command line: whoever runs it has the database itself, so every right."""
        return cls(user_id=None, staff=frozenset({Relation.ADMIN}), _person=None)

    @classmethod
    def acting_as(cls, person_pk: int, external_id: str) -> Viewer:
        """The command line acting for one person (``--by PERSON``): that person's relations, no staff rights."""
        return cls(user_id=None, staff=frozenset(), _person=(person_pk, external_id))

    @property
    def privileged(self) -> bool:
        """HR or admin."""
        return bool(self.staff)

    @property
    def person(self) -> tuple[int, str] | None:
        """The viewer's own person in the organisation (database key, id), if the account is linked to one."""
        if self._person is False:
            row = None
            if self.user_id is not None:
                row = Person.objects.filter(user_id=self.user_id).values_list("pk", "external_id").first()
            self._person = row
        return self._person  # type: ignore[return-value]

    @property
    def person_id(self) -> str | None:
        return self.person[1] if self.person else None

    def holds(self, right: Right) -> bool:
        """Whether the viewer holds ``right`` by office (HR, admin), about everyone at once: for what concerns
        the whole organisation rather than one person (a cycle's calibration). No query."""
        return bool(self.staff & RULES[right])

    def may(self, right: Right, person_id: str) -> bool:
        return person_id in self.permitted(right, [person_id])

    def require(self, right: Right, person_id: str) -> None:
        """Raise ``PermissionDenied`` (403) unless the viewer holds ``right`` about the person."""
        if not self.may(right, person_id):
            raise PermissionDenied(f"you may not {right.value.replace('-', ' ')} of this person")

    def permitted(self, right: Right, person_ids: Iterable[str]) -> set[str]:
        """Those of ``person_ids`` about whom the viewer holds ``right``."""
        ids = set(person_ids)
        granted = RULES[right]
        if self.staff & granted:
            return ids  # no query: HR and admin rights do not depend on the organisation
        relations = self.relations(ids, only=granted)
        return {pid for pid in ids if relations[pid] & granted}

    def visible_scenarios(self, scenarios: Iterable[tuple[int | None, Iterable[str]]]) -> list[bool]:
        """For each saved what-if scenario, given as (author's account, ids of the people it names),
        whether the viewer may open it (``trellis.access.scenario_visible``). One ``permitted`` call
        for them all."""
        rows = [(author, set(touches)) for author, touches in scenarios]
        mine = [self.user_id is not None and author == self.user_id for author, _ in rows]
        asked = set().union(*(t for (_, t), own in zip(rows, mine, strict=True) if not own)) if rows else set()
        permitted = self.permitted(Right.SEE_SCENARIO, asked) if asked and not self.privileged else asked
        return [scenario_visible(author=own, staff=self.privileged, touches=touches, permitted=permitted)
                for (_, touches), own in zip(rows, mine, strict=True)]

    def may_change_scenario(self, author: int | None) -> bool:
        """Whether the viewer may edit or delete a saved scenario (``trellis.access.scenario_changeable``)."""
        return scenario_changeable(author=self.user_id is not None and author == self.user_id,
                                   staff=self.privileged)

    def permitted_teams(self, right: Right, teams: Iterable[str]) -> set[str]:
        """Those of ``teams`` about which the viewer holds ``right``, as a manager above the team.

        A team's accountable people are its people managers today: the viewer holds the right
        about the team when they hold it about one of them (their managers, solid, dotted or
        further up; HR and admin). A team with no people manager falls to whoever holds the right
        about one of its members, as their managers are the ones accountable for them. A team's
        own people manager does not hold it by that alone: they are the subject, not above it.
        Three queries at most whatever the number of teams, plus those of ``permitted``."""
        names = set(teams)
        if self.staff & RULES[right] or not names:
            return names if self.staff & RULES[right] else set()
        from trellis.web.org.queries import held_on  # queries imports this module

        subjects: dict[str, set[str]] = {name: set() for name in names}
        for team, pid in RoleAssignment.objects.filter(held_on(clock.today()), role=PEOPLE_MANAGER,
                                                       team__name__in=names, person__active=True) \
                .values_list("team__name", "person__external_id"):
            subjects[team].add(pid)
        unmanaged = [name for name, ids in subjects.items() if not ids]
        if unmanaged:
            for team, pid in Person.objects.filter(team__name__in=unmanaged, active=True).values_list(
                    "team__name", "external_id"):
                subjects[team].add(pid)
        allowed = self.permitted(right, {pid for ids in subjects.values() for pid in ids})
        return {name for name, ids in subjects.items() if ids & allowed}

    def relations(self, person_ids: Iterable[str], *,
                  only: frozenset[Relation] | None = None) -> dict[str, frozenset[Relation]]:
        """The viewer's relations to each person; ``only`` limits the work to the relations asked about.

        At most five queries whatever the number of people: the viewer's person, the people
        asked about, dotted lines to the viewer, the teams the viewer leads, and the solid line
        above each person (one recursive query); plus one per registered relation source asked
        about (reviewers and nominated peers: one query each)."""
        ids = set(person_ids)
        wanted = set(Relation) if only is None else set(only)
        found: dict[str, set[Relation]] = {pid: set(self.staff) for pid in ids}
        me = self.person if wanted - {Relation.HR, Relation.ADMIN} else None
        if me is None or not ids:
            return {pid: frozenset(r) for pid, r in found.items()}
        my_pk, my_id = me
        rows = list(Person.objects.filter(external_id__in=ids).values_list("pk", "external_id", "manager_id",
                                                                            "team_id"))
        ext = {pk: pid for pk, pid, _, _ in rows}
        for _, pid, manager_pk, _ in rows:
            if Relation.SELF in wanted and pid == my_id:
                found[pid].add(Relation.SELF)
            if Relation.MANAGER in wanted and manager_pk == my_pk:
                found[pid].add(Relation.MANAGER)
        if Relation.DOTTED_MANAGER in wanted:
            for person_pk in DottedLine.objects.filter(person_id__in=ext, manager_id=my_pk).values_list(
                    "person_id", flat=True):
                found[ext[person_pk]].add(Relation.DOTTED_MANAGER)
        if Relation.TECH_LEAD in wanted:
            from trellis.web.org.queries import held_on  # queries imports this module

            led = set(RoleAssignment.objects.filter(held_on(clock.today()), person_id=my_pk, role=TECH_LEAD)
                      .values_list("team_id", flat=True))
            for pk, pid, _, team_pk in rows:
                if team_pk is not None and team_pk in led and pk != my_pk:
                    found[pid].add(Relation.TECH_LEAD)
        if Relation.MANAGER_ABOVE in wanted:
            for pk in _managed_from_above(my_pk, list(ext)):
                found[ext[pk]].add(Relation.MANAGER_ABOVE)
        for provides, source in _SOURCES:
            asked = provides & wanted
            if asked:
                for pid, relation in source(my_pk, ext, frozenset(asked)):
                    found[pid].add(relation)
        return {pid: frozenset(r) for pid, r in found.items()}


def _managed_from_above(manager_pk: int, person_pks: list[int]) -> set[int]:
    """Those of ``person_pks`` with ``manager_pk`` on their solid line above their direct manager.

    One recursive query, which SQLite and PostgreSQL both run; UNION (not UNION ALL) drops
    repeated rows, so a reporting cycle in bad data ends instead of looping."""
    if not person_pks:
        return set()
    table = connection.ops.quote_name(Person._meta.db_table)
    manager = connection.ops.quote_name(Person._meta.get_field("manager").column)
    marks = ", ".join(["%s"] * len(person_pks))
    sql = (f"WITH RECURSIVE chain(subject, above) AS ("
           f" SELECT p.id, m.{manager} FROM {table} p JOIN {table} m ON m.id = p.{manager} WHERE p.id IN ({marks})"
           f" UNION SELECT chain.subject, p.{manager} FROM chain JOIN {table} p ON p.id = chain.above"
           f" WHERE p.{manager} IS NOT NULL)"
           f" SELECT DISTINCT subject FROM chain WHERE above = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*person_pks, manager_pk])
        return {row[0] for row in cursor.fetchall()}
