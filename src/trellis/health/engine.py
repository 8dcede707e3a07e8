"""The org-health engine: findings and metrics about technical leadership in an organisation.

``evaluate(snapshot, ladder, policy)`` is the whole public entry point for a report. The
work is split by *scope* (a team, a person, a manager's span, the organisation as a whole),
each scope's findings and figures computed from a few indexes by one small function. A full
report touches every scope once (linear in the organisation's size). What-if simulation
(``trellis.health.whatif``) changes a few entries of the indexes, recomputes only the scopes a
change touches and undoes the change afterwards, so that both paths share every rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from datetime import date
from operator import attrgetter
from typing import Any

from trellis.health.index import Delta, Journal, OrgIndex
from trellis.health.policy import Policy
from trellis.health.report import CODES, SEVERITIES, DualRole, Exempted, Finding, HealthReport, Metrics, Severity
from trellis.ladder.model import Ladder
from trellis.lib.clock import written
from trellis.lib.gcpause import gc_paused
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD, OrgSnapshot, Person, RoleSpan, Team, two_jobs

# The public names of the engine, wherever they are defined.
__all__ = ["CODES", "SEVERITIES", "Analysis", "Delta", "DualRole", "Exempted", "Finding", "HealthReport", "Metrics",
           "OrgIndex", "Severity", "evaluate"]


def evaluate(snapshot: OrgSnapshot, ladder: Ladder, policy: Policy | None = None,
             ready: Mapping[str, int] | None = None) -> HealthReport:
    """The health of ``snapshot`` judged against ``ladder`` and ``policy`` (defaults when None).

    ``ready``: once a review cycle is closed, how many people are ready now or close for each
    level (``trellis.growth.readiness``); thin-bench then counts them as the candidates instead
    of everyone one level below."""
    with gc_paused():
        return Analysis(OrgIndex(snapshot), ladder, policy or Policy(), ready).report()


_level_of = attrgetter("level")
_role_of = attrgetter("role")


def label(person: Person | None, person_id: str) -> str:
    """How messages name a person: by name and by the id they were imported with."""
    return f"{person.name} ({person_id})" if person is not None else person_id


def and_list(items: Sequence[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _split_jobs(person: Person, tech_lead_title: str) -> str:
    if person.preferred_track == "technical":
        return (f"Split the jobs: {person.name} prefers the technical track, so keep the tech-lead role and hand "
                "the people-manager role to someone who wants to manage.")
    if person.preferred_track == "management":
        return (f"Split the jobs: {person.name} prefers management, so keep the people-manager role and hand the "
                f"tech-lead role to a {tech_lead_title} or an architect.")
    return (f"Split the jobs: ask {person.name} which of the two to keep, and hand the other to someone who "
            "wants it.")


def days_between(since: date | None, as_of: date) -> int | None:
    return None if since is None else (as_of - since).days


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} people" if word == "person" else f"{n} {word}s"


def _since_text(since: date | None, as_of: date) -> str:
    if since is None:
        return "since before the records begin"
    return f"since {written(since)} ({_plural((as_of - since).days, 'day')})"


class LadderFacts:
    """What the rules need to know about the ladder, looked up once."""

    def __init__(self, ladder: Ladder, policy: Policy):
        self.ladder = ladder
        self.kind = {level.id: ladder.track_kind(level.id) for level in ladder.levels}
        self.grade = {level.id: level.grade for level in ladder.levels}
        self.title = {level.id: level.title for level in ladder.levels}
        tl_level = ladder.levels_by_id.get(policy.min_tech_lead_level)
        arch_level = ladder.levels_by_id.get(policy.architecture_line_level)
        staff_level = ladder.levels_by_id.get(policy.staff_level)
        self.tech_lead_grade = tl_level.grade if tl_level else 0
        self.tech_lead_title = tl_level.title if tl_level else policy.min_tech_lead_level
        self.director_grade = arch_level.grade if arch_level else None
        self.staff_grade = staff_level.grade if staff_level else None
        technical = [level for level in ladder.levels if self.kind[level.id] == "technical"]
        # The top of each technical track is the CTO: the architecture line runs below it.
        tops = {ladder.track_levels(track)[-1].id for track in {level.track for level in technical}}
        self.architecture_levels = {
            level.id for level in technical
            if self.director_grade is not None and level.grade >= self.director_grade and level.id not in tops
        }
        # Technical-leadership levels and the level one below each, on the same track.
        self.bench: list[tuple[str, str]] = []
        for level in technical:
            below = ladder.previous_level(level.id)
            if level.grade >= self.tech_lead_grade and below is not None:
                self.bench.append((level.id, below.id))
        self.parity = track_parity_findings(ladder, self.kind)
        # Technical levels below the tech-lead level: a tech lead there leads without the title.
        self.below_lead = {lv for lv, kind in self.kind.items()
                           if kind == "technical" and self.grade[lv] < self.tech_lead_grade}

    def technical_peer_title(self, level_id: str) -> str | None:
        peers = [p for p in self.ladder.peers(level_id) if self.kind[p.id] == "technical"]
        return peers[0].title if peers else None


def track_parity_findings(ladder: Ladder, kind: dict[str, str]) -> list[Finding]:
    """Grades where the ladder gives the technical track less standing than management.

    ``kind``: the track kind of every level id (technical, management, other)."""
    findings: list[Finding] = []
    for grade in ladder.grades():
        management = [lv for lv in ladder.levels if lv.grade == grade and kind[lv.id] == "management"]
        technical = [lv for lv in ladder.levels if lv.grade == grade and kind[lv.id] == "technical"]
        if management and not technical:
            titles = ", ".join(lv.title for lv in management)
            findings.append(Finding(
                "track-parity", "warning", None, None, None,
                f"Grade {grade} has management levels ({titles}) but no technical level: an engineer can "
                "only reach that grade by leaving the technical track.",
                f"Add a technical level at grade {grade} (for example an architect level) with the same standing.",
                level=management[0].id))
        for mgmt in management:
            for tech in technical:
                if mgmt.pay is None or tech.pay is None or mgmt.pay.currency != tech.pay.currency:
                    continue
                if tech.pay.min < mgmt.pay.min or tech.pay.max < mgmt.pay.max:
                    findings.append(Finding(
                        "track-parity", "warning", None, None, None,
                        f"At grade {grade} the technical level {tech.title} is paid {tech.pay.min}–{tech.pay.max}"
                        f" but its management peer {mgmt.title} {mgmt.pay.min}–{mgmt.pay.max}: the technical "
                        "track is worth less at the same grade.",
                        f"Raise the pay band of {tech.title} to match {mgmt.title}.", level=tech.id))
    return findings


_TeamStat = tuple[bool, bool, bool, bool]  # live, has a tech lead, has a complete pair, small
# for role holders: manages people, teams led technically, on a technical level, under the architecture line
_PersonStat = tuple[bool, int, bool, bool]


class Analysis:
    """The findings and figures of each scope (team, person, span, organisation) over an index.

    Internal to the health package: use ``evaluate`` for a report and ``whatif`` for
    simulations. Inside ``trial()``, ``apply`` changes it and leaving the trial undoes exactly
    what was changed; ``rejudged()`` says which findings the trial replaced, and with what.
    """

    journal: Journal | None = None

    def __init__(self, index: OrgIndex, ladder: Ladder, policy: Policy, ready: Mapping[str, int] | None = None):
        self.index = index
        self.policy = policy
        self.ready = ready
        self.as_of = index.as_of
        facts = self.facts = LadderFacts(ladder, policy)
        people = index.people
        self.n_level = Counter(map(_level_of, people.values()))
        senior_levels = {lv for lv, g in facts.grade.items()
                         if facts.director_grade is not None and g >= facts.director_grade}
        management = {lv for lv, kind in facts.kind.items() if kind == "management"}
        # One pass over everyone for the few at these levels; the rest is over them and the role holders.
        wanted = senior_levels | management
        special = [p for p in people.values() if p.level in wanted] if wanted & self.n_level.keys() else []
        self.senior: dict[str, Person] = {p.id: p for p in special if p.level in senior_levels}
        self.under_arch: set[str] = index.subtrees(
            pid for pid, p in self.senior.items() if p.level in facts.architecture_levels)
        self.f_team: dict[str, list[Finding]] = {}
        self.f_person: dict[str, list[Finding]] = {}
        self.f_span: dict[str, Finding] = {}
        self.f_global: list[Finding] = []
        self._global_before: list[Finding] = []  # during a trial: f_global as it was
        self.team_stat: dict[str, _TeamStat] = {}
        self.person_stat: dict[str, _PersonStat] = {}
        self.span_stat: dict[str, int] = {}
        self.dual: dict[str, DualRole] = {}
        self.n_team = [0, 0, 0, 0]  # live teams, with a tech lead, with a complete pair, small
        self.n_holders = Counter[str]()  # managers, technical_managers, tech_leads, under_arch
        self.n_led = Counter[int]()
        # The fewest reports that satisfy both kinds of manager's minimum, and the most both maximums allow.
        self._span_bounds = (max(policy.first_line_span_min, policy.manager_of_managers_span_min),
                             min(policy.first_line_span_max, policy.manager_of_managers_span_max))
        # Every scope is judged once; the figures are counted afterwards, once per kind of figure.
        judge_team = self._judge_team
        for team in index.teams.keys() | index.members.keys() | index.team_roles.keys():
            judge_team(team)
        for team_stat, times in Counter(self.team_stat.values()).items():
            self._count_team(team_stat, times)
        wary = {p.id for p in special if p.preferred_track == "technical" and p.level in management}
        judge_person = self._judge_person
        for pid in index.person_roles.keys() | wary:
            judge_person(pid)
        for person_stat, times in Counter(self.person_stat.values()).items():
            self._count_holder(person_stat, times)
        # Everyone with reports, and everyone who manages (a people-manager role or a management
        # level) even with no one reporting to them.
        managing = {pid for pid, stat in self.person_stat.items() if stat[0]}  # holds a people-manager role
        managing.update(p.id for p in special if p.level in management)
        judge_span = self._judge_span
        for manager in index.reports.keys() | managing:
            judge_span(manager)
        self.n_span = Counter(self.span_stat.values())
        self.refresh_global()

    # -- trying changes (what-if) -------------------------------------------------------

    @contextmanager
    def trial(self) -> Iterator[None]:
        """Everything ``apply`` changes inside is put back on leaving (one trial at a time)."""
        # The counters are a few dozen entries: copied whole. The rest is recorded entry by entry.
        saved = (self.n_level.copy(), self.n_holders.copy(), self.n_led.copy(), self.n_span.copy(),
                 list(self.n_team), self.f_global, self.as_of, self.index.teams)
        journal = self.journal = self.index.journal = Journal()
        self._global_before = self.f_global
        try:
            yield
        finally:
            self.journal = self.index.journal = None
            journal.undo()
            (self.n_level, self.n_holders, self.n_led, self.n_span, self.n_team, self.f_global, self.as_of,
             self.index.teams) = saved
            self.index.as_of = self.as_of

    def rejudged(self) -> tuple[list[Finding], list[Finding]]:
        """Inside a trial: the findings of every scope judged again, as they were and as they are now."""
        assert self.journal is not None, "only inside trial()"
        old: list[Finding] = list(self._global_before)
        new: list[Finding] = list(self.f_global)
        for scopes in (self.f_team, self.f_person):
            for key, was in self.journal.changed(scopes).items():
                old += was or ()
                new += scopes.get(key, ())
        for manager, span_was in self.journal.changed(self.f_span).items():
            old += [span_was] if span_was is not None else []
            now = self.f_span.get(manager)
            new += [now] if now is not None else []
        return old, new

    def _record(self, *pairs: tuple[MutableMapping[str, Any], str]) -> None:
        if self.journal is not None:
            for mapping, key in pairs:
                self.journal.record(mapping, key)

    def move_to(self, snapshot: OrgSnapshot) -> None:
        """Inside a trial: judge ``snapshot`` (the same organisation on another day, such as a
        rewound one) by changing only what differs. Every finding code comes out as a full
        evaluation's would; findings of scopes nothing touched keep their old wording."""
        self.step_to(snapshot.as_of, snapshot.teams, self.index.delta_to(snapshot))

    def step_to(self, day: date, teams: dict[str, Team], delta: Delta) -> None:
        """Inside a trial: judge the organisation on ``day``, with ``teams``, after ``delta`` (what
        differs from the day judged now): ``move_to`` when the caller already knows the delta."""
        self.as_of = self.index.as_of = day
        self.index.teams = teams
        self.apply(delta)

    def counts(self) -> dict[str, int]:
        """How many findings of each code there are now (``HealthReport.counts`` without the report)."""
        counts = Counter(f.code for f in self.f_global)
        for group in self.f_team.values():
            for f in group:
                counts[f.code] += 1
        for group in self.f_person.values():
            for f in group:
                counts[f.code] += 1
        for finding in self.f_span.values():
            counts[finding.code] += 1
        return {code: counts.get(code, 0) for code in CODES}

    def apply(self, delta: Delta) -> None:
        """Bring the indexes up to date with ``delta`` and judge again the scopes it touches."""
        index, facts = self.index, self.facts
        teams: set[str] = set()
        people: set[str] = set()
        spans: set[str] = set()
        moved: set[str] = set()  # people whose place in the solid-line tree or on the ladder changed
        for span in delta.ended:
            index.end_role(span)
            teams.add(span.team)
            people.add(span.person_id)
        for span in delta.added:
            index.add_role(span)
            teams.add(span.team)
            people.add(span.person_id)
        for pid, new in delta.people.items():
            old = index.set_person(new)
            people.add(pid)
            spans.add(pid)
            for record in (old, new if new.active else None):
                if record is None:
                    continue
                teams.add(record.team or "")
                spans.add(record.manager_id or "")
            self._record((self.senior, pid))
            if old is not None:
                self.n_level[old.level] -= 1
                self.senior.pop(pid, None)
            if new.active:
                self.n_level[new.level] += 1
                if facts.director_grade is not None and facts.grade.get(new.level, 0) >= facts.director_grade:
                    self.senior[pid] = new
            if old is None or not new.active or old.manager_id != new.manager_id or old.level != new.level:
                moved.add(pid)
        people |= self._remark_architecture_line(index.subtrees(moved))
        # A span depends on the person's roles and place in the architecture line, and on the
        # reports' own reports and roles (first-line or manager of managers; tech leads or not).
        spans |= people
        spans |= {index.people[m].manager_id or "" for m in list(spans) if m in index.people}
        for team in teams - {""}:
            self.refresh_team(team)
        for pid in people:
            self.refresh_person(pid)
        for manager in spans - {""}:
            self.refresh_span(manager)
        self.refresh_global()

    def _remark_architecture_line(self, group: set[str]) -> set[str]:
        """Decide again, for everyone in ``group``, whether their solid line runs up through the
        architecture line; return those whose answer changed. Each chain is walked once."""
        arch_levels = self.facts.architecture_levels
        people = self.index.people
        before = group & self.under_arch
        self.under_arch -= group
        fresh: dict[str, bool] = {}
        for start in group:
            chain: list[str] = []
            pid: str | None = start
            answer = False
            while pid is not None:
                if pid in fresh:
                    answer = fresh[pid]
                    break
                if pid not in group:
                    answer = pid in self.under_arch
                    break
                person = people.get(pid)
                if person is None or pid in chain:  # someone who left, or a cycle
                    break
                chain.append(pid)
                if person.level in arch_levels:
                    answer = True
                    break
                pid = person.manager_id
            for walked in chain:
                fresh[walked] = answer
        after = {pid for pid, mark in fresh.items() if mark}
        self.under_arch |= after
        changed = before ^ after
        if self.journal is not None:
            for pid in changed:
                self.journal.record_member(self.under_arch, pid, was=pid in before)
        return changed

    # -- the scopes ---------------------------------------------------------------------

    def refresh_team(self, team: str) -> None:
        if self.journal is not None:
            self.journal.record(self.team_stat, team)
            self.journal.record(self.f_team, team)
        old = self.team_stat.pop(team, None)
        if old is not None:
            self._count_team(old, -1)
        self.f_team.pop(team, None)
        stat = self._judge_team(team)
        if stat is not None:
            self._count_team(stat, 1)

    def _judge_team(self, team: str) -> _TeamStat | None:
        """Judge a team not judged yet: its findings and its figures, kept (not counted); None when empty."""
        members = self.index.members.get(team, ())
        roles = self.index.team_roles.get(team, ())
        if not members and not roles:
            return None  # an empty team needs no leaders
        tech_leads = managers = False
        for r in roles:
            if r.role == TECH_LEAD:
                tech_leads = True
            elif r.role == PEOPLE_MANAGER:
                managers = True
        # A team of one or two is not judged for its leaders: it is often a function or a team
        # being formed, and pairing it with two leaders would be more leaders than people.
        small = len(members) < self.policy.small_team_size
        if not small and (not tech_leads or not managers):
            findings = []
            if not tech_leads:
                findings.append(self._missing_role(team, TECH_LEAD, len(members)))
            if not managers:
                findings.append(self._missing_role(team, PEOPLE_MANAGER, len(members)))
            self.f_team[team] = findings
        stat = self.team_stat[team] = (True, tech_leads, tech_leads and managers, small)
        return stat

    def _count_team(self, stat: _TeamStat, sign: int) -> None:
        counts = self.n_team
        for i, flag in enumerate(stat):
            if flag:
                counts[i] += sign

    def _missing_role(self, team: str, role: str, size: int) -> Finding:
        last = self.index.last_end.get((team, role))
        known_team = self.index.teams.get(team)
        since = last[0] if last else (known_team.since if known_team else None)
        days = days_between(since, self.as_of)
        previous = ""
        if last is not None:
            previous = f"; the last was {label(self.index.all_people.get(last[1]), last[1])}"
        people = _plural(size, "person")
        when = _since_text(since, self.as_of)
        if role == TECH_LEAD:
            policy = self.policy
            severity: Severity = "warning"
            if days is not None:
                severity = ("critical" if days >= policy.no_tech_lead_critical_days else
                            "warning" if days >= policy.no_tech_lead_warning_days else "info")
            return Finding(
                "no-tech-lead", severity, team, None, since,
                f"Team {team} ({people}) has had no tech lead {when}{previous}: no one leads its technical work.",
                f"Name a tech lead for {team}: a {self.facts.tech_lead_title} on the team, or an architect "
                "who can lead it day to day.", evidence=f"{size} people")
        return Finding(
            "no-people-manager", "warning", team, None, since,
            f"Team {team} ({people}) has had no people manager {when}{previous}: no one looks after its people "
            "one by one.",
            f"Name a people manager for {team}, or place the team with a manager whose span has room.",
            evidence=f"{size} people")

    def refresh_person(self, pid: str) -> None:
        if self.journal is not None:
            self.journal.record(self.person_stat, pid)
            self.journal.record(self.f_person, pid)
            self.journal.record(self.dual, pid)
        old = self.person_stat.pop(pid, None)
        if old is not None:
            self._count_holder(old, -1)
        self.f_person.pop(pid, None)
        self.dual.pop(pid, None)
        stat = self._judge_person(pid)
        if stat is not None:
            self._count_holder(stat, 1)

    def _judge_person(self, pid: str) -> _PersonStat | None:
        """Judge a person not judged yet: findings kept, figures kept (not counted); None when they hold no role."""
        person = self.index.people.get(pid)
        if person is None:
            return None
        roles = self.index.person_roles.get(pid, ())
        level = person.level
        kind = self.facts.kind.get(level, "other")
        findings = []
        led: tuple[str, ...]
        managed: tuple[str, ...]
        if len(roles) == 1:  # most role holders hold one role: skip the sets
            only = roles[0]
            led, managed = ((only.team,), ()) if only.role == TECH_LEAD else ((), (only.team,))
        else:
            leads: set[str] = set()
            manages: set[str] = set()
            for r in roles:
                if r.role == TECH_LEAD:
                    leads.add(r.team)
                elif r.role == PEOPLE_MANAGER:
                    manages.add(r.team)
            led, managed = tuple(sorted(leads)), tuple(sorted(manages))
            if len(roles) > 1 and two_jobs(map(_role_of, roles)):
                findings.append(self._dual_role(person, roles, led, managed))
        if person.preferred_track == "technical" and (managed or kind == "management"):
            findings.append(self._peter_principle(person, roles, managed, kind))
        if len(led) > self.policy.tech_lead_spread_max:
            findings.append(Finding(
                "tech-lead-spread", "warning", None, pid, self._spread_since(roles),
                f"{label(person, pid)} is tech lead of {len(led)} teams ({and_list(led)}); one person can lead "
                f"at most {self.policy.tech_lead_spread_max} day to day, so the others have a void in practice.",
                f"Name a tech lead on some of these teams and let {person.name} guide them as an architect.",
                evidence=",".join(led)))
        if led and level in self.facts.below_lead:
            title = self.facts.title.get(person.level, person.level)
            findings.append(Finding(
                "unrecognised-lead", "info", led[0], pid,
                _earliest(r.start for r in roles if r.role == TECH_LEAD),
                f"{label(person, pid)} leads {and_list(led)} technically as a {title}, below "
                f"{self.facts.tech_lead_title}: the work without the title.",
                f"Consider promoting {person.name} on the technical track toward {self.facts.tech_lead_title}.",
                evidence=f"{person.level}:{','.join(led)}"))
        if findings:
            self.f_person[pid] = findings
        if not roles:
            return None
        stat = self.person_stat[pid] = (bool(managed), len(led), kind == "technical", pid in self.under_arch)
        return stat

    def _spread_since(self, roles: Sequence[RoleSpan]) -> date | None:
        """When the person took up one team too many: the start of the first lead role beyond the limit."""
        first: dict[str, date] = {}
        for r in roles:
            if r.role == TECH_LEAD:
                start = r.start or date.min  # held since before the records begin
                first[r.team] = min(first.get(r.team, start), start)
        since = sorted(first.values())[self.policy.tech_lead_spread_max]
        return None if since == date.min else since

    def _count_holder(self, stat: _PersonStat, sign: int) -> None:
        manages, led, technical, under = stat
        counts = self.n_holders
        if manages:
            counts["managers"] += sign
            if technical:
                counts["technical_managers"] += sign
        if led:
            self.n_led[led] += sign
            counts["tech_leads"] += sign
            if under:
                counts["under_arch"] += sign

    def _dual_role(self, person: Person, roles: Sequence[RoleSpan], led: Sequence[str],
                   managed: Sequence[str]) -> Finding:
        # Each role counts from when it was first taken up; the two jobs together from the later one.
        tl_start = _earliest(r.start for r in roles if r.role == TECH_LEAD)
        pm_start = _earliest(r.start for r in roles if r.role == PEOPLE_MANAGER)
        since = max(tl_start, pm_start) if tl_start and pm_start else (tl_start or pm_start)
        days = days_between(since, self.as_of)
        limit = self.policy.dual_role_limit_days
        self.dual[person.id] = DualRole(person.id, person.name, since, days)
        severity: Severity = "critical" if days is not None and days > limit else "warning"
        if led == managed and len(led) == 1:
            what = f"both people manager and tech lead of {led[0]}"
        else:
            what = f"people manager of {and_list(managed)}, and tech lead of {and_list(led)}"
        over = f", more than the {limit} days the policy allows" if severity == "critical" else ""
        return Finding(
            "dual-role", severity, managed[0], person.id, since,
            f"{label(person, person.id)} is {what} {_since_text(since, self.as_of)}{over}: two jobs at once, "
            "and the technical one is usually the one dropped.",
            _split_jobs(person, self.facts.tech_lead_title),
            evidence=f"{','.join(managed)}|{','.join(led)}")

    def _peter_principle(self, person: Person, roles: Sequence[RoleSpan], managed: Sequence[str], kind: str) -> Finding:
        title = self.facts.title.get(person.level, person.level)
        starts = [r.start for r in roles if r.role == PEOPLE_MANAGER]
        if kind == "management":
            starts.append(person.level_since)
        since = None if None in starts else _earliest(starts)
        where = []
        if kind == "management":
            where.append(f"holds the management level {title}")
        if managed:
            where.append(f"manages {and_list(managed)}")
        peer = self.facts.technical_peer_title(person.level)
        keep = f" (at the same grade: {peer})" if peer and kind == "management" else ""
        return Finding(
            "peter-principle-risk", "warning", managed[0] if managed else person.team, person.id, since,
            f"{label(person, person.id)} {' and '.join(where)} but prefers the technical track.",
            f"Talk with {person.name} about the technical track{keep}; a move between tracks keeps their standing.",
            evidence=f"{person.level}:{','.join(managed)}")

    def refresh_span(self, manager: str) -> None:
        if self.journal is not None:
            self.journal.record(self.span_stat, manager)
            self.journal.record(self.f_span, manager)
        old = self.span_stat.pop(manager, None)
        if old is not None:
            self.n_span[old] -= 1
        self.f_span.pop(manager, None)
        n = self._judge_span(manager)
        if n:
            self.n_span[n] += 1

    def _judge_span(self, manager: str) -> int:
        """Judge a span not judged yet: its finding kept; the number of reports (kept, not counted)."""
        person = self.index.people.get(manager)
        if person is None:
            return 0
        reports = self.index.reports.get(manager, [])
        n = len(reports)
        if n:
            self.span_stat[manager] = n
        finding = self._span_finding(person, reports)
        if finding is not None:
            self.f_span[manager] = finding
        return n

    def manages(self, person: Person) -> bool:
        """Holds a people-manager role, or a level on the management track."""
        if self.facts.kind.get(person.level, "other") == "management":
            return True
        for r in self.index.person_roles.get(person.id, ()):
            if r.role == PEOPLE_MANAGER:
                return True
        return False

    def at_top(self, person: Person) -> bool:
        """At the top of the organisation: no manager in it, and not reporting to someone outside it
        (the head of a division imported alone answers to someone, so is held to a span like anyone)."""
        return not person.reports_outside and (person.manager_id is None or person.manager_id not in self.index.people)

    def _span_finding(self, person: Person, reports: list[str]) -> Finding | None:
        """Too many or too few solid-line reports for the person's kind of job, or reports without the role."""
        manager, n, policy, facts = person.id, len(reports), self.policy, self.facts
        kind = facts.kind.get(person.level, "other")
        manages = self.manages(person)
        if not n and not manages:
            return None
        if kind == "technical" and not manages:
            grade = facts.grade.get(person.level, 0)
            below_line = facts.director_grade is None or grade < facts.director_grade
            if below_line and not self._leads_leaders(person, reports):
                return self._ic_with_reports(person, reports)
        fewest, most = self._span_bounds
        if n <= most and (not manages or (n and n >= fewest) or self.at_top(person)):
            return None  # within the bounds of either kind of manager: no need to tell which kind
        top = self.at_top(person)
        # A manager of managers when most reports manage people themselves: one report with a
        # report of their own does not turn a first-line manager of seven into a manager of managers.
        leading = sum(map(self.index.reports.__contains__, reports))
        who = label(person, manager)
        of_managers = n > 0 and leading / n > policy.manager_of_managers_share
        if of_managers and n > policy.manager_of_managers_span_max:
            return Finding(
                "span-of-control", "warning", person.team, manager, None,
                f"{who} has {n} direct reports, some of whom manage people; a manager of managers should "
                f"have at most {policy.manager_of_managers_span_max}.",
                f"Add a level of management under {person.name} or move some groups to a peer.",
                evidence=f"managers:{n}")
        if not of_managers and n > policy.first_line_span_max:
            return Finding(
                "span-of-control", "warning", person.team, manager, None,
                f"{who} has {n} direct reports; above {policy.first_line_span_max} a first-line manager "
                "becomes a coach rather than a manager.",
                f"Split the group: name a second people manager, or move some of {person.name}'s reports.",
                evidence=f"first-line:{n}")
        if top or not manages:
            return None  # the top of the organisation, and technical leaders, are held to no minimum
        if n == 0:
            return self._manages_no_one(person)
        if of_managers and n < policy.manager_of_managers_span_min:
            return Finding(
                "span-of-control", "info", person.team, manager, None,
                f"{who} has only {_plural(n, 'direct report')}, {'who manages' if n == 1 else 'most of whom manage'}"
                f" people; under {policy.manager_of_managers_span_min} a manager of managers is a layer that "
                "passes work down rather than a group to lead.",
                f"Remove the layer (let {person.name}'s reports move up a level) or give {person.name} more "
                "groups to lead.", evidence=f"managers:{n}")
        if not of_managers and n < policy.first_line_span_min:
            return Finding(
                "span-of-control", "info", person.team, manager, None,
                f"{who} has only {_plural(n, 'direct report')}; under {policy.first_line_span_min} a first-line "
                "manager is in effect a tech-lead-manager.",
                f"Merge the group with a neighbouring one, or let {person.name} lead technically instead.",
                evidence=f"first-line:{n}")
        return None

    def _leads_leaders(self, person: Person, reports: list[str]) -> bool:
        """An architect in the architecture line to whom only technical leaders report: the line at work.

        In a large organisation the tech leads reach the Director of Architecture through
        architects; that is the shape the product aims for, not people management in disguise."""
        if person.id not in self.under_arch:
            return False
        grade, people, roles = self.facts.grade, self.index.people, self.index.person_roles
        for r in reports:
            report = people.get(r)
            if report is None:
                return False
            leads = any(span.role == TECH_LEAD for span in roles.get(r, ()))
            if not leads and (self.facts.kind.get(report.level) != "technical"
                              or grade.get(report.level, 0) < self.facts.tech_lead_grade):
                return False
        return True

    def _manages_no_one(self, person: Person) -> Finding:
        managed = sorted({r.team for r in self.index.person_roles.get(person.id, ()) if r.role == PEOPLE_MANAGER})
        holds = (f"holds the people-manager role on {and_list(managed)}" if managed else
                 f"holds the management level {self.facts.title.get(person.level, person.level)}")
        return Finding(
            "span-of-control", "info", person.team, person.id, None,
            f"{label(person, person.id)} {holds} but has no direct reports: a manager who manages no one, "
            "or reporting lines missing from the records.",
            f"Record the solid lines of the people {person.name} manages, or end the role if it is no longer "
            f"{person.name}'s.", evidence="first-line:0")

    def _ic_with_reports(self, person: Person, reports: list[str]) -> Finding:
        title = self.facts.title.get(person.level, person.level)
        people = self.index.people
        named = sorted(label(people.get(r), r) for r in reports)
        shown = and_list(named[:3] + ([f"{len(named) - 3} more"] if len(named) > 3 else []))
        return Finding(
            "ic-with-reports", "warning", person.team, person.id, None,
            f"{label(person, person.id)} is a {title} on the technical track with no people-manager role, yet "
            f"{_plural(len(reports), 'person')} report{'s' if len(reports) == 1 else ''} to them ({shown}): "
            "people management without the role, the two-jobs trap hidden from the records.",
            f"Either record the people-manager role for {person.name}, so the work is seen and weighed against "
            "their technical work, or move the reports to a people manager.",
            evidence=str(len(reports)))

    def refresh_global(self) -> None:
        findings = list(self.facts.parity)
        findings += self._thin_bench()
        if self.policy.architecture_line:
            findings += self._architecture_line()
        self.f_global = findings

    def _thin_bench(self) -> list[Finding]:
        findings = []
        title = self.facts.title
        for level, below in self.facts.bench:
            holders = self.n_level.get(level, 0)
            ready = self.ready is not None
            candidates = self.ready.get(level, 0) if self.ready is not None else self.n_level.get(below, 0)
            if candidates >= self.policy.thin_bench_min:
                continue
            whom = (f"{_plural(candidates, 'candidate')} ready now or close for it in the last closed review "
                    "cycle" if ready else f"{_plural(candidates, 'candidate')} one level below ({title[below]})")
            findings.append(Finding(
                "thin-bench", "warning" if candidates == 0 and holders else "info", None, None, None,
                f"{title[level]} ({_plural(holders, 'person')} today) has {whom}; the policy asks for at least "
                f"{self.policy.thin_bench_min}.",
                f"Grow {title[below]}s toward {title[level]}: give them its scope with a mentor at that level.",
                level=level, evidence=f"{holders}/{candidates}"))
        return findings

    def _architecture_line(self) -> list[Finding]:
        grade, kind = self.facts.grade, self.facts.kind
        director = self.facts.director_grade
        if director is None:
            return []
        heads = sorted(pid for pid, p in self.senior.items() if kind.get(p.level) == "management")
        if not heads:
            return []
        leaders = sorted(pid for pid, p in self.senior.items() if p.level in self.facts.architecture_levels)
        if not leaders:
            named = ", ".join(label(self.index.people[h], h) for h in heads[:3]) + (", ..." if len(heads) > 3 else "")
            return [Finding(
                "architecture-line", "warning", None, None, None,
                f"{_plural(len(heads), 'people-management leader')} at director grade or above ({named}), but no "
                "technical-track leader below the CTO at that grade: technical leadership has no seat among them.",
                "Name a Director of Architecture (or an equivalent technical level) whose peers are the heads of "
                "people management, and let the tech leads report up through that line.",
                evidence=",".join(heads))]
        findings = []
        for pid in leaders:
            person = self.index.people[pid]
            if person.manager_id is not None and person.manager_id in self.index.people:
                peers = [self.index.people[x] for x in self.index.reports.get(person.manager_id, []) if x != pid]
                boss = f"the other reports of {label(self.index.people[person.manager_id], person.manager_id)}"
            else:
                # Someone reporting outside the organisation is not at its top: their peers
                # are the others who report outside it.
                peers = [p for x, p in self.senior.items() if x != pid and p.reports_outside == person.reports_outside
                         and (p.manager_id is None or p.manager_id not in self.index.people)]
                boss = ("the others who report outside the organisation" if person.reports_outside else
                        "the others at the top of the organisation")
            if any(kind.get(p.level) == "management" and grade.get(p.level, 0) >= director for p in peers):
                continue
            findings.append(Finding(
                "architecture-line", "warning", None, pid, None,
                f"{label(person, pid)} leads on the technical track at director grade, but none of {boss} is a "
                "people-management leader of that grade: the architecture line does not sit beside management.",
                f"Place {person.name} beside the heads of people management, reporting to the same manager.",
                evidence=person.manager_id or ""))
        return findings

    # -- the report -----------------------------------------------------------------------

    def report(self) -> HealthReport:
        findings: list[Finding] = list(self.f_global)
        for group in self.f_team.values():
            findings += group
        for group in self.f_person.values():
            findings += group
        findings += self.f_span.values()
        findings.sort(key=Finding.sort_key)
        judged, exempted = self.exempt(findings)
        return HealthReport(self.as_of, judged, self.metrics(), exempted)

    def exempt(self, findings: list[Finding]) -> tuple[list[Finding], list[Exempted]]:
        """The findings the policy judges, and those its exemptions cover (with their reasons), in order."""
        if not self.policy.exemptions:
            return findings, []
        judged: list[Finding] = []
        exempted: list[Exempted] = []
        for f in findings:
            team = self.index.teams.get(f.team) if f.team else None
            exemption = self.policy.exemption(f.code, f.team, team.department if team else None)
            if exemption is None:
                judged.append(f)
            else:
                exempted.append(Exempted(f, exemption.reason))
        return judged, exempted

    def metrics(self) -> Metrics:
        facts, n = self.facts, self.n_holders
        live, with_lead, with_pair, small = self.n_team
        by_track: Counter[str] = Counter()
        staff = 0
        for level, count in self.n_level.items():
            kind = facts.kind.get(level, "other")
            by_track[kind] += count
            if kind == "technical" and facts.staff_grade is not None and facts.grade[level] >= facts.staff_grade:
                staff += count
        technical = by_track["technical"]
        engineers = technical - n["technical_managers"]
        spans = {k: v for k, v in sorted(self.n_span.items()) if v > 0}
        led = {k: v for k, v in sorted(self.n_led.items()) if v > 0}
        tech_leads = n["tech_leads"]
        return Metrics(
            headcount=len(self.index.people),
            headcount_by_track={k: v for k, v in sorted(by_track.items()) if v},
            headcount_by_level={level.id: self.n_level.get(level.id, 0) for level in facts.ladder.levels},
            teams=live, teams_with_tech_lead=with_lead, teams_with_pair=with_pair, small_teams=small,
            tech_lead_share=_share(with_lead, live), pair_share=_share(with_pair, live),
            managers=n["managers"], engineers=engineers,
            engineers_per_manager=_share(engineers, n["managers"]),
            span_mean=_share(sum(k * v for k, v in spans.items()), sum(spans.values())),
            span_max=max(spans, default=0), span_distribution=spans,
            staff_and_above=staff, staff_and_above_share=_share(staff, technical),
            dual_roles=[self.dual[k] for k in sorted(self.dual)],
            tech_leads=tech_leads,
            teams_per_tech_lead_mean=_share(sum(k * v for k, v in led.items()), tech_leads),
            teams_per_tech_lead_max=max(led, default=0), teams_per_tech_lead_distribution=led,
            architecture_line_share=_share(n["under_arch"], tech_leads),
            level_titles=dict(facts.title),
        )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _earliest(days: Iterable[date | None]) -> date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None
