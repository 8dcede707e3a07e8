"""The pages a leader opens, at 100,000 people with a year of history: team page, search, dashboard,
timeline, and the team page's throughput under 8 concurrent clients.

A generated organisation is imported into a fresh SQLite database a year ago, then once a
month with about 1% of its rows changed (promotions, moves, new managers, leavers, joiners, a
tech lead handing over), through the organisation's one writer, so the history is what a year of
monthly imports leaves. Then, with the Django test client (server time, no network):

- the team page of a sample of teams (the biggest, the one with the longest history, and random
  ones), median and 95th percentile, and its SQL queries: the same for the smallest team as for
  the biggest (constant query counts);
- search and suggest: the people list, the chart's search, the indented chart's search and the
  suggestions, each with names, parts of names, an id and an e-mail; the slowest median counts;
- the health dashboard once its report is cached, for HR, for a manager and for someone linked
  to no one; the slowest median counts;
- the health timeline's first computation (today's judged organisation already cached, as after
  the dashboard: the chart is loaded after the page), three times with the timeline forgotten;
- throughput: the same database served by ``trellis serve`` (gunicorn, 2 workers), 8 clients
  asking at once for team pages, then for the sign-in page; the ratio of requests per second.

The baseline for page times is the sign-in page measured in the same run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from http.client import HTTPConnection
from typing import Any
from urllib.parse import quote

from bench.child import ChildFailed, measure_in_child
from bench.harness import Figure, at_least, at_most, median, p95, samples, wait_for_server

DEFAULT_SIZE = 100_000
MONTHS = 12
TEAM_SAMPLE = 40
TEAM_REQUESTS = 200
SEARCH_ROUNDS = 4
DASHBOARD_REQUESTS = 30
CLIENTS = 8
THROUGHPUT_SECONDS = 12.0  # for each of the two, in rounds
THROUGHPUT_ROUNDS = 4
WARM_UP_ROUNDS = 6  # requests per page before counting, over both workers
PROMOTE = {"software-engineer": "senior-software-engineer", "senior-software-engineer": "lead-engineer"}


def _months(today: date) -> list[date]:
    """The first day of each of the last ``MONTHS`` months and of this one, oldest first."""
    firsts = [today.replace(day=1)]
    while len(firsts) <= MONTHS:
        firsts.append((firsts[-1] - timedelta(days=1)).replace(day=1))
    return firsts[::-1]


def a_month_later(rows: list[list[str]], header: list[str], day: date, rng: random.Random,
                  serial: list[int]) -> list[list[str]]:
    """The organisation's file a month later: about 1% of the rows changed."""
    col = {name: i for i, name in enumerate(header)}
    managers = {r[col["manager_id"]] for r in rows} | {m for r in rows for m in r[col["dotted_manager_ids"]].split(";")}
    leaves = [r for r in rows if r[col["id"]] not in managers and not r[col["roles"]] and r[col["team"]]]
    by_team: dict[str, list[list[str]]] = {}
    for r in rows:
        by_team.setdefault(r[col["team"]], []).append(r)
    gone: set[str] = set()
    joined: list[list[str]] = []
    for k in range(max(6, len(rows) // 100)):
        kind = k % 6
        row = rng.choice(leaves)
        if row[col["id"]] in gone:
            continue
        if kind == 0 and row[col["level"]] in PROMOTE:
            row[col["level"]], row[col["since"]] = PROMOTE[row[col["level"]]], day.isoformat()
        elif kind == 1:
            other = rng.choice(leaves)
            row[col["team"]], row[col["department"]] = other[col["team"]], other[col["department"]]
        elif kind == 2:
            row[col["manager_id"]] = rng.choice(leaves)[col["manager_id"]]
        elif kind == 3:
            gone.add(row[col["id"]])
        elif kind == 4:
            serial[0] += 1
            new = list(row)
            new[col["id"]] = f"N{serial[0]:06d}"
            new[col["email"]] = f"new.{serial[0]}@example.org"
            new[col["since"]] = day.isoformat()
            joined.append(new)
        else:
            team = by_team.get(row[col["team"]], [])
            lead = next((r for r in team if r[col["roles"]] == "tech_lead"), None)
            if lead is not None and lead is not row:
                lead[col["roles"]], row[col["roles"]] = "", "tech_lead"
    return [r for r in rows if r[col["id"]] not in gone] + joined


def _organisation_with_history(size: int) -> dict[str, Any]:
    from trellis.lib import clock
    from trellis.org.generate import generate_org_csv
    from trellis.web.ladders.services import ensure_default_ladder
    from trellis.web.org.services import apply_import

    ensure_default_ladder()
    text = generate_org_csv(size, seed=1)
    rows = list(csv.reader(io.StringIO(text)))
    header, rows = rows[0], rows[1:]
    rng, serial = random.Random(19), [0]
    months = _months(clock.today())
    started = time.perf_counter()
    apply_import(text, "generated.csv", as_of=months[0])
    first_s = time.perf_counter() - started
    for day in months[1:]:
        rows = a_month_later(rows, header, day, rng, serial)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *rows])
        apply_import(out.getvalue(), f"{day:%Y-%m}.csv", as_of=day, allow_mass_leave=True)
    return {"first_import_s": first_s, "history_s": time.perf_counter() - started - first_s}


