"""Readiness from the database at a 10,000-person organisation with a closed cycle.

A generated organisation is imported into a fresh SQLite database and one review cycle for everyone is
opened through the services; the pair's ratings (every competency each half rates, drawn around the
level's expectations) are stored as submitted reviews, then the cycle is closed through the services,
which freezes every review and its readiness. After that loading, the figures:

- readiness for every participant of the closed cycle (``trellis readiness --cycle``, the calibration
  page's tiers): target at most 1 s;
- the same while the cycle is still in calibration, worked out from the reviews and adjustments;
- closing the cycle (freezing 10,000 reviews) and calibration's figures for the whole cycle, for information;
- a person's readiness page: its query count for the person with the longest history and for one with none
  must be equal.

The work runs in a child process with its own database file.
"""

from __future__ import annotations

import json
import random
import sys
import time

from bench.child import ChildFailed, generated_org_in, measure_in_child
from bench.harness import Figure, at_most

DEFAULT_SIZE = 10_000
TARGET_S = 1.0


def child(size: int, workdir: str) -> dict[str, object]:
    generated_org_in(workdir, size)
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from trellis.web.growth import queries, services
    from trellis.web.growth.models import Cycle, Review
    from trellis.web.org.access import Viewer

    hr = Viewer.operator()
    started = time.perf_counter()
    cycle = services.create_cycle(hr, name="bench", period_start=timezone.now().date(),
                                  period_end=timezone.now().date())
    services.open_cycle(hr, cycle)
    ladder = services.cycle_ladder(cycle)
    rank, scale = ladder.step_rank, [s.id for s in ladder.scale]
    rng = random.Random(5)
    reviews = list(Review.objects.filter(participant__cycle=cycle, reviewer__isnull=False).select_related(
        "participant"))
    now = timezone.now()
    for r in reviews:
        level = ladder.levels_by_id[r.participant.level]
        r.ratings = {c.id: scale[max(0, min(len(scale) - 1, rank[level.expectations[c.id].step]
                                            + rng.choice((-2, -1, 0, 0, 1))))]
                     for c in ladder.competencies if c.rated_by_role(r.role) and c.id in level.expectations}
        r.submitted_at = now
    with transaction.atomic():
        Review.objects.bulk_update(reviews, ["ratings", "submitted_at"], batch_size=2000)
    services.move_to_calibration(hr, cycle)
    load_s = time.perf_counter() - started

    def best(fn) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    def bare_rows() -> None:  # the least any reading of the cycle costs: its rows, nothing made of them
        list(Review.objects.filter(participant__cycle=cycle, submitted_at__isnull=False).values_list(
            "participant_id", "role", "ratings"))
        list(cycle.participants.values_list("pk", "person__external_id", "level"))

    running_base_s = best(bare_rows)
    running_s = best(lambda: queries.cycle_readiness(cycle))
    t0 = time.perf_counter()
    queries.calibration_view(hr, cycle.pk)
    calibration_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    services.close_cycle(hr, cycle)
    close_s = time.perf_counter() - t0
    cycle = Cycle.objects.get(pk=cycle.pk)
    closed_base_s = best(lambda: list(cycle.participants.values_list("person__external_id", "frozen")))
    closed_s = best(lambda: queries.cycle_readiness(cycle))
    people = len(queries.cycle_readiness(cycle))

    client = Client()
    client.force_login(User.objects.create_superuser("bench", "bench@example.org", "bench-password"))
    reviewed = reviews[0].participant.person.external_id
    unreviewed = "nobody-has-this-id"
    from trellis.web.org.models import Person

    outside = Person.objects.exclude(cycles__cycle=cycle).values_list("external_id", flat=True).first()
    unreviewed = outside or reviewed

    def count(pid: str) -> int:
        client.get(f"/growth/people/{pid}/")
        with CaptureQueriesContext(connection) as q:
            client.get(f"/growth/people/{pid}/")
        return len(q)

    return {"people": people, "load_s": load_s, "running_s": running_s, "close_s": close_s, "closed_s": closed_s,
            "calibration_s": calibration_s, "running_base_s": running_base_s, "closed_base_s": closed_base_s,
            "page_queries": [count(unreviewed), count(reviewed)]}


def run(size: int | None) -> list[str | Figure]:
    size = size or DEFAULT_SIZE
    try:
        r = measure_in_child("bench.bench_readiness_db", size)
    except ChildFailed as exc:
        return [f"MISSED: the benchmark failed: {exc}"]
    target = TARGET_S * size / DEFAULT_SIZE
    lines: list[str | Figure] = [f"{size:,} people in the organisation, {r['people']:,} in the cycle; loading "
                                 f"(import, open, ratings): {r['load_s']:.1f} s"]
    for key, name, value, base in (
            ("readiness-db-closed", "readiness for everyone, closed cycle (what it froze)", "closed_s",
             "closed_base_s"),
            ("readiness-db-calibration", "readiness for everyone, cycle in calibration (worked out)", "running_s",
             "running_base_s")):
        lines.append(Figure(key, name, r[value], "s", at_most(target), baseline="reading its rows bare",
                            baseline_value=r[base], ratio=r[value] / r[base] if r[base] else None))
    lines.append(Figure("cycle-close", "closing the cycle (freezing every review)", r["close_s"], "s"))
    lines.append(Figure("calibration-figures", "calibration's figures for the whole cycle (raters, gaps, tiers)",
                        r["calibration_s"], "s"))
    small, big = r["page_queries"]
    lines.append(("OK: " if small == big else "MISSED: ") + f"person's readiness page: {small} queries for someone "
                 f"with no review, {big} for someone with a closed cycle")
    return lines


if __name__ == "__main__":
    print(json.dumps(child(int(sys.argv[1]), sys.argv[2])))
