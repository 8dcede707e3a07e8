"""HR imports a generated organisation in a real browser, then the chart is browsed and printed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from trellis.org.generate import generate_org_csv
from trellis.web.accounts.roles import HR
from trellis.web.ladders import services as ladders
from trellis.web.org.models import DottedLine, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_previews_and_confirms_an_import_then_browses_and_prints_the_chart(page, live_server, hannah, tmp_path):
    ladders.ensure_default_ladder()
    # Transactional tests empty the tables after each test, the role groups made by migrations included.
    hannah.groups.add(Group.objects.get_or_create(name=HR)[0])
    org_file = tmp_path / "organisation.csv"
    org_file.write_text(generate_org_csv(120, seed=3), encoding="utf-8")
    sign_in(page, live_server, "hannah", PASSWORD, then="/org/import/")
    page.wait_for_url(f"{live_server.url}/org/import/")
    bad_file = tmp_path / "bad.csv"
    bad_file.write_text("id,name,level,teem\nx1,Ann,wizard,Payments\nx1,Bob,cto,\n", encoding="utf-8")
    page.set_input_files("#id_file", str(bad_file))
    page.click("text=Check and preview")
    problems = page.locator('[aria-label="Problem list"] tr.problem')
    problems.first.wait_for()
    assert problems.count() >= 3 and "nothing was imported" in page.locator("[role=alert] h2").inner_text()
    screenshot(page, "org-import-problems")

    page.set_input_files("#id_file", str(org_file))
    page.click("text=Check and preview")
    preview = page.locator("section.preview")
    preview.wait_for()
    assert "120" in preview.locator("table").inner_text()
    assert Person.objects.count() == 0, "a preview writes nothing"
    screenshot(page, "org-import-preview")

    page.click("text=Import these changes")
    page.wait_for_url(f"{live_server.url}/org/import/")
    assert "Imported organisation.csv as of" in page.locator(".messages").inner_text()
    assert Person.objects.filter(active=True).count() == 120

    page.goto(f"{live_server.url}/org/chart/list/")
    top = page.locator("ul.chart > li.node")
    assert top.count() == 1, "one person at the top of a generated organisation"
    first_closed = "ul.chart > li.node > details > ul.children > li.node:has(> details:not([open]))"
    node_id = page.locator(first_closed).first.get_attribute("data-id")
    node = page.locator(f'[id="node-{node_id}"]')
    node.locator(":scope > details > summary").click()
    node.locator(":scope > details .children .node").first.wait_for()
    reports = Person.objects.get(external_id=node_id).reports.filter(active=True).count()
    assert node.locator(":scope > details > .children > .node").count() == reports
    screenshot(page, "org-chart-generated")

    lead = DottedLine.objects.select_related("person", "manager").first()
    assert lead is not None, "a generated organisation has tech leaders on dotted lines"
    page.fill("#chart-q", lead.person.external_id)
    page.press("#chart-q", "Enter")
    page.wait_for_url("**/org/chart/list/?focus=*")
    card = page.locator(".node.focused > .node-card")
    assert f"dotted line to {lead.manager.name}" in card.inner_text()
    screenshot(page, "org-chart-generated-focus")

    page.emulate_media(media="print")
    assert page.locator(".chart-tools").is_hidden() and page.locator(".topbar").is_hidden()
    screenshot(page, "org-chart-print")
