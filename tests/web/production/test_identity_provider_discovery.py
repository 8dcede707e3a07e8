"""Given only the issuer, Trellis reads the identity provider's endpoints from its discovery document:
a real OpenID Connect provider (oidc-provider from npm) on the loopback, no mocks."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import requests
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tests.oidc.provider import IdentityProvider, identity_provider
from trellis.cli import app
from trellis.web.accounts import discovery
from trellis.web.accounts.sso import PersonFromIdentityProvider


@pytest.fixture
def provider(tmp_path) -> Iterator[IdentityProvider]:  # type: ignore[no-untyped-def]
    discovery.forget()
    with identity_provider("http://127.0.0.1:9/accounts/sso/callback/", {}, tmp_path) as found:
        yield found
    discovery.forget()


@pytest.fixture
def sso_by_issuer(settings, provider):  # type: ignore[no-untyped-def]
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sso_errors() -> list[checks.CheckMessage]:
    return [m for m in checks.run_checks(tags=["sso"]) if m.is_serious()]


def test_the_endpoints_and_the_signing_keys_come_from_the_issuer_alone(sso_by_issuer):
    issuer = sso_by_issuer.issuer
    backend = PersonFromIdentityProvider()
    assert backend.OIDC_OP_TOKEN_ENDPOINT == f"{issuer}/token"
    assert backend.OIDC_OP_USER_ENDPOINT == f"{issuer}/me"
    assert backend.OIDC_OP_JWKS_ENDPOINT == f"{issuer}/jwks"
    assert discovery.endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT") == f"{issuer}/auth"
    assert discovery.endpoint("OIDC_OP_END_SESSION_ENDPOINT") == f"{issuer}/session/end"
    assert requests.get(backend.OIDC_OP_JWKS_ENDPOINT, timeout=10).json()["keys"], "the provider's signing keys"
    assert _sso_errors() == []


def test_the_document_is_read_once_and_kept_until_forgotten(settings, tmp_path):
    discovery.forget()
    with identity_provider("http://127.0.0.1:9/accounts/sso/callback/", {}, tmp_path) as running:
        for name, value in running.settings().items():
            setattr(settings, name, value)
        assert discovery.endpoint("OIDC_OP_TOKEN_ENDPOINT") == f"{running.issuer}/token"
    # The provider has stopped: what was read is still known.
    assert discovery.endpoint("OIDC_OP_TOKEN_ENDPOINT") == f"{running.issuer}/token"
    discovery.forget()
    with pytest.raises(discovery.DiscoveryFailed, match="could not be reached"):
        discovery.endpoint("OIDC_OP_TOKEN_ENDPOINT")


def test_an_endpoint_set_by_hand_overrides_the_discovered_one(sso_by_issuer, settings):
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://tokens.example.org/token"
    backend = PersonFromIdentityProvider()
    assert backend.OIDC_OP_TOKEN_ENDPOINT == "https://tokens.example.org/token"
    assert backend.OIDC_OP_USER_ENDPOINT == f"{sso_by_issuer.issuer}/me"


def test_an_unreachable_issuer_is_a_clear_error_at_check_time(settings):
    discovery.forget()
    settings.OIDC_RP_CLIENT_ID = "trellis"
    settings.OIDC_OP_ISSUER = f"http://127.0.0.1:{_closed_port()}"
    [error] = _sso_errors()
    assert error.id == "trellis.E002"
    assert f"{settings.OIDC_OP_ISSUER}/.well-known/openid-configuration (TRELLIS_OIDC_ISSUER) could not be reached" \
        in error.msg
    with pytest.raises(SystemCheckError, match="trellis.E002"):
        call_command("check")


def test_an_address_that_is_not_the_issuer_is_a_clear_error(sso_by_issuer, settings):
    settings.OIDC_OP_ISSUER = f"{sso_by_issuer.issuer}/tenant"
    [error] = _sso_errors()
    assert "answered HTTP 404: the issuer's address is probably wrong" in error.msg


def test_a_document_that_names_another_issuer_is_refused(sso_by_issuer, settings):
    settings.OIDC_OP_ISSUER = sso_by_issuer.issuer.replace("127.0.0.1", "localhost")
    [error] = _sso_errors()
    assert f"names the issuer '{sso_by_issuer.issuer}', not '{settings.OIDC_OP_ISSUER}'" in error.msg


def test_sso_with_neither_issuer_nor_endpoints_says_what_to_set(settings):
    settings.OIDC_RP_CLIENT_ID = "trellis"
    settings.OIDC_OP_ISSUER = ""
    [error] = _sso_errors()
    assert error.id == "trellis.E001" and "set TRELLIS_OIDC_ISSUER" in (error.hint or "")


def test_without_sso_nothing_is_read(settings):
    settings.OIDC_RP_CLIENT_ID = ""
    settings.OIDC_OP_ISSUER = f"http://127.0.0.1:{_closed_port()}"
    assert _sso_errors() == []


def test_the_server_refuses_to_start_when_the_issuer_cannot_be_reached(settings, runner):
    discovery.forget()
    settings.OIDC_RP_CLIENT_ID = "trellis"
    settings.OIDC_OP_ISSUER = f"http://127.0.0.1:{_closed_port()}"
    result = runner.invoke(app, ["serve", "--port", str(_closed_port())])
    assert result.exit_code == 1
    assert "could not be reached" in result.output and "Trellis did not start" in result.output


@pytest.mark.django_db
def test_a_provider_down_at_sign_in_is_said_on_the_sign_in_page_and_passwords_still_work(settings, client, charlie):
    from tests.conftest import PASSWORD

    discovery.forget()
    settings.OIDC_RP_CLIENT_ID = "trellis"
    settings.OIDC_OP_ISSUER = f"http://127.0.0.1:{_closed_port()}"
    answer = client.get("/accounts/sso/", follow=True)
    assert answer.redirect_chain[-1][0] == "/accounts/login/"
    assert "is not possible right now" in answer.content.decode()
    signed_in = client.post("/accounts/login/", {"username": "charlie", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9")
    assert signed_in.status_code == 302
