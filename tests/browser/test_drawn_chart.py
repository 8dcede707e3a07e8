"""A leader uses the drawn org chart: boxes and lines, opening a subtree, search, colours, badges, export."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.org import org_factory as f
from trellis.web.ladders import services as ladders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _chart(page, live_server, path: str = "/org/chart/") -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "charlie", PASSWORD, then=path)
    page.wait_for_url(f"{live_server.url}{path}")
    page.wait_for_selector("#org-svg[data-ready]")


def test_the_chart_draws_boxes_with_pairs_and_opens_a_subtree_on_demand(page, live_server, charlie):
    ladders.ensure_default_ladder()
    org = f.payments()
    for i in range(3):  # a team this small is not judged
        f.person(f"s{i}", f"Sam Search {i}", team=org["search"], manager=org["mia"])
    _chart(page, live_server)
    assert page.locator("#box-e1").is_visible() and page.locator("#box-e3").is_visible()
    assert page.locator("#box-e5").count() == 0, "Mia's reports are not fetched before her box is opened"
    mia = page.locator("#box-e3")
    assert "PM Payments" in mia.locator(".pair").text_content()
    with page.expect_response(lambda r: "/org/chart/boxes/e3/" in r.url):
        mia.locator(".toggle").click()
    page.locator("#box-e5").wait_for()
    assert mia.locator(".toggle").get_attribute("aria-expanded") == "true"
    page.locator("#box-e2 .toggle").click()  # Ada: Tess reports to her
    page.locator("#box-e4").wait_for()
    assert page.locator("#lines path.link.solid").count() == 1
    assert page.locator("#lines path.link.dotted").count() == 1, "Tess's dotted line to Mia is drawn"
    assert page.locator("#lines path.link.pair").count() == 1, "Mia and Tess, the pair of Payments, are joined"
    page.locator("#box-e3 .badges .badge").first.wait_for()
    assert "no TL" in page.locator("#box-e3 .badges").text_content(), "Search, Mia's other team, has no tech lead"
    screenshot(page, "drawn-chart-opened")

    page.select_option("#chart-colour", "department")
    assert "Money" in page.locator("#chart-legend").inner_text()
    page.select_option("#chart-colour", "finding")
    assert "warning" in page.locator("#chart-legend").inner_text() or "critical" in page.locator(
        "#chart-legend").inner_text()

    mia.locator(".toggle").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#box-e5').style.display === 'none'")


def test_search_brings_a_person_into_view_opening_the_way_down(page, live_server, charlie):
    ladders.ensure_default_ladder()
    f.payments()
    _chart(page, live_server)
    page.fill("#chart-q", "Cy Coder")
    page.press("#chart-q", "Enter")
    page.wait_for_selector("#box-e6.found")
    box = page.locator("#box-e6").bounding_box()
    chart = page.locator("#org-svg").bounding_box()
    assert box and chart and chart["x"] <= box["x"] <= chart["x"] + chart["width"], "Cy is on the screen"
    assert "is shown and highlighted" in page.locator("#chart-status").inner_text()
    screenshot(page, "drawn-chart-search")


def test_a_subtree_can_be_charted_alone_and_exported_as_svg_and_png(page, live_server, charlie):
    ladders.ensure_default_ladder()
    f.payments()
    _chart(page, live_server, "/org/chart/?root=e3")
    assert page.locator("h1").inner_text().startswith("Org chart: Mia Manager")
    assert page.locator("#box-e1").count() == 0 and page.locator("#box-e5").is_visible()
    with page.expect_download() as svg_download:
        page.click("#chart-export-svg")
    text = open(svg_download.value.path(), encoding="utf-8").read()
    assert text.startswith("<svg") and "Ben Builder" in text and ".org-svg .card" in text
    with page.expect_download() as png_download:
        page.click("#chart-export-png")
    assert open(png_download.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    page.emulate_media(media="print")
    assert page.locator(".chart-bar").is_hidden() and page.locator(".print-stamp").is_visible()
    screenshot(page, "drawn-chart-print")


def test_a_phone_gets_the_chart_without_sideways_scrolling(page, live_server, charlie):
    ladders.ensure_default_ladder()
    f.payments()
    page.set_viewport_size({"width": 390, "height": 844})
    _chart(page, live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "drawn-chart-phone")
