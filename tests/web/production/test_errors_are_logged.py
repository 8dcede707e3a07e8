"""A server error is logged with its traceback, and mailed to the admins when there are some."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.production.failing_urls")]


def _fail(user) -> int:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client.get("/fails/").status_code


def test_a_server_error_is_logged_with_its_traceback(charlie, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        assert _fail(charlie) == 500
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info and "the disk is on fire" in str(record.exc_info[1])
    assert "Traceback (most recent call last)" in caplog.text
    assert 'raise RuntimeError("the disk is on fire")' in caplog.text


def test_the_logging_settings_send_errors_with_tracebacks_to_standard_error(settings):
    handlers = settings.LOGGING["loggers"]["django.request"]["handlers"]
    assert "stderr" in handlers and "mail_admins" in handlers


def test_a_server_error_is_mailed_to_the_admins_with_its_traceback(charlie, settings):
    settings.ADMINS = [("", "ops@example.org")]
    assert _fail(charlie) == 500
    [message] = mail.outbox
    assert message.to == ["ops@example.org"]
    assert message.subject.startswith("[Trellis] ERROR")
    assert "RuntimeError at /fails/\nthe disk is on fire" in message.body
    assert "Traceback" in message.body and "raise RuntimeError" in message.body


def test_without_admins_nobody_is_mailed(charlie, settings):
    settings.ADMINS = []
    assert _fail(charlie) == 500
    assert mail.outbox == []
