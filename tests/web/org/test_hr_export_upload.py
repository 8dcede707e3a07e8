"""HR uploads a whole-company export on the page and through the API; the upload waits in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.web.org.hr_export import EXPORT, export_file, fields
from trellis.web.org.models import PendingUpload, Person

pytestmark = pytest.mark.django_db


def preview(client, **changes):  # type: ignore[no-untyped-def]
    return client.post("/org/import/", fields(**changes))


def token_of(client) -> str:  # type: ignore[no-untyped-def]
    return str(client.session["trellis_org_import"]["token"])


def test_the_page_previews_the_engineering_division_and_confirms_it_as_previewed(client, hannah):
    client.force_login(hannah)
    response = preview(client)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert "<td>36</td><td>joined</td>" in response.content.decode()
    assert Person.objects.count() == 0
    response = client.post("/org/import/confirm/", {"token": token_of(client)})
    assert response.status_code == 302
    assert Person.objects.count() == 36
    assert Person.objects.get(external_id="HR/2019/104").level == "software-architect"
    assert set(Person.objects.filter(reports_outside=True).values_list("external_id", flat=True)) == {
        "CTR 77", "HR/2016/101", "HR/2017/100"}
    assert PendingUpload.objects.count() == 0, "a confirmed upload is not kept"


def test_the_page_lists_missing_managers_once_each_by_default(client, hannah):
    client.force_login(hannah)
    html = preview(client, outside_managers="error").content.decode()
    assert html.count("there is no person") == 2
    assert "lines 11 and 12 refer to them" in html


def test_the_page_quotes_an_unmapped_title_and_suggests_the_closest_level(client, hannah):
    client.force_login(hannah)
    html = preview(client, level_map="").content.decode()
    assert "unknown level &#x27;Staff Engineer&#x27;: the closest is" in html


def test_a_waiting_upload_is_in_the_database_and_only_its_uploader_may_confirm_it(client, hannah, alice):
    client.force_login(hannah)
    preview(client)
    waiting = PendingUpload.objects.get()
    assert waiting.created_by == hannah and waiting.options["where"] == "Division=Engineering"
    token = token_of(client)
    client.force_login(alice)
    html = client.post("/org/import/confirm/", {"token": token}).content.decode()
    assert "no longer waiting" in html and Person.objects.count() == 0


def test_a_waiting_upload_expires(client, hannah, settings):
    settings.TRELLIS_PENDING_UPLOAD_HOURS = 1
    client.force_login(hannah)
    preview(client)
    PendingUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    html = client.post("/org/import/confirm/", {"token": token_of(client)}).content.decode()
    assert "no longer waiting" in html and Person.objects.count() == 0
    client.post("/org/import/", fields())
    assert PendingUpload.objects.count() == 1, "the expired upload is removed when the next one is kept"


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(client, hannah, settings):
    settings.TRELLIS_MAX_UPLOAD_MB = 0.001
    client.force_login(hannah)
    response = preview(client)
    assert response.status_code == 413
    assert "more than the 0.001 MB this server accepts (TRELLIS_MAX_UPLOAD_MB)" in response.content.decode()
    api = client.post("/api/org/import", fields())
    assert api.status_code == 413


def test_the_api_imports_the_engineering_division_with_the_same_choices(client, hannah):
    client.force_login(hannah)
    body = client.post("/api/org/import", fields(dry_run="false")).json()
    assert body["applied"] and body["counts"]["joined"] == 36
    assert Person.objects.get(external_id="HR/2016/101").reports_outside


def test_the_api_lists_the_problems_of_bad_choices_together(client, hannah):
    client.force_login(hannah)
    response = client.post("/api/org/import", fields(where="Division", outside_managers="ignore"))
    assert response.status_code == 400
    messages = [p["message"] for p in response.json()["problems"]]
    assert any("'Division' is not a filter" in m for m in messages)
    assert any("'ignore' is not a way to treat managers" in m for m in messages)


def _windows_export() -> bytes:
    """The export as a Windows spreadsheet in a day-first country saves it: semicolons, cp1252, 31.12.2025."""
    from tests.org.test_export_shapes import OUTSIDE_CP1252, reshaped

    text = EXPORT.read_text(encoding="utf-8-sig").translate(OUTSIDE_CP1252)
    return reshaped(text, delimiter=";", since="%d.%m.%Y").encode("cp1252")


def test_the_page_reads_a_windows_export_with_its_encoding_and_dates_and_confirms_it_read_the_same_way(client,
                                                                                                   hannah):
    client.force_login(hannah)
    refused = preview(client, file=export_file(_windows_export())).content.decode()
    assert "name its encoding with --encoding" in refused
    kept = preview(client, file=export_file(_windows_export()), encoding="cp1252", date_format="%m/%Y")
    assert kept.status_code == 400 and "does not read a whole date" in kept.content.decode()
    assert 'value="cp1252"' in kept.content.decode(), "what was typed is kept for the next try"
    html = preview(client, file=export_file(_windows_export()), encoding="cp1252", date_format="%d.%m.%Y")
    assert html.status_code == 200 and "<td>36</td><td>joined</td>" in html.content.decode()
    assert client.post("/org/import/confirm/", {"token": token_of(client)}).status_code == 302
    assert Person.objects.get(external_id="HR/2022/205").name == "Mia Müller"
    assert str(Person.objects.get(external_id="HR/2022/205").level_since) == "2022-04-13"


def test_the_api_takes_the_encoding_and_the_date_format_and_refuses_bad_ones_together(client, hannah):
    client.force_login(hannah)
    bad = client.post("/api/org/import", fields(file=export_file(_windows_export()), encoding="klingon",
                                                date_format="%m/%Y"))
    assert bad.status_code == 400
    messages = [p["message"] for p in bad.json()["problems"]]
    assert any("'klingon' is not a text encoding" in m for m in messages)
    assert any("'%m/%Y' does not read a whole date" in m for m in messages)
    body = client.post("/api/org/import", fields(file=export_file(_windows_export()), encoding="cp1252",
                                                 date_format="%d.%m.%Y", dry_run="false")).json()
    assert body["applied"] and body["counts"]["joined"] == 36
