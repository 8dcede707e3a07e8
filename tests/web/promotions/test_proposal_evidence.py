"""A proposal links entries of the person's evidence log: the proposer picks those they may see (free
text stays possible), and the proposal page, its packet, the API and the command line show each entry
with its kind, date, title and link. Nobody attaches what they may not see."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from tests.conftest import PASSWORD
from trellis.cli import app
from trellis.growth.evidence import EvidenceItem
from trellis.promotions.rules import Refused
from trellis.web.growth import services as growth
from trellis.web.org.access import Viewer
from trellis.web.promotions import services
from trellis.web.promotions.models import Proposal

pytestmark = pytest.mark.django_db


def _viewer(name: str) -> Viewer:
    return Viewer.of(User.objects.get(username=name))


@pytest.fixture
def logs(org) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Two entries in Tess's log (recorded by herself), one in Ben's."""
    tess, ben = _viewer("tess"), _viewer("ben")
    design = growth.record_evidence(tess, EvidenceItem("e4", "design-document", date(2025, 11, 3),
                                                       "Payments retry design", "https://wiki.example.org/retries"))
    mentoring = growth.record_evidence(tess, EvidenceItem("e4", "mentoring", date(2025, 12, 1), "Mentored Cy weekly",
                                                          notes="private notes stay in the log"))
    bens = growth.record_evidence(ben, EvidenceItem("e5", "incident", date(2025, 10, 9), "Ran the outage review"))
    return {"design": design.pk, "mentoring": mentoring.pk, "bens": bens.pk}


def _propose(by: str, ids: list[int], person: str = "e4", level: str = "software-architect") -> Proposal:
    return services.propose(person, level, viewer=_viewer(by), rationale="Leads the design work",
                            evidence=["Kept the on-call rota healthy"], evidence_ids=ids,
                            reviewers=["e1"] if person == "e4" else [])


def test_the_proposer_attaches_entries_of_the_log_and_free_text_stays(logs):
    from trellis.web.promotions import queries

    proposal = _propose("mia", [logs["design"], logs["mentoring"]])
    data = queries.detail(proposal, _viewer("mia"), impact=False)
    assert data["evidence"] == ["Kept the on-call rota healthy"]
    assert [(e["kind"], e["date"], e["title"], e["link"]) for e in data["evidence_entries"]] == [
        ("mentoring", "2025-12-01", "Mentored Cy weekly", None),
        ("design-document", "2025-11-03", "Payments retry design", "https://wiki.example.org/retries")]
    assert data["evidence_entries"][1]["log"] == f"/growth/people/e4/evidence/#evidence-{logs['design']}"
    assert "private notes" not in str(data), "notes stay in the log"


def test_an_entry_of_another_persons_log_is_refused_like_one_that_does_not_exist(logs):
    with pytest.raises(Refused) as other:
        _propose("mia", [logs["design"], logs["bens"]])
    with pytest.raises(Refused) as missing:
        _propose("mia", [logs["design"], 99999])
    assert str(other.value).replace(str(logs["bens"]), "N") == str(missing.value).replace("99999", "N")
    assert f"evidence {logs['bens']} is not in Tess Lead's evidence log" in str(other.value)
    assert not Proposal.objects.exists(), "nothing was created"


def test_nobody_attaches_evidence_they_may_not_see(logs):
    # Ben may propose a move for himself, but Tess's log is not his to read: her entry is not in his log.
    with pytest.raises(Refused, match=f"evidence {logs['design']} is not in Ben Builder's evidence log"):
        _propose("ben", [logs["design"]], person="e5", level="lead-engineer")


def test_without_the_right_to_see_the_log_nothing_is_attached(logs, monkeypatch):
    from trellis.access import RULES, Relation, Right

    # Were a proposer ever not allowed to read the log (a deployment narrowing the rule), the refusal is the rule's.
    monkeypatch.setitem(RULES, Right.SEE_EVIDENCE, RULES[Right.SEE_EVIDENCE] - {Relation.DOTTED_MANAGER})
    with pytest.raises(PermissionDenied, match="you may not attach evidence from Tess Lead's evidence log"):
        _propose("mia", [logs["design"]])


def test_a_reviewer_who_may_not_open_the_log_sees_the_entries_but_not_a_link_into_the_log(logs):
    from trellis.web.promotions import queries

    proposal = _propose("mia", [logs["design"]])
    services.submit(proposal.pk, viewer=_viewer("mia"))
    data = queries.detail(proposal, _viewer("dana"), impact=False)  # Dana: a reviewer, above Tess's managers
    [entry] = data["evidence_entries"]
    assert (entry["title"], entry["kind_label"], entry["log"]) == ("Payments retry design", "Design document or ADR",
                                                                   None)


