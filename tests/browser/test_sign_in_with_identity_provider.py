"""People sign in with the company's identity provider: a real OpenID Connect provider, the full redirect flow."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.oidc.provider import identity_provider
from tests.web.org import org_factory
from trellis.web.accounts.roles import HR
from trellis.web.ladders import services
from trellis.web.org.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNTS = {
    "tess": {"email": "E4@example.org", "email_verified": True, "given_name": "Tess", "family_name": "Lead",
             "groups": ["engineering"]},
    "hilda": {"email": "hilda@example.org", "email_verified": True, "name": "Hilda Partner",
              "groups": ["people-team"]},
    "stranger": {"email": "stranger@example.org", "email_verified": True, "name": "Sam Stranger", "groups": []},
}


@pytest.fixture
def sso(live_server, settings, tmp_path):  # type: ignore[no-untyped-def]
    services.ensure_default_ladder()
    with identity_provider(f"{live_server.url}/accounts/sso/callback/", ACCOUNTS, tmp_path,
                           post_logout_redirect_uri=f"{live_server.url}/accounts/login/") as provider:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        settings.TRELLIS_SSO_NAME = "Example SSO"
        settings.TRELLIS_SSO_HR_GROUPS = ["people-team"]
        settings.TRELLIS_SSO_ADMIN_GROUPS = ["trellis-admins"]
        yield provider


def _sign_in_at_provider(page, login: str) -> None:  # type: ignore[no-untyped-def]
    page.click("#sign-in-sso")
    page.wait_for_selector("input[name=login]")
    assert page.url.startswith("http://127.0.0.1:"), "the browser is at the identity provider"
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "whatever the provider asks")
    page.click("button[type=submit]")
    page.click("button:has-text('Continue')")  # the provider's consent screen


def test_a_person_signs_in_with_the_identity_provider_and_lands_on_the_page_they_asked_for(page, live_server, sso):
    tess = org_factory.person("e4", "Tess Lead", "lead-engineer")
    page.goto(f"{live_server.url}/org/people/")
    assert "/accounts/login/" in page.url
    assert page.locator("#sign-in-sso").inner_text() == "Sign in with Example SSO"
    _sign_in_at_provider(page, "tess")
    page.wait_for_url(f"{live_server.url}/org/people/")
    assert page.locator(".who").inner_text() == "Tess Lead"
    screenshot(page, "signed-in-with-sso")
    tess.refresh_from_db()
    assert tess.user is not None and tess.user.email == "e4@example.org"
    assert not tess.user.has_usable_password(), "an SSO account has no Trellis password"
    assert list(tess.user.groups.values_list("name", flat=True)) == []


def test_the_groups_claim_makes_someone_hr_without_being_in_the_organisation(page, live_server, sso):
    page.goto(f"{live_server.url}/accounts/login/")
    _sign_in_at_provider(page, "hilda")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("nav a", has_text="Import").count() == 1
    assert page.locator(".who").inner_text() == "Hilda Partner"
    assert not Person.objects.filter(email="hilda@example.org").exists()


def test_someone_the_organisation_does_not_know_is_told_why_they_are_not_signed_in(page, live_server, sso):
    page.goto(f"{live_server.url}/accounts/login/")
    _sign_in_at_provider(page, "stranger")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    message = page.locator(".messages li").inner_text()
    assert "Nobody in the organisation has the e-mail address stranger@example.org" in message
    assert page.locator(".who").count() == 0


def test_with_passwords_off_the_sign_in_page_offers_only_the_identity_provider(page, live_server, sso, settings):
    settings.TRELLIS_PASSWORD_SIGN_IN = False
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("#id_password").count() == 0
    assert page.locator("#sign-in-sso").is_visible()
    screenshot(page, "sign-in-sso-only")


def _sign_out_of_trellis_and_the_provider(page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.click("form.signout button")
    # The provider asks to confirm ending its own session (oidc-provider's logout page).
    page.wait_for_selector("button[name=logout][value=yes]")
    page.click("button[name=logout][value=yes]")
    page.wait_for_url(f"{live_server.url}/accounts/login/")


def test_signing_out_of_trellis_ends_the_session_at_the_identity_provider_too(page, live_server, sso):
    org_factory.person("e4", "Tess Lead", "lead-engineer")
    page.goto(f"{live_server.url}/accounts/login/")
    _sign_in_at_provider(page, "tess")
    page.wait_for_url(f"{live_server.url}/")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/session/end" in r.url else None)
    page.click("form.signout button")
    page.wait_for_selector("button[name=logout][value=yes]")
    assert page.url.startswith(f"{sso.issuer}/session/end"), "the browser is at the provider's end_session_endpoint"
    screenshot(page, "sign-out-at-identity-provider")
    asked = sent[0]
    assert "id_token_hint=" in asked and "post_logout_redirect_uri=" in asked
    page.click("button[name=logout][value=yes]")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.locator(".who").count() == 0, "signed out of Trellis"
    page.click("#sign-in-sso")  # the provider no longer knows Tess: it asks her to sign in again
    page.wait_for_selector("input[name=login]")
    assert page.url.startswith(sso.issuer)
    screenshot(page, "signed-out-provider-asks-again")


def test_a_role_removed_at_the_identity_provider_is_removed_at_the_next_sign_in(page, live_server, sso):
    from django.contrib.auth.models import Group, User

    org_factory.person("e4", "Tess Lead", "lead-engineer")
    page.goto(f"{live_server.url}/accounts/login/")
    _sign_in_at_provider(page, "tess")
    page.wait_for_url(f"{live_server.url}/")
    user = User.objects.get(email="e4@example.org")
    user.groups.add(Group.objects.get(name=HR))
    _sign_out_of_trellis_and_the_provider(page, live_server)
    _sign_in_at_provider(page, "tess")
    page.wait_for_url(f"{live_server.url}/")
    assert list(user.groups.values_list("name", flat=True)) == []


def test_someone_who_signed_in_with_a_password_signs_out_of_trellis_only(page, live_server, sso, charlie):
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD

    sign_in(page, live_server, "charlie", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.click("form.signout button")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.locator(".who").count() == 0
