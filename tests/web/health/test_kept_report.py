"""The writer judges the organisation once and keeps the report; every page reads it back instead of judging."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from tests.web.health import org
from trellis.health.engine import evaluate
from trellis.health.report import report_from_stored
from trellis.health.whatif import Simulation
from trellis.lib import clock
from trellis.web.growth.queries import bench_readiness
from trellis.web.health import services
from trellis.web.health.models import JudgedReport
from trellis.web.ladders.services import active_ladder
from trellis.web.org import services as org_services
from trellis.web.org.models import HistoryEvent, RunningImport

pytestmark = pytest.mark.django_db
PAGES = ("/health/", "/", "/health/findings/?team=ledger", "/health/findings/?person=bob",
         "/org/chart/findings/?ids=bob,erin", "/api/health/report", "/api/health/findings?team=search")


def _kept(as_of: date | None = None) -> JudgedReport:
    """The report kept for today's organisation (or as of ``as_of``)."""
    return JudgedReport.objects.get(key=services._digest(services._key(as_of, services.policy_in_force(
        active_ladder()))))


def no_judging(monkeypatch):  # type: ignore[no-untyped-def]
    """From now on, judging the organisation fails the test."""
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a page judged the organisation")

    monkeypatch.setattr(services, "Simulation", refuse)
    monkeypatch.setattr(services, "evaluate", refuse)


def test_the_kept_report_equals_the_one_judged_from_the_database():
    org.build()
    ladder = active_ladder()
    policy = services.policy_in_force(ladder).policy
    bench = bench_readiness()
    judged = evaluate(org_services.load_snapshot(), ladder, policy, bench[1] if bench else None)
    kept = report_from_stored(_kept().report)
    assert kept == judged == Simulation(org_services.load_snapshot(), ladder, policy).before
    assert kept.findings and kept.as_of == clock.today()
    # The headlines' month end, too.
    since = services.headlines_since()
    assert report_from_stored(_kept(since).report) == evaluate(org_services.load_snapshot(since), ladder, policy)


def test_every_page_that_needs_the_report_reads_the_kept_one(client, hannah, monkeypatch):
    org.build()
    org.link("hannah", "bob")
    no_judging(monkeypatch)
    client.force_login(hannah)
    for page in PAGES:
        assert client.get(page).status_code == 200, page
    html = client.get("/health/findings/?team=ledger").content.decode()
    assert 'data-code="dual-role"' in html and "about its tech lead" in html


def test_a_page_reads_the_kept_report_in_one_query_more_than_from_its_own_process(
        client, hannah, django_assert_num_queries, monkeypatch):
    org.build()
    no_judging(monkeypatch)
    client.force_login(hannah)
    client.get("/health/")
    # session, user, groups, the organisation's state key, the active ladder, the latest closed review
    # cycle, the acknowledgements, the names of the people shown
    with django_assert_num_queries(8):
        client.get("/health/")
    services.clear_cache()  # another process, or this one after another process's import
    with django_assert_num_queries(8 + 1):  # the kept report
        client.get("/health/")


def test_an_edit_keeps_the_report_of_the_organisation_it_leaves(hannah):
    from trellis.org.edit import PersonEdit
    from trellis.web.org.access import Viewer

    org.build()
    before = _kept().key
    org_services.edit_person(PersonEdit("bob", preferred_track="management"), viewer=Viewer.of(hannah),
                             reason="changed his mind")
    assert _kept().key != before
    assert not [f for f in report_from_stored(_kept().report).findings
                if f.code == "peter-principle-risk" and f.person == "bob"]


def test_an_organisation_nobody_judged_is_judged_by_the_first_page_and_kept(client, hannah):
    org.build()
    JudgedReport.objects.all().delete()  # written by an older version, or built by hand
    services.clear_cache()
    client.force_login(hannah)
    assert client.get("/health/").status_code == 200
    assert report_from_stored(_kept().report) == services.health().report


def test_while_an_import_judges_what_it_wrote_pages_show_the_latest_kept_report(client, hannah, monkeypatch):
    org.build()
    latest = report_from_stored(_kept().report)
    # An import has written (a new history event) and is judging: no report is kept for the new state yet.
    HistoryEvent.objects.create(kind="name-changed", effective=clock.today(), person_id_ext="bob", old="Bob",
                                new="Bob Manager", seq=10_000)
    RunningImport.objects.create(started_at=timezone.now(), source="big.csv", written=True)
    services.clear_cache()
    no_judging(monkeypatch)
    assert services.health().report == latest
    client.force_login(hannah)
    assert client.get("/health/").status_code == 200


