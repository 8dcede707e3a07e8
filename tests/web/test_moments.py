"""The moments rows record (an import, an edit, a ladder loaded, a review saved) come from the one clock."""

from __future__ import annotations

from datetime import date

import pytest

from tests.org.test_apply_import import ORG
from trellis.ladder.load import load_default
from trellis.lib import clock
from trellis.org.edit import PersonEdit
from trellis.web.growth.models import Review
from trellis.web.ladders.models import LadderVersion
from trellis.web.ladders.services import store_version
from trellis.web.org import services
from trellis.web.org.access import Viewer
from trellis.web.org.models import ImportBatch, OrgEdit

pytestmark = pytest.mark.django_db

LEAP_DAY = date(2024, 2, 29)


def test_an_import_an_edit_and_a_ladder_are_stamped_by_the_frozen_clock(hannah):
    with clock.frozen(LEAP_DAY):
        services.apply_import(ORG, "org.csv", as_of=LEAP_DAY)
        services.edit_person(PersonEdit("e1", level="senior-software-engineer"), viewer=Viewer.of(hannah),
                             user=hannah, reason="promoted", as_of=LEAP_DAY)
        store_version(load_default())
    assert clock.day_of(ImportBatch.objects.get().created_at) == LEAP_DAY
    assert clock.day_of(OrgEdit.objects.get().created_at) == LEAP_DAY
    assert {clock.day_of(v.loaded_at) for v in LadderVersion.objects.all()} >= {LEAP_DAY}


def test_a_moment_kept_on_save_moves_with_the_clock_and_one_made_at_creation_stays():
    with clock.frozen(LEAP_DAY):
        services.apply_import(ORG, "org.csv", as_of=LEAP_DAY)
    batch = ImportBatch.objects.get()
    with clock.frozen(date(2024, 3, 4)):
        batch.source = "renamed.csv"
        batch.save()
    batch.refresh_from_db()
    assert clock.day_of(batch.created_at) == LEAP_DAY  # made then, whenever it is saved again
    review = Review(summary="draft")
    updated = Review._meta.get_field("updated_at")
    for day in (LEAP_DAY, date(2024, 3, 4)):
        with clock.frozen(day):
            updated.pre_save(review, add=False)  # what saving a review that exists does
        assert clock.day_of(review.updated_at) == day
