"""An import whose file still holds the organisation from before an applied promotion is refused with
its own conflict: it names the proposal, who approved it and when it was applied, and offers the
usual choice (keep Trellis's values, or take the file) on the command line, the upload page and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.web.promotions.test_apply_due import approved_tess_as_manager
from trellis.cli import app
from trellis.lib import clock
from trellis.web.org import services as org_services
from trellis.web.org.access import Viewer
from trellis.web.org.models import HistoryEvent, PendingValue, Person
from trellis.web.promotions.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def before(org, hannah) -> bytes:  # type: ignore[no-untyped-def]
    """The organisation as the HR system still has it: exported before Tess's promotion was applied."""
    return org_services.export_csv().encode()


@pytest.fixture
def applied(before, hannah) -> Proposal:  # type: ignore[no-untyped-def]
    """Mia's proposal that Tess manage Payments (Ben takes over as tech lead), approved by Hannah in HR today."""
    decided = approved_tess_as_manager(0, hannah)
    assert decided.applied_on == clock.today()
    return decided


def _words(proposal: Proposal) -> str:
    return f"proposal {proposal.pk}, approved by hannah, applied on {clock.today().isoformat()}"


def test_the_import_is_refused_with_a_conflict_that_names_the_proposal(before, applied):
    with pytest.raises(org_services.RevertsAppliedProposal) as refused:
        org_services.apply_import(before, "hr.csv", as_of=clock.today())
    assert isinstance(refused.value, org_services.ImportConflicts), "it is still the organisation-edits conflict"
    assert refused.value.proposals == [_words(applied)]
    text = str(refused.value)
    assert f"e4: level is engineering-manager in Trellis ({_words(applied)}) but lead-engineer in the file: " \
           "the file would revert an applied promotion or track change" in text
    assert f"the file would revert {_words(applied)}: if the HR system has not caught up" in text
    assert Person.objects.get(external_id="e4").level == "engineering-manager", "nothing was imported"


def test_an_edit_made_by_hand_keeps_the_general_conflict(before, hannah):
    from trellis.org.edit import PersonEdit

    org_services.edit_person(PersonEdit("e5", level="lead-engineer"), viewer=Viewer.of(hannah), user=hannah,
                    reason="promoted by hand", as_of=clock.today())
    with pytest.raises(org_services.ImportConflicts) as refused:
        org_services.apply_import(before, "hr.csv", as_of=clock.today())
    assert not isinstance(refused.value, org_services.RevertsAppliedProposal)
    assert "changed by hannah" in str(refused.value)


def test_keeping_trellis_keeps_the_promotion_and_its_values_stay_pending(before, applied):
    org_services.apply_import(before, "hr.csv", as_of=clock.today(), prefer=org_services.PREFER_TRELLIS)
    assert Person.objects.get(external_id="e4").level == "engineering-manager"
    assert PendingValue.objects.filter(subject="e4", field="level", state=PendingValue.PENDING).exists()


def test_taking_the_file_reverts_it_and_the_history_names_the_proposal(before, applied):
    plan = org_services.apply_import(before, "hr.csv", as_of=clock.today(), prefer=org_services.PREFER_FILE)
    assert Person.objects.get(external_id="e4").level == "lead-engineer"
    [level] = [c.to_dict() for c in plan.conflicts if c.subject == "e4" and c.pending.value.field == "level"]
    assert (level["proposal"], level["origin"], level["applied_on"]) == (
        str(applied.pk), f"proposal {applied.pk}, approved by hannah", clock.today().isoformat())
    notes = list(HistoryEvent.objects.filter(person_id_ext="e4", kind="level-changed").values_list("note", flat=True))
    assert f"reverts {_words(applied)}" in notes


def test_the_command_line_names_the_proposal_and_offers_both_sides(before, applied, runner, tmp_path):
    path = Path(tmp_path) / "hr.csv"
    path.write_bytes(before)
    refused = runner.invoke(app, ["org", "import", str(path)])
    assert refused.exit_code == 1
    assert f"the file would revert {_words(applied)}" in refused.output
    assert "--prefer-trellis" in refused.output and "--prefer-file" in refused.output
    kept = runner.invoke(app, ["org", "import", str(path), "--prefer-trellis"])
    assert kept.exit_code == 0, kept.output
    assert f"({_words(applied)})" in kept.output
    assert Person.objects.get(external_id="e4").level == "engineering-manager"


def test_the_upload_page_names_the_proposal_links_it_and_asks_which_side_wins(before, applied, client, hannah):
    client.force_login(hannah)
    page = client.post("/org/import/", {"file": SimpleUploadedFile("hr.csv", before), "as_of": clock.today()})
    html = page.content.decode()
    assert "This file would revert 1 applied promotion or track change:" in html
    assert f'<a href="/promotions/{applied.pk}/">{_words(applied)}</a>' in html
    assert 'name="prefer" value="trellis"' in html and 'name="prefer" value="file"' in html
    token = client.session["trellis_org_import"]["token"]
    refused = client.post("/org/import/confirm/", {"token": token})
    assert refused.status_code == 409 and "Not imported" in refused.content.decode()
    kept = client.post("/org/import/confirm/", {"token": token, "prefer": "trellis"})
    assert kept.status_code == 302
    assert Person.objects.get(external_id="e4").level == "engineering-manager"


def test_the_api_answers_409_naming_the_proposal_and_takes_either_side(before, applied, client, hannah):
    client.force_login(hannah)

    def send(**fields: str):  # type: ignore[no-untyped-def]
        return client.post("/api/org/import", {"file": SimpleUploadedFile("hr.csv", before), "dry_run": "false",
                                               **fields})

    refused = send()
    assert refused.status_code == 409
    body = refused.json()
    assert body["detail"].startswith(f"The file would revert {_words(applied)}: nothing was imported.")
    assert any(p["column"] == "level" and _words(applied) in p["message"] for p in body["problems"])
    taken = send(prefer="file")
    assert taken.status_code == 200
    assert any(c.get("proposal") == str(applied.pk) for c in taken.json()["conflicts"])
    assert Person.objects.get(external_id="e4").level == "lead-engineer"