def child(size: int, workdir: str) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["TRELLIS_DATA_DIR"] = workdir
    os.environ["TRELLIS_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    from trellis.cli.common import setup_django

    setup_django()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from trellis.web.health import services as health_services
    from trellis.web.org import views as org_views
    from trellis.web.org.models import HistoryEvent, Person, Team

    call_command("migrate", "--noinput", verbosity=0)
    setup = _organisation_with_history(size)
    setup["events"] = HistoryEvent.objects.count()

    teams = list(Team.objects.annotate(n=Count("members", filter=Q(members__active=True)))
                 .filter(n__gt=0).order_by("-n", "name").values_list("name", "n"))
    biggest, smallest = teams[0], teams[-1]
    busiest = (HistoryEvent.objects.exclude(team_name="").values("team_name").annotate(n=Count("id"))
               .order_by("-n").first())
    rng = random.Random(7)
    sample = [biggest[0], busiest["team_name"] if busiest else biggest[0],
              *rng.sample([t for t, _ in teams], min(TEAM_SAMPLE - 2, len(teams)))]

    def signed_in(name: str, group: str | None = None, person: Any = None) -> Client:
        user = User.objects.create_user(name, f"{name}@example.org", "bench-password")
        if group:
            user.groups.add(Group.objects.get(name=group))
        if person is not None:
            Person.objects.filter(pk=person.pk).update(user=user)
        client = Client()
        client.force_login(user)
        return client

    manager = (Person.objects.filter(active=True).annotate(n=Count("reports")).filter(n__gt=3)
               .order_by("external_id")[size // 50])
    viewers = {"HR": signed_in("hr-bench", "hr"), "a manager": signed_in("manager-bench", person=manager),
               "someone linked to no one": signed_in("plain-bench")}
    plain = viewers["someone linked to no one"]
    anonymous = Client()

    def ms(client: Client, url: str, repeat: int, warm_up: int = 2) -> list[float]:
        def get() -> None:
            response = client.get(url)
            # 302: the indented chart's search goes straight to the one person it found
            assert response.status_code in (200, 302), f"{url} answered {response.status_code}"
        return [s * 1000 for s in samples(get, repeat, warm_up)]

    result: dict[str, Any] = {"setup": setup, "biggest": biggest, "smallest": smallest}
    result["sign_in_ms"] = median(ms(anonymous, "/accounts/login/", 60, 5))

    urls = [f"/org/teams/{quote(name)}/" for name in sample]

    def first_view(url: str) -> float:
        org_views._team_pages.forget()  # as after a change to the organisation
        started = time.perf_counter()
        plain.get(url)
        return (time.perf_counter() - started) * 1000

    first = [first_view(url) for url in urls]
    result["team_first_ms"] = {"median": median(first), "p95": p95(first)}
    cycle = iter(urls * (TEAM_REQUESTS // len(urls) + 1))
    team = [s * 1000 for s in samples(lambda: plain.get(next(cycle)), TEAM_REQUESTS, 0)]
    result["team_ms"] = {"median": median(team), "p95": p95(team), "max": max(team)}

    def queries(url: str, kept: bool) -> int:
        if kept:
            plain.get(url)  # now it is kept
        else:
            org_views._team_pages.forget()
        with CaptureQueriesContext(connection) as captured:
            plain.get(url)
        return len(captured)

    result["team_queries"] = {kept: [queries(f"/org/teams/{quote(name)}/", kept) for name, _ in (smallest, biggest)]
                              for kept in (False, True)}

    someone = Person.objects.filter(active=True).order_by("external_id")[size // 3]
    terms = ["Ada", "zo", "García", "Nguy", someone.external_id, someone.email]
    search: dict[str, float] = {}
    for label, pattern in (("people list", "/org/people/?q={}"), ("chart search", "/org/chart/find/?q={}"),
                           ("indented chart search", "/org/chart/list/?q={}"), ("suggestions", "/org/suggest/?q={}")):
        taken: list[float] = []
        for term in terms:
            taken += ms(plain, pattern.format(quote(term)), SEARCH_ROUNDS, 1)
        search[label] = median(taken)
    result["search_ms"] = search

    started = time.perf_counter()
    assert viewers["HR"].get("/health/").status_code == 200
    result["dashboard_first_s"] = time.perf_counter() - started
    result["dashboard_ms"] = {who: median(ms(client, "/health/", DASHBOARD_REQUESTS))
                              for who, client in viewers.items()}

    def timeline_first() -> None:
        health_services._cache.forget(lambda key: key[0] == "timeline")
        assert viewers["HR"].get("/health/timeline/").status_code == 200

    result["timeline_first_s"] = samples(timeline_first, 3, 0)
    result["throughput"] = _throughput(workdir, urls, viewers["someone linked to no one"])
    return result


def _throughput(workdir: str, urls: list[str], client: Any) -> dict[str, float]:
    """Requests per second with ``CLIENTS`` clients at once, each on its own kept-alive connection,
    against ``trellis serve``: team pages (signed in), then the sign-in page."""
    from django.conf import settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "TRELLIS_RUN_DIR": f"{workdir}/run", "TRELLIS_DEBUG": ""}
    command = [sys.executable, "-c", "from trellis.cli import main; main()", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_server(port, server)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        _rate(port, urls, {"Cookie": cookie}, 0.0, WARM_UP_ROUNDS * len(urls))  # every worker has seen every page
        # The two alternate, so that a change in the machine's load falls on both alike.
        answers = {"team": 0.0, "sign_in": 0.0}
        for _ in range(THROUGHPUT_ROUNDS):
            answers["team"] += _rate(port, urls, {"Cookie": cookie}, THROUGHPUT_SECONDS / THROUGHPUT_ROUNDS, CLIENTS)
            answers["sign_in"] += _rate(port, ["/accounts/login/"], {}, THROUGHPUT_SECONDS / THROUGHPUT_ROUNDS,
                                        CLIENTS)
        team, sign_in = answers["team"] / THROUGHPUT_ROUNDS, answers["sign_in"] / THROUGHPUT_ROUNDS
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"team": team, "sign_in": sign_in}


def _rate(port: int, urls: list[str], headers: dict[str, str], seconds: float, warm_up: int) -> float:
    """Answers per second, all ``CLIENTS`` clients together, over ``seconds`` once ``warm_up`` answers
    have come back (not counted)."""
    done = [0] * CLIENTS
    counted = [0] * CLIENTS
    counting = threading.Event()
    stop = threading.Event()
    errors: list[str] = []

    def client(i: int) -> None:
        connection = HTTPConnection("127.0.0.1", port, timeout=120)
        k = i
        while not stop.is_set():
            connection.request("GET", urls[k % len(urls)], headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{urls[k % len(urls)]} answered {response.status}")
                return
            done[i] += 1
            if counting.is_set():
                counted[i] += 1
            k += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    while sum(done) < warm_up and not errors:
        time.sleep(0.05)
    counting.set()
    started = time.perf_counter()
    time.sleep(seconds)
    answers = sum(counted)
    elapsed = time.perf_counter() - started
    stop.set()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(errors[0])
    return answers / elapsed if seconds else 0.0


def run(size: int | None) -> list[str | Figure]:
    size = size or DEFAULT_SIZE
    try:
        r = measure_in_child("bench.bench_org_pages", size)
    except ChildFailed as exc:
        return [f"MISSED: the benchmark failed: {exc}"]
    setup, sign_in = r["setup"], r["sign_in_ms"]
    lines: list[str | Figure] = [
        f"{size:,} people; first import {setup['first_import_s']:.1f} s, then {MONTHS} monthly imports with 1% "
        f"changed {setup['history_s']:.1f} s: {setup['events']:,} history events",
        f"biggest team {r['biggest'][0]!r} ({r['biggest'][1]} people), smallest {r['smallest'][0]!r} "
        f"({r['smallest'][1]})",
        f"baseline: the sign-in page, median {sign_in:.1f} ms (Django test client, SQLite)",
    ]
    team = r["team_ms"]

    def page(key: str, name: str, value: float, target: float, note: str = "") -> Figure:
        return Figure(key, name, value, "ms", at_most(target), "sign-in page", sign_in, ratio=value / sign_in,
                      note=note)

    lines.append(page("team-page-median", f"team page, median of {TEAM_REQUESTS} over {TEAM_SAMPLE} teams",
                      team["median"], 25))
    lines.append(page("team-page-p95", "team page, 95th percentile", team["p95"], 50,
                      note=f"slowest {team['max']:.0f} ms"))
    first = r["team_first_ms"]
    lines.append(page("team-page-first", "team page, first view after a change (median)", first["median"], 25,
                      note=f"95th percentile {first['p95']:.1f} ms"))
    for kept, (small, big) in r["team_queries"].items():
        lines.append(Figure(f"team-page-queries-{kept}", f"team page queries{' (kept)' if kept == 'true' else ''}, "
                            "biggest team minus smallest", abs(big - small), "", at_most(0),
                            note=f"{small} and {big} queries"))
    worst = max(r["search_ms"], key=lambda k: r["search_ms"][k])
    lines.append(page("search", f"search and suggest, slowest median ({worst})", r["search_ms"][worst], 30,
                      note=", ".join(f"{k} {v:.1f} ms" for k, v in r["search_ms"].items())))
    dash = r["dashboard_ms"]
    who = max(dash, key=lambda k: dash[k])
    lines.append(f"health dashboard, first request (reads the report the last import judged and kept): "
                 f"{r['dashboard_first_s']:.1f} s")
    lines.append(page("dashboard-cached", f"health dashboard, cached, slowest viewer ({who})", dash[who], 60,
                      note=", ".join(f"{k} {v:.1f} ms" for k, v in dash.items())))
    timeline = r["timeline_first_s"]
    lines.append(Figure("timeline-first", "health timeline, first computation (median of 3)", median(timeline), "s",
                        at_most(2), note=f"{', '.join(f'{t:.2f}' for t in timeline)} s"))
    rates = r["throughput"]
    lines.append(Figure("throughput", f"team page ÷ sign-in page throughput, {CLIENTS} clients",
                        rates["team"] / rates["sign_in"], "x", at_least(0.5), "sign-in page", rates["sign_in"],
                        "per s", note=f"team pages {rates['team']:.1f} per s (trellis serve, 2 workers)"))
    return lines


if __name__ == "__main__":
    print(json.dumps(child(int(sys.argv[1]), sys.argv[2])))