def test_the_new_proposal_page_offers_the_entries_the_proposer_may_see(logs, client):
    client.login(username="mia", password=PASSWORD)
    page = client.get("/promotions/new/?person=e4").content.decode()
    assert "2025-11-03 · Design document or ADR · Payments retry design" in page
    assert "Ran the outage review" not in page
    created = client.post("/promotions/new/", {"person": "e4", "level": "software-architect",
                                               "rationale": "Leads the design work",
                                               "evidence_entries": [logs["design"]],
                                               "evidence": "Kept the on-call rota healthy"})
    assert created.status_code == 302
    proposal = Proposal.objects.get()
    detail = client.get(f"/promotions/{proposal.pk}/").content.decode()
    assert '<a href="https://wiki.example.org/retries" rel="noopener noreferrer">Payments retry design</a>' in detail
    assert f'<a href="/growth/people/e4/evidence/#evidence-{logs["design"]}">entry {logs["design"]}</a>' in detail
    assert "Kept the on-call rota healthy" in detail
    packet = client.get(f"/promotions/{proposal.pk}/packet/").content.decode()
    assert "Design document or ADR" in packet and "2025-11-03" in packet and "Payments retry design" in packet


def test_the_page_names_the_person_first_and_shows_no_log_one_may_not_see(logs, client):
    client.login(username="ben", password=PASSWORD)
    blank = client.get("/promotions/new/").content.decode()
    assert "Show their evidence log" in blank
    picked = client.post("/promotions/new/", {"person": "e4", "pick": "1"})
    assert picked.status_code == 200
    html = picked.content.decode()
    assert "No entries of e4's evidence log that you may see." in html and "Payments retry design" not in html
    assert not Proposal.objects.exists(), "showing the log creates nothing"


def test_the_api_attaches_by_id_and_refuses_what_is_not_in_the_log(logs, client):
    client.login(username="mia", password=PASSWORD)
    body = {"person": "e4", "level": "software-architect", "rationale": "Leads the design work"}
    refused = client.post("/api/promotions/", {**body, "evidence_ids": [logs["bens"]]}, content_type="application/json")
    assert refused.status_code == 400
    assert f"evidence {logs['bens']} is not in Tess Lead's evidence log" in refused.json()["detail"]
    created = client.post("/api/promotions/", {**body, "evidence_ids": [logs["design"]]},
                          content_type="application/json")
    assert created.status_code == 200
    [entry] = created.json()["evidence_entries"]
    assert (entry["id"], entry["kind"], entry["date"], entry["link"]) == (
        logs["design"], "design-document", "2025-11-03", "https://wiki.example.org/retries")


def test_the_command_line_lists_attaches_and_shows_the_entries(logs, runner):
    listed = runner.invoke(app, ["promotions", "evidence", "e4", "--by", "e3", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert f'"id": {logs["design"]}' in listed.output and "Ran the outage review" not in listed.output
    nothing = runner.invoke(app, ["promotions", "evidence", "e4", "--by", "e5"])
    assert "No entries of e4's evidence log that e5 may see." in nothing.output
    refused = runner.invoke(app, ["promotions", "propose", "e4", "software-architect", "--by", "e3", "--rationale",
                                  "Leads the design work", "--evidence", str(logs["bens"])])
    assert refused.exit_code == 1 and "is not in Tess Lead's evidence log" in refused.output
    made = runner.invoke(app, ["promotions", "propose", "e4", "software-architect", "--by", "e3", "--rationale",
                               "Leads the design work", "--evidence", str(logs["design"]), "--evidence",
                               str(logs["mentoring"]), "--evidence-text", "Kept the on-call rota healthy"])
    assert made.exit_code == 0, made.output
    shown = runner.invoke(app, ["promotions", "show", made.output.strip()])
    assert f"Evidence {logs['design']}: 2025-11-03 Design document or ADR: Payments retry design " \
           "<https://wiki.example.org/retries>" in shown.output
    assert f"Evidence {logs['mentoring']}: 2025-12-01 Mentoring: Mentored Cy weekly" in shown.output
    assert "Evidence: Kept the on-call rota healthy" in shown.output


def test_a_submitted_proposal_keeps_the_entries_the_committee_judged_when_the_log_loses_one(logs, client):
    from trellis.web.promotions import queries

    submitted = _propose("mia", [logs["design"], logs["mentoring"]])
    services.submit(submitted.pk, viewer=_viewer("mia"))
    growth.delete_evidence(_viewer("tess"), logs["design"])

    data = queries.detail(Proposal.objects.get(pk=submitted.pk), _viewer("mia"), impact=False)
    assert [(e["title"], e["removed"], e["log"]) for e in data["evidence_entries"]] == [
        ("Mentored Cy weekly", False, f"/growth/people/e4/evidence/#evidence-{logs['mentoring']}"),
        ("Payments retry design", True, None)]
    client.login(username="mia", password=PASSWORD)
    page = client.get(f"/promotions/{submitted.pk}/").content.decode()
    assert "Payments retry design" in page and "removed from the log since it was submitted" in page


def test_a_draft_shows_the_log_as_it_is(logs):
    from trellis.web.promotions import queries

    draft = _propose("mia", [logs["design"], logs["mentoring"]])
    growth.delete_evidence(_viewer("tess"), logs["design"])
    data = queries.detail(Proposal.objects.get(pk=draft.pk), _viewer("mia"), impact=False)
    assert [(e["title"], e["removed"]) for e in data["evidence_entries"]] == [("Mentored Cy weekly", False)]
