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
def test_a_past_date_takes_one_more_query_for_the_history(people, django_assert_num_queries):
    services.apply_import(generate_org_csv(people, seed=2), "demo.csv", as_of=date(2025, 7, 1))
    with django_assert_num_queries(5):
        org = services.load_snapshot(date(2025, 6, 30))
    assert org.people == {}


def test_an_import_writes_in_batches_not_per_person(django_assert_max_num_queries):
    text = generate_org_csv(400, seed=3)
    # people, teams, lines, roles and history are each one statement per batch, whatever the size
    with django_assert_max_num_queries(30):
        services.apply_import(text, "demo.csv", as_of=date(2025, 7, 1))
