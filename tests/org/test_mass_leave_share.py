"""The mass-leave share is a policy: written as a fraction or a percentage, set per deployment."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from trellis.org.plan import DEFAULT_MASS_LEAVE_SHARE, parse_share, percent
from trellis.web import settings as trellis_settings


@pytest.mark.parametrize(("text", "share"), [
    ("0.1", 0.1), ("10%", 0.1), (" 12.5 % ", 0.125), ("0", 0.0), ("1", 1.0), ("100%", 1.0), ("0%", 0.0),
])
def test_a_share_is_a_fraction_or_a_percentage(text, share):
    assert parse_share(text) == pytest.approx(share)


@pytest.mark.parametrize("text", ["150%", "1.5", "-0.1", "-5%", "ten", "", "%", "nan", "inf"])
def test_anything_else_is_refused_saying_what_to_write(text):
    with pytest.raises(ValueError, match="write a fraction from 0 to 1 .* or a percentage from 0% to 100%"):
        parse_share(text)


def test_a_share_is_shown_as_people_write_it():
    assert [percent(s) for s in (0.1, 0.125, 0.07, 1.0, 0.0)] == ["10%", "12.5%", "7%", "100%", "0%"]


def test_the_deployment_sets_the_share_in_the_environment_and_10_percent_is_the_default(monkeypatch):
    monkeypatch.delenv("TRELLIS_MASS_LEAVE_SHARE", raising=False)
    assert trellis_settings._mass_leave_share() == DEFAULT_MASS_LEAVE_SHARE == 0.1
    monkeypatch.setenv("TRELLIS_MASS_LEAVE_SHARE", "25%")
    assert trellis_settings._mass_leave_share() == 0.25
    monkeypatch.setenv("TRELLIS_MASS_LEAVE_SHARE", "a quarter")
    with pytest.raises(ImproperlyConfigured, match="TRELLIS_MASS_LEAVE_SHARE: 'a quarter' is not a share"):
        trellis_settings._mass_leave_share()
