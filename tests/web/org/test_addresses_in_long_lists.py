"""Long lists write the addresses of people and teams without resolving the route for every row,
exactly as Django's own ``{% url %}`` writes them, whatever the id or name holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trellis.web.org.templatetags.org_extras import person_url, team_url

ODD = ["e1", "a/b", "Zoë Ørsted", "x y&z", "50% off", "it's", "a?b#c", "tilde~colon:at@", "plus+semi;eq=", "日本"]


@pytest.mark.parametrize("value", ODD)
def test_a_person_and_a_team_are_addressed_as_the_router_addresses_them(value):
    assert person_url(value) == reverse("org-person", args=[value])
    assert team_url(value) == reverse("org-team", args=[value])


def test_the_people_list_links_each_person_their_team_and_their_manager(client, charlie, db):
    from tests.web.org import org_factory as f

    pay = f.team("Pay & Go")
    boss = f.person("b/1", "Bo Boss", "engineering-manager")
    f.person("p 2", "Pat Person", team=pay, manager=boss)
    client.force_login(charlie)
    html = client.get("/org/people/?q=Pat").content.decode()
    assert 'href="/org/people/p%202/"' in html and 'href="/org/people/b/1/"' in html
    assert 'href="/org/teams/Pay%20&amp;%20Go/"' in html
