"""Varied organisations get exactly the findings, metrics and what-if answers recorded for them.

Generated organisations of several sizes, each also scrambled (people leave, change level,
manager, team and preferred track; roles are given, ended and backdated; some report outside),
judged under several policies. The fixture holds what the engine answered for each, word for
word and in order; a faster engine must answer the same. To record it again after a deliberate
change of a rule: ``python -m tests.health.test_recorded_findings``, then read the diff.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.health.builders import LADDER
from trellis.health.engine import evaluate
from trellis.health.policy import Exemption, Policy
from trellis.health.whatif import Simulation, parse_what_if_options
from trellis.org.generate import generate_org
from trellis.org.model import PEOPLE_MANAGER, PREFERRED_TRACKS, TECH_LEAD, OrgSnapshot, RoleSpan

RECORDED = FIXTURES / "health" / "recorded-findings.json"
SIZES = ((60, 1), (240, 2), (700, 3), (1500, 4))
POLICIES: dict[str, Policy] = {
    "default": Policy(),
    "strict": Policy(first_line_span_min=5, first_line_span_max=6, manager_of_managers_span_min=2,
                     manager_of_managers_span_max=4, manager_of_managers_share=0.3, dual_role_limit_days=30,
                     tech_lead_spread_max=1, thin_bench_min=3, no_tech_lead_warning_days=5,
                     no_tech_lead_critical_days=400, small_team_size=5, architecture_line=False,
                     exemptions=(Exemption(code="no-tech-lead", team="*a*", reason="planned"),
                                 Exemption(code="dual-role", department="C*", reason="known"),
                                 Exemption(code="span-of-control", team="*", department="*o*", reason="fine"))),
}


def scrambled(snapshot: OrgSnapshot, seed: int) -> OrgSnapshot:
    """The organisation with about one person in eight changed in some way, and its roles shaken."""
    rng = random.Random(seed)
    ids = list(snapshot.people)  # top down: a manager's id comes before their reports'
    teams = sorted(snapshot.teams)
    levels = [level.id for level in LADDER.levels]
    people = dict(snapshot.people)
    for i, pid in enumerate(ids):
        if rng.random() > 0.125:
            continue
        person = people[pid]
        what = rng.randrange(7)
        if what == 0:
            person = replace(person, active=False)
        elif what == 1:
            person = replace(person, level=rng.choice(levels), level_since=rng.choice(
                (None, snapshot.as_of - timedelta(days=rng.randrange(1, 900)))))
        elif what == 2 and i:
            person = replace(person, manager_id=rng.choice((None, ids[rng.randrange(i)])))
        elif what == 3:
            person = replace(person, team=rng.choice((None, rng.choice(teams))))
        elif what == 4:
            person = replace(person, preferred_track=rng.choice(PREFERRED_TRACKS))
        elif what == 5:
            person = replace(person, reports_outside=True, manager_id=None)
        else:
            person = replace(person, level=rng.choice(levels), preferred_track="technical")
        people[pid] = person
    roles: list[RoleSpan] = []
    for span in snapshot.roles:
        roll = rng.random()
        if roll < 0.06:
            roles.append(replace(span, end=snapshot.as_of - timedelta(days=rng.randrange(0, 400))))
        elif roll < 0.12:
            roles.append(replace(span, start=snapshot.as_of - timedelta(days=rng.randrange(0, 800))))
        else:
            roles.append(span)
    for _ in range(len(ids) // 15):
        start = rng.choice((None, snapshot.as_of - timedelta(days=rng.randrange(0, 1200))))
        end = rng.choice((None, None, snapshot.as_of + timedelta(days=rng.randrange(-300, 30))))
        if start is not None and end is not None and end <= start:
            end = None
        roles.append(RoleSpan(rng.choice(ids), rng.choice(teams), rng.choice((TECH_LEAD, PEOPLE_MANAGER)),
                              start, end))
    return OrgSnapshot(as_of=snapshot.as_of, people=people, teams=dict(snapshot.teams), roles=roles)


def organisations() -> dict[str, OrgSnapshot]:
    found: dict[str, OrgSnapshot] = {}
    for size, seed in SIZES:
        plain = generate_org(size, seed)
        found[f"generated-{size}-{seed}"] = plain
        found[f"scrambled-{size}-{seed}"] = scrambled(plain, seed)
        later = scrambled(plain, seed + 100)
        found[f"scrambled-later-{size}-{seed}"] = later.evolve(as_of=later.as_of + timedelta(days=200))
    return found


def questions(snapshot: OrgSnapshot, seed: int) -> list[list[str]]:
    """What-if questions about people and teams of the organisation, a few changes each."""
    rng = random.Random(seed)
    active = [pid for pid, p in snapshot.people.items() if p.active]
    teams = sorted(snapshot.teams)
    levels = [level.id for level in LADDER.levels]
    asked = []
    for _ in range(6):
        changes = []
        for _ in range(rng.randrange(1, 4)):
            who = rng.choice(active)
            changes.append(rng.choice((
                f"promote {who} {rng.choice(levels)}",
                f"move {who} '{rng.choice(teams)}'",
                f"give {rng.choice((TECH_LEAD, PEOPLE_MANAGER))}@'{rng.choice(teams)}' {who}",
                f"manager {who} {rng.choice(active)}",
                f"leave {who}",
            )))
        asked.append(changes)
    return asked


def answers() -> dict[str, Any]:
    """Everything the engine says about every organisation under every policy."""
    result: dict[str, Any] = {}
    for name, snapshot in organisations().items():
        for policy_name, policy in POLICIES.items():
            ready = {level.id: i % 3 for i, level in enumerate(LADDER.levels)} if policy_name == "strict" else None
            report = evaluate(snapshot, LADDER, policy, ready)
            what_ifs = []
            simulation = Simulation(snapshot, LADDER, policy, ready)
            for changes in questions(snapshot, len(name)):
                answer = simulation.run(parse_what_if_options(changes), skip_inapplicable=True)
                what_ifs.append(answer.to_dict())
            result[f"{name}/{policy_name}"] = {"report": _report(report), "what-if": what_ifs}
    return result


def _report(report: Any) -> dict[str, Any]:
    return {
        "findings": [{**f.to_dict(), "evidence": f.evidence} for f in report.findings],
        "exempted": [e.to_dict() for e in report.exempted],
        "metrics": report.metrics.to_dict(),
    }


@pytest.fixture(scope="module")
def recorded() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RECORDED.read_text(encoding="utf-8"))
    return data


def test_every_organisation_gets_the_recorded_answers(recorded):  # type: ignore[no-untyped-def]
    now = json.loads(json.dumps(answers()))  # dates and tuples as the fixture holds them
    assert sorted(now) == sorted(recorded)
    for key, expected in recorded.items():
        assert now[key] == expected, key


def test_the_recorded_organisations_raise_every_kind_of_finding(recorded):  # type: ignore[no-untyped-def]
    codes = {f["code"] for entry in recorded.values() for f in entry["report"]["findings"]}
    codes |= {e["code"] for entry in recorded.values() for e in entry["report"]["exempted"]}
    assert codes >= {"no-tech-lead", "no-people-manager", "dual-role", "peter-principle-risk", "span-of-control",
                     "tech-lead-spread", "unrecognised-lead", "thin-bench", "architecture-line", "ic-with-reports"}


def _record() -> None:
    RECORDED.write_text(json.dumps(answers(), ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _record()
