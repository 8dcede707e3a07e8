"""The demo organisation comes with proposals in several states, one of them held by the guard."""

from __future__ import annotations

import pytest

from trellis.lib import clock
from trellis.org.generate import generate_org_csv
from trellis.web.ladders.services import ensure_default_ladder
from trellis.web.org.services import apply_import
from trellis.web.promotions.demo import demo_proposals
from trellis.web.promotions.models import Proposal

pytestmark = pytest.mark.django_db


def test_the_demo_has_proposals_in_several_states_and_one_the_guard_holds():
    ensure_default_ladder()
    apply_import(generate_org_csv(120, 1), "demo.csv", as_of=clock.today())
    made = demo_proposals()
    states = set(Proposal.objects.values_list("state", flat=True))
    assert {"draft", "submitted", "in-review", "approved", "declined", "withdrawn"} <= states
    held = Proposal.objects.get(guarded=True)
    assert held.state == "draft" and held.consented_at is None and held.target_level == "engineering-manager"
    assert "held until they confirm" in made[0]
    assert demo_proposals() == [] and Proposal.objects.count() == len(made)  # run again: nothing added


def test_with_the_demos_evidence_logs_its_proposals_link_entries_of_them(alice):
    from trellis.web.growth.demo import demo_cycles
    from trellis.web.org.models import Person

    ensure_default_ladder()
    apply_import(generate_org_csv(120, 1), "demo.csv", as_of=clock.today())
    me = Person.objects.filter(level="director-of-architecture").order_by("external_id").first()
    assert me is not None
    demo_cycles(me)
    demo_proposals()
    linked = [p for p in Proposal.objects.prefetch_related("evidence_entries") if p.evidence_entries.exists()]
    assert linked, "the demo's proposals show evidence from the log"
    assert all(e.person_id == p.person_id for p in linked for e in p.evidence_entries.all())
