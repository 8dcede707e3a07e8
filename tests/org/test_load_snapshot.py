"""Loading the organisation from the database: a fixed handful of queries whatever its size."""

from __future__ import annotations

from datetime import date

import pytest

from trellis.org.generate import generate_org_csv
from trellis.web.org import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("people", [30, 300])
def test_the_current_organisation_takes_four_queries_at_any_size(people, django_assert_num_queries):
    services.apply_import(generate_org_csv(people, seed=2), "demo.csv", as_of=date(2025, 7, 1))
    with django_assert_num_queries(4):
        org = services.load_snapshot()
    assert len(org.active_people) == people


@pytest.mark.parametrize("people", [30, 300])
def test_a_past_date_takes_two_more_queries_where_the_records_begin_and_the_history(people,
                                                                                   django_assert_num_queries):
    services.apply_import(generate_org_csv(people, seed=2), "demo.csv", as_of=date(2025, 7, 1))
    with django_assert_num_queries(6):
        org = services.load_snapshot(date(2025, 7, 2))
    assert len(org.people) == people


def test_a_date_before_the_first_import_has_no_data_rather_than_an_empty_organisation():
    services.apply_import(generate_org_csv(30, seed=2), "demo.csv", as_of=date(2025, 7, 1))
    with pytest.raises(services.BeforeTheRecords) as caught:
        services.load_snapshot(date(2025, 6, 30))
    assert "there is no data before 2025-07-01, when the records begin" in str(caught.value)


def test_an_import_writes_in_batches_not_per_person(django_assert_max_num_queries):
    text = generate_org_csv(400, seed=3)
    # people, teams, lines, roles and history are each one statement per batch, whatever the size;
    # a few more say where the records begin and hold the running-import marker
    with django_assert_max_num_queries(36):  # the import alone: judging what it wrote is counted apart
        services.apply_import(text, "demo.csv", as_of=date(2025, 7, 1), judge_health=False)
