"""Server time of the organisation pages at a 10,000-person organisation.

A generated organisation is imported into a fresh SQLite database; then the Django test
client asks, many times each, for the biggest team's page, the page of the person with the
most roles, the org chart, the largest subtree of the chart, and a trivial page (the home
page: session, user, ladder, the base template) as the baseline measured in the same run.
Each line prints the median time per request, its ratio to the baseline and the number of
SQL queries. The pages must answer 200 and the team and person pages must cost no more
queries than for the smallest team and person (issue 8: constant query counts).

The work runs in a child process with its own database file, so whatever database the
caller has configured is never touched.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import date

from bench.child import ChildFailed, measure_in_child

DEFAULT_SIZE = 10_000
REQUESTS = 60
WARM_UP = 3


def child(size: int, workdir: str) -> dict[str, object]:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["TRELLIS_DATA_DIR"] = workdir
    os.environ["TRELLIS_ALLOWED_HOSTS"] = "testserver"
    from trellis.cli.common import setup_django

    setup_django()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from trellis.org.generate import generate_org_csv
    from trellis.web.ladders.services import ensure_default_ladder
    from trellis.web.org.models import Person, Team
    from trellis.web.org.services import apply_import

    call_command("migrate", "--noinput", verbosity=0)
    ensure_default_ladder()
    apply_import(generate_org_csv(size, seed=1), "generated.csv", as_of=date(2025, 7, 1))

    teams = Team.objects.annotate(n=Count("members", filter=Q(members__active=True))).order_by("-n", "name")
    biggest, smallest = teams.first(), teams.last()
    people = Person.objects.filter(active=True).annotate(
        roles_held=Count("roles", distinct=True), reports_held=Count("reports", distinct=True))
    busiest = people.order_by("-roles_held", "-reports_held", "external_id").first()
    quietest = people.order_by("roles_held", "reports_held", "external_id").first()
    widest = people.order_by("-reports_held", "external_id").first()
    assert biggest and smallest and busiest and quietest and widest

    client = Client()
    client.force_login(User.objects.create_user("bench", "bench@example.org", "bench-password"))
    pages = {
        "baseline (home page)": "/",
        f"team page, biggest team ({biggest.n} members)": f"/org/teams/{biggest.name}/",  # type: ignore[attr-defined]
        f"person page, most roles ({busiest.roles_held} roles, {busiest.reports_held} reports)":  # type: ignore[attr-defined]
            f"/org/people/{busiest.external_id}/",
        "org chart (top levels)": "/org/chart/",
        f"chart subtree, most direct reports ({widest.reports_held})":  # type: ignore[attr-defined]
            f"/org/chart/{widest.external_id}/children/",
    }
    results: dict[str, dict[str, float | int]] = {}
    for label, url in pages.items():
        for _ in range(WARM_UP):
            client.get(url)
        times = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[label] = {"median_ms": statistics.median(times) * 1000, "status": response.status_code,
                          "queries": len(queries)}

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    return {
        "pages": results,
        "team_queries": [count(f"/org/teams/{smallest.name}/"), count(f"/org/teams/{biggest.name}/")],
        "person_queries": [count(f"/org/people/{quietest.external_id}/"),
                           count(f"/org/people/{busiest.external_id}/")],
    }


def run(size: int | None) -> list[str]:
    size = size or DEFAULT_SIZE
    try:
        r = measure_in_child("bench.bench_org_pages", size)
    except ChildFailed as exc:
        return [f"MISSED: the benchmark failed: {exc}"]
    pages: dict[str, dict[str, float]] = r["pages"]
    baseline = next(v for k, v in pages.items() if k.startswith("baseline"))["median_ms"]
    lines = [f"{size:,} people; median server time of {REQUESTS} requests each (Django test client, SQLite)"]
    for label, figures in pages.items():
        lines.append(f"{label}: {figures['median_ms']:.1f} ms, {figures['median_ms'] / baseline:.1f}x the baseline, "
                     f"{figures['queries']} queries")
        if figures["status"] != 200:
            lines.append(f"MISSED: {label} answered {figures['status']}")
    for what, (small, big) in (("team page", r["team_queries"]), ("person page", r["person_queries"])):
        line = f"{what}: {small} queries for the smallest, {big} for the biggest"
        lines.append(("OK: " if small == big else "MISSED: ") + line)
    return lines


if __name__ == "__main__":
    print(json.dumps(child(int(sys.argv[1]), sys.argv[2])))
