"""HR uploads an organisation file, reads the preview or the problems, and confirms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.web.org.csv_files import BAD, HR_MAPPING, HR_SYSTEM, ORG, upload
from trellis.lib import clock
from trellis.web.org import services
from trellis.web.org.models import HistoryEvent, Person

pytestmark = pytest.mark.django_db


def preview(client, text: str = ORG, **fields):  # type: ignore[no-untyped-def]
    return client.post("/org/import/", {"file": upload(text), "as_of": "2025-03-01", **fields})


def confirm(client, **fields):  # type: ignore[no-untyped-def]
    return client.post("/org/import/confirm/", {"token": client.session["trellis_org_import"]["token"], **fields})


@pytest.mark.parametrize(("method", "path"), [("get", "/org/import/"), ("post", "/org/import/"),
                                              ("post", "/org/import/confirm/"), ("get", "/org/export.csv")])
def test_an_ordinary_user_may_not_import_or_export(client, charlie, method, path):
    client.force_login(charlie)
    assert getattr(client, method)(path).status_code == 403


def test_the_import_link_is_in_the_menu_for_hr_only(client, charlie, hannah):
    client.force_login(charlie)
    assert 'href="/org/import/"' not in client.get("/org/chart/").content.decode()
    client.force_login(hannah)
    assert 'href="/org/import/"' in client.get("/org/chart/").content.decode()


def test_the_preview_shows_counts_and_the_first_of_each_kind_and_writes_nothing(client, hannah):
    client.force_login(hannah)
    response = preview(client)
    assert response.status_code == 200
    html = response.content.decode()
    rows = html[html.index('aria-label="Changes"'):]
    assert "<td>6</td><td>joined</td>" in rows and "<td>2</td><td>new team</td>" in rows
    assert "joined cto Ada Ørsted" in rows, "the first change of each kind is shown as an example"
    assert Person.objects.count() == 0


def test_confirming_imports_exactly_the_previewed_file(client, hannah):
    client.force_login(hannah)
    preview(client)
    response = confirm(client)
    assert response.status_code == 302 and response["Location"] == "/org/import/"
    assert Person.objects.filter(active=True).count() == 6
    page = client.get("/org/import/").content.decode()
    assert "Imported org.csv as of 2025-03-01: 2 new team, 6 joined, 4 role gained." in page
    # The first import records no row per person: its entries are worked out when a history is read.
    assert not HistoryEvent.objects.exists()
    joined = services.history_for_person("e1")[0]
    assert joined.kind == "joined" and joined.effective == date(2025, 3, 1)
    assert joined.source is not None and joined.source.startswith("import of org.csv by hannah on ")


def test_a_bad_file_lists_every_problem_with_line_and_column_and_writes_nothing(client, hannah):
    client.force_login(hannah)
    response = preview(client, BAD)
    assert response.status_code == 400
    html = response.content.decode()
    problems = html[html.index('aria-label="Problems"'):]
    assert problems.count('<tr class="problem">') >= 4
    assert "teem" in problems and "<td>3</td><td>email</td>" in problems
    assert "<td>4</td><td>level</td>" in problems and "<td>5</td><td>id</td>" in problems
    assert "nothing was imported" in problems
    assert Person.objects.count() == 0 and "trellis_org_import" not in client.session


def test_a_mapping_renames_the_columns_of_an_hr_system(client, hannah):
    client.force_login(hannah)
    response = preview(client, HR_SYSTEM, mapping=HR_MAPPING)
    assert response.status_code == 200 and "<td>2</td><td>joined</td>" in response.content.decode()
    confirm(client)
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Ada Ørsted", "Gus Grant"]


def test_a_bad_mapping_and_a_bad_date_are_listed_together(client, hannah):
    client.force_login(hannah)
    response = client.post("/org/import/", {"file": upload(ORG), "as_of": "1 March", "mapping": "Grade=rank"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a date" in html and "is not one of our columns" in html


def test_a_missing_file_is_a_problem_not_an_error(client, hannah):
    client.force_login(hannah)
    response = client.post("/org/import/", {"as_of": "2025-03-01"})
    assert response.status_code == 400 and "choose a CSV file" in response.content.decode()


def test_a_confirmation_for_a_file_that_was_not_previewed_is_refused(client, hannah):
    client.force_login(hannah)
    preview(client)
    response = client.post("/org/import/confirm/", {"token": "0" * 64})
    assert response.status_code == 400 and "choose the file again" in response.content.decode()
    assert Person.objects.count() == 0


def test_a_confirmation_without_any_preview_is_refused(client, hannah):
    client.force_login(hannah)
    assert client.post("/org/import/confirm/", {"token": "../../etc/passwd"}).status_code == 400


def test_a_file_that_would_empty_the_organisation_needs_the_box_ticked(client, hannah):
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    client.force_login(hannah)
    truncated = "\n".join(ORG.splitlines()[:3]) + "\n"
    html = preview(client, truncated).content.decode()
    assert "would mark 4 people" in html and 'name="allow_mass_leave"' in html
    refused = confirm(client)
    assert refused.status_code == 409 and "Not imported" in refused.content.decode()
    assert Person.objects.filter(active=True).count() == 6
    assert confirm(client, allow_mass_leave="on").status_code == 302
    assert Person.objects.filter(active=True).count() == 2 and Person.objects.count() == 6


def test_re_importing_the_same_file_says_nothing_changes(client, hannah):
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    client.force_login(hannah)
    assert "No changes" in preview(client).content.decode()


def test_an_upload_dated_after_today_is_refused_before_anything_is_previewed(client, hannah):
    client.force_login(hannah)
    tomorrow = clock.today() + timedelta(days=1)
    response = client.post("/org/import/", {"file": upload(ORG), "as_of": tomorrow.isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{tomorrow.isoformat()} is after today" in html and "date it today or earlier" in html
    assert "trellis_org_import" not in client.session
    assert Person.objects.count() == 0
    assert f'max="{clock.today().isoformat()}"' in client.get("/org/import/").content.decode()


def test_the_mass_leave_share_is_the_deployments_policy(client, hannah, settings):
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    client.force_login(hannah)
    truncated = "\n".join(ORG.splitlines()[:3]) + "\n"
    settings.TRELLIS_MASS_LEAVE_SHARE = 0.5
    assert "more than the policy's 50%" in preview(client, truncated).content.decode()
    settings.TRELLIS_MASS_LEAVE_SHARE = 0.75
    html = preview(client, truncated).content.decode()
    assert "would mark 4 people" not in html and 'name="allow_mass_leave"' not in html
    assert confirm(client).status_code == 302
    assert Person.objects.filter(active=True).count() == 2
