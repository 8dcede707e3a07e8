"""Stored ladder versions: immutable, one active, old ones readable."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from trellis.ladder.load import load_default, load_file
from trellis.web.ladders import services
from trellis.web.ladders.models import LadderVersion

pytestmark = pytest.mark.django_db


def test_migrate_leaves_the_default_ladder_active():
    version = services.ensure_default_ladder()
    assert version.is_active and version.ladder_id == "trellis-default"


def test_loading_a_new_file_makes_a_new_active_version_and_keeps_the_old():
    first = services.ensure_default_ladder()
    second = services.store_version(load_file(FIXTURES / "ladders" / "minimal.yaml"))
    assert second.number == first.number + 1
    assert services.active_ladder().id == "minimal"
    first.refresh_from_db()
    assert not first.is_active
    assert services.ladder_of(first).id == "trellis-default"


def test_loading_the_same_file_twice_reuses_its_version():
    services.ensure_default_ladder()
    again = services.store_version(load_default())
    assert LadderVersion.objects.count() == 1 and again.is_active


def test_a_stored_version_cannot_be_rewritten():
    version = services.ensure_default_ladder()
    version.content = version.content + "\n# edited"
    with pytest.raises(ValueError, match="immutable"):
        version.save()