def test_with_nothing_kept_for_the_day_a_page_shows_the_report_its_process_judged_rather_than_wait(
        client, hannah, monkeypatch):
    """A page judged today's organisation but could not keep the report (sign-ins held the write lock): while
    an import judges what it wrote, that process's pages show the report they have instead of waiting."""
    org.build()
    JudgedReport.objects.all().delete()
    services.clear_cache()

    @contextlib.contextmanager
    def locked(really: bool):  # type: ignore[no-untyped-def]
        raise OperationalError("database is locked")
        yield

    monkeypatch.setattr(services, "_not_waiting", locked)
    judged = services.health().report
    assert not JudgedReport.objects.exists(), "judged by the page, not kept"
    HistoryEvent.objects.create(kind="name-changed", effective=clock.today(), person_id_ext="bob", old="Bob",
                                new="Bob Manager", seq=10_000)
    RunningImport.objects.create(started_at=timezone.now(), source="big.csv", written=True)
    monkeypatch.setattr(services.clock, "wait", lambda seconds: pytest.fail("the page waited"))
    no_judging(monkeypatch)
    assert services.health().report == judged
    client.force_login(hannah)
    assert client.get("/health/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_import_is_marked_written_in_the_commit_that_writes_its_rows(monkeypatch):
    """A page that reads the imported organisation reads the import as written too, and shows the latest kept
    report while the import judges: seeing it unwritten, it would judge the whole organisation beside it."""
    from django.db import transaction

    from trellis.org.generate import generate_org_csv
    from trellis.web.ladders.services import ensure_default_ladder

    ensure_default_ladder()
    write = org_services._write_import
    at_commit: list[list[bool]] = []

    def write_and_watch_the_commit(*args, **kwargs):  # type: ignore[no-untyped-def]
        write(*args, **kwargs)
        transaction.on_commit(lambda: at_commit.append(list(RunningImport.objects.values_list("written", flat=True))))

    monkeypatch.setattr(org_services, "_write_import", write_and_watch_the_commit)
    org_services.apply_import(generate_org_csv(30, seed=2), "demo.csv", as_of=clock.today())
    assert at_commit == [[True]]
    assert not RunningImport.objects.exists() and JudgedReport.objects.exists()


def test_only_the_latest_reports_are_kept():
    org.build()
    key = services._key(None, services.policy_in_force(active_ladder()))
    for day in range(services.REPORTS_KEPT + 3):
        services._keep((*key, day), services.health().report, wait=True)
    assert JudgedReport.objects.count() == services.REPORTS_KEPT


@pytest.mark.parametrize("people", [30, 300])
def test_judging_what_an_import_wrote_costs_the_same_queries_at_any_size(people, django_assert_num_queries):
    from trellis.org.generate import generate_org_csv
    from trellis.web.ladders.services import ensure_default_ladder

    ensure_default_ladder()
    day = clock.today() - timedelta(days=62)  # before last month's end: both reports are judged
    org_services.apply_import(generate_org_csv(people, seed=2), "demo.csv", as_of=day, judge_health=False)
    # Today's and last month's end's: for each, what it depends on, whether it is kept, the organisation
    # (four queries; the month's end also reads where the records begin and the history since), what it
    # depends on again, and keeping it (with the savepoints)
    with django_assert_num_queries(33):
        services.keep_report()
    assert JudgedReport.objects.count() == 2


def test_trellis_health_keep_judges_a_new_day_once_so_that_its_first_page_does_not(client, hannah, monkeypatch,
                                                                                   runner):
    from trellis.cli import app

    org.build()
    tomorrow = clock.today() + timedelta(days=1)
    with clock.frozen(tomorrow):
        assert not JudgedReport.objects.filter(as_of=tomorrow).exists(), "a new day has no report yet"
        first = runner.invoke(app, ["health", "keep"])
        assert first.exit_code == 0, first.output
        assert "Judged and kept" in first.output
        assert report_from_stored(_kept().report).as_of == tomorrow
        again = runner.invoke(app, ["health", "keep"])
        assert again.exit_code == 0 and "kept already: nothing judged" in again.output
        forced = runner.invoke(app, ["health", "keep", "--again"])
        assert forced.exit_code == 0 and "Judged and kept" in forced.output
        services.clear_cache()
        no_judging(monkeypatch)
        client.force_login(hannah)
        assert client.get("/health/").status_code == 200


def test_with_nothing_kept_for_the_day_a_page_waits_for_the_running_import_to_keep_it_rather_than_judge(
        client, hannah, monkeypatch):
    """The organisation's first import, say: until it has judged what it wrote, nothing is kept for the
    day; a page waits for the import's report instead of judging the same organisation beside it."""
    org.build()
    key = services._key(None, services.policy_in_force(active_ladder()))
    report = services._judged(key, active_ladder(), services.policy_in_force(active_ladder()), simulation=False)
    JudgedReport.objects.all().delete()
    RunningImport.objects.create(started_at=timezone.now(), source="big.csv", written=True)
    services.clear_cache()
    waits: list[float] = []

    def the_import_keeps_it_meanwhile(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            services._keep(key, report, wait=True)

    monkeypatch.setattr(services.clock, "wait", the_import_keeps_it_meanwhile)
    no_judging(monkeypatch)
    assert services.health().report == report
    assert len(waits) == 3, "the page waited until the import had kept the report"


def test_a_page_stops_waiting_when_the_import_ends_without_keeping_its_report_and_judges_it(monkeypatch):
    org.build()
    JudgedReport.objects.all().delete()
    marker = RunningImport.objects.create(started_at=timezone.now(), source="big.csv", written=True)
    services.clear_cache()
    monkeypatch.setattr(services.clock, "wait", lambda seconds: marker.delete())
    assert services.health().report.findings, "judged by the page once the import had ended"
    assert JudgedReport.objects.exists()


def test_an_edit_inside_a_callers_transaction_judges_once_that_transaction_commits(
        hannah, monkeypatch, django_capture_on_commit_callbacks):
    """Proposals applied on their date and submitted self-evaluations edit inside their own transaction:
    the organisation is judged once it commits, never while the write lock is held."""
    from django.db import transaction

    from trellis.org.edit import PersonEdit
    from trellis.web.org.access import Viewer

    org.build()
    judged: list[bool] = []
    monkeypatch.setattr(services, "keep_report", lambda: judged.append(True) or 1)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            org_services.edit_person(PersonEdit("bob", preferred_track="management"), viewer=Viewer.of(hannah),
                                     reason="changed his mind")
            assert judged == [], "not while the caller's transaction holds the lock"
    assert judged == [True]


def test_a_change_is_kept_whatever_goes_wrong_in_judging_it(hannah, monkeypatch):
    from trellis.org.edit import PersonEdit
    from trellis.web.org.access import Viewer
    from trellis.web.org.models import Person

    org.build()

    def broken() -> int:
        raise RuntimeError("judging failed")

    monkeypatch.setattr(services, "keep_report", broken)
    outcome = org_services.edit_person(PersonEdit("bob", preferred_track="management"), viewer=Viewer.of(hannah),
                                       reason="changed his mind")
    assert outcome.applied and Person.objects.get(external_id="bob").preferred_track == "management"


def test_before_an_import_has_written_pages_read_the_organisation_as_it_is_without_waiting(monkeypatch):
    """An import plans for seconds before it writes: meanwhile the organisation is as it was, and a page
    asking for a report nobody kept (a new day's) judges it at once instead of waiting for the import."""
    org.build()
    JudgedReport.objects.all().delete()
    RunningImport.objects.create(started_at=timezone.now(), source="big.csv")
    services.clear_cache()
    monkeypatch.setattr(services.clock, "wait", lambda seconds: pytest.fail("the page waited"))
    assert services.health().report.findings


def test_a_past_day_is_never_waited_for_while_an_import_judges(monkeypatch):
    """The import keeps today's report and the headlines' only: a page about another day judges it."""
    org.build()
    RunningImport.objects.create(started_at=timezone.now(), source="big.csv", written=True)
    services.clear_cache()
    monkeypatch.setattr(services.clock, "wait", lambda seconds: pytest.fail("the page waited"))
    day = services.headlines_since() - timedelta(days=1)
    begins = org_services.records_begin()
    assert begins is not None
    with pytest.raises(org_services.BeforeTheRecords) if day < begins else contextlib.nullcontext():
        services.health(day)


def test_a_report_kept_by_other_rules_is_not_read_as_todays(monkeypatch):
    """After an upgrade that changes the health rules, what the earlier version kept is judged again."""
    org.build()
    key = services._key(None, services.policy_in_force(active_ladder()))
    kept = services._digest(key)
    monkeypatch.setattr(services, "RULES", "another version of the rules")
    assert services._digest(key) != kept
