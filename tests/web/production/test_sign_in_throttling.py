"""Failed sign-ins are throttled per account and per address, and an admin can lift a pause."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth import base_user
from django.core.management import call_command
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _sign_in(client: Client, username: str, password: str, address: str = "198.51.100.1"):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_two_hundred_wrong_passwords_pause_the_account_and_the_right_one_is_then_refused(charlie, settings):
    client = Client()
    with mock.patch.object(base_user, "check_password", wraps=base_user.check_password) as checked:
        answers = [_sign_in(client, "charlie", f"wrong {n}").status_code for n in range(200)]
    assert answers[:4] == [200] * 4, "the first failures show the form again"
    assert set(answers[settings.AXES_FAILURE_LIMIT - 1:]) == {429}
    assert checked.call_count == settings.AXES_FAILURE_LIMIT, "a paused attempt never hashes a password"

    refused = _sign_in(client, "charlie", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    text = refused.content.decode()
    assert "Too many failed sign-ins for this account (5 in a row)" in text
    assert "trellis manage axes_reset_username charlie" in text


def test_an_admin_lifts_the_pause_with_the_documented_command(charlie):
    client = Client()
    for n in range(5):
        _sign_in(client, "charlie", f"wrong {n}")
    assert _sign_in(client, "charlie", PASSWORD).status_code == 429
    call_command("axes_reset_username", "charlie")
    answer = _sign_in(client, "charlie", PASSWORD)
    assert answer.status_code == 302
    assert client.session["_auth_user_id"] == str(charlie.pk)


def test_an_office_behind_one_address_is_not_paused_by_a_few_peoples_typos(charlie, hannah, settings):
    assert settings.TRELLIS_SIGN_IN_ADDRESS_FAILURES == 50, "the documented default"
    for n in range(49):  # many people, each a typo or two: no account reaches its own limit
        _sign_in(Client(), f"colleague{n % 20}", "typo", address="203.0.113.7")
    assert _sign_in(Client(), "hannah", PASSWORD, address="203.0.113.7").status_code == 302


def test_failures_for_many_accounts_from_one_address_pause_that_address_at_its_own_limit(charlie, hannah, settings):
    for n in range(50):
        answer = _sign_in(Client(), f"nobody{n}", "guess", address="203.0.113.7")
    assert answer.status_code == 429
    text = answer.content.decode()
    assert "Too many failed sign-ins from this address (50 in a row, whatever the accounts)" in text
    assert "trellis manage axes_reset_ip 203.0.113.7" in text
    assert _sign_in(Client(), "hannah", PASSWORD, address="203.0.113.7").status_code == 429
    assert _sign_in(Client(), "hannah", PASSWORD, address="203.0.113.8").status_code == 302


def test_the_address_limit_is_a_setting(charlie, hannah, settings):
    settings.TRELLIS_SIGN_IN_ADDRESS_FAILURES = 8
    for n in range(7):
        _sign_in(Client(), f"nobody{n}", "guess", address="203.0.113.7")
    assert _sign_in(Client(), "hannah", PASSWORD, address="203.0.113.7").status_code == 302
    for n in range(8):
        _sign_in(Client(), f"nobody{n}", "guess", address="203.0.113.7")
    assert _sign_in(Client(), "hannah", PASSWORD, address="203.0.113.7").status_code == 429


def test_an_admin_lifts_an_address_pause_with_the_documented_command(charlie, hannah):
    for n in range(50):
        _sign_in(Client(), f"nobody{n}", "guess", address="203.0.113.7")
    assert _sign_in(Client(), "hannah", PASSWORD, address="203.0.113.7").status_code == 429
    call_command("axes_reset_ip", "203.0.113.7")
    assert _sign_in(Client(), "hannah", PASSWORD, address="203.0.113.7").status_code == 302


def test_a_success_from_an_address_does_not_wipe_its_count_of_failures_for_other_accounts(charlie, hannah):
    for n in range(49):
        _sign_in(Client(), f"nobody{n}", "guess", address="203.0.113.7")
    assert _sign_in(Client(), "hannah", PASSWORD, address="203.0.113.7").status_code == 302
    _sign_in(Client(), "nobody-else", "guess", address="203.0.113.7")
    assert _sign_in(Client(), "charlie", PASSWORD, address="203.0.113.7").status_code == 429


def test_failures_for_one_account_from_many_addresses_pause_that_account(charlie, hannah):
    for n in range(5):
        _sign_in(Client(), "charlie", "guess", address=f"203.0.113.{n + 10}")
    assert _sign_in(Client(), "charlie", PASSWORD, address="192.0.2.1").status_code == 429
    assert _sign_in(Client(), "hannah", PASSWORD, address="192.0.2.1").status_code == 302


def test_a_successful_sign_in_clears_the_accounts_failures(charlie):
    for n in range(4):
        _sign_in(Client(), "charlie", f"wrong {n}")
    assert _sign_in(Client(), "charlie", PASSWORD).status_code == 302
    for n in range(4):
        assert _sign_in(Client(), "charlie", f"wrong again {n}").status_code == 200


def test_behind_proxies_the_client_address_is_counted_not_the_proxys(charlie, hannah, settings):
    settings.PROXY_COUNT = 1
    settings.TRELLIS_SIGN_IN_ADDRESS_FAILURES = 5
    for n in range(5):
        Client().post(LOGIN, {"username": f"nobody{n}", "password": "guess"}, REMOTE_ADDR="10.0.0.2",
                      HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.9")
    paused = Client().post(LOGIN, {"username": "hannah", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2",
                           HTTP_X_FORWARDED_FOR="203.0.113.9")
    other = Client().post(LOGIN, {"username": "hannah", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2",
                          HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert (paused.status_code, other.status_code) == (429, 302)
