"""Readiness for every person of a large organisation with a closed cycle: the pure core after loading.

Target (issue 15): readiness for all 10,000 people (current, next and other-track levels) in at
most 1 s once their ratings are loaded. Each person has the pair's ratings of every competency of
the ladder (both halves where ``rated_by`` is both), as a closed cycle freezes them: self and peer
ratings are kept beside, never read for the verdict.
"""

from __future__ import annotations

import random
import time

from trellis.growth.readiness import Rating, everyone
from trellis.health.policy import Policy
from trellis.ladder.load import load_default
from trellis.org.csvio import read_org_csv
from trellis.org.generate import AS_OF, generate_org_csv

DEFAULT_SIZE = 10_000
TARGET_S = 1.0


def ratings_for(levels: list[str], ladder_steps: list[str], competencies: list[str], rng: random.Random,
                rated_by: dict[str, str]) -> list[list[Rating]]:
    found = []
    for _ in levels:
        mine = []
        for comp in competencies:
            for rater in ("tech_lead", "people_manager") if rated_by[comp] == "both" else (rated_by[comp],):
                mine.append(Rating(comp, rng.choice(ladder_steps), rater))
        found.append(mine)
    return found


def run(size: int | None) -> list[str]:
    size = size or DEFAULT_SIZE
    ladder = load_default().ladder
    started = time.perf_counter()
    snapshot = read_org_csv(generate_org_csv(size, seed=11), "generated.csv", ladder, as_of=AS_OF)
    people = sorted(snapshot.active_people.values(), key=lambda p: p.id)
    rng = random.Random(5)
    steps = [s.id for s in ladder.scale]
    ratings = ratings_for([p.level for p in people], steps, [c.id for c in ladder.competencies], rng,
                          {c.id: c.rated_by for c in ladder.competencies})
    load_s = time.perf_counter() - started
    policy = Policy()
    best = float("inf")
    tiers: dict[str, int] = {}
    for _ in range(3):
        t0 = time.perf_counter()
        results = list(everyone(ladder, ((p.id, p.level, r) for p, r in zip(people, ratings, strict=True)),
                                policy).values())
        best = min(best, time.perf_counter() - t0)
    for found in results:
        for r in found:
            tiers[r.tier] = tiers.get(r.tier, 0) + 1
    ok = best <= TARGET_S * size / DEFAULT_SIZE
    return [
        f"people: {len(people)}, ratings: {sum(len(r) for r in ratings)}, targets judged: "
        f"{sum(len(f) for f in results)}",
        f"loading (generate, read, rate): {load_s:.2f} s",
        f"readiness for everyone: {best:.3f} s (ratio to loading {best / load_s:.2f}); target at most "
        f"{TARGET_S * size / DEFAULT_SIZE:.2f} s: {'OK' if ok else 'MISSED'}",
        "tiers: " + ", ".join(f"{k} {v}" for k, v in sorted(tiers.items())),
    ]
