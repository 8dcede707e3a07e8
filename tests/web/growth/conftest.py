"""The Payments organisation with accounts for everyone in it, for growth's pages and API."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User

from tests.conftest import PASSWORD
from tests.web.org import org_factory as f

PEOPLE = ("dana", "ada", "mia", "tess", "ben", "cy")


@pytest.fixture
def org(db: Any) -> dict[str, Any]:
    """Dana directs; Ada is Director of Architecture; Mia manages Payments (Ben, Cy) and Search; Tess leads
    Payments technically (solid line to Ada, dotted to Mia). Each has an account of their first name."""
    users = {name: User.objects.create_user(name, f"{name}@example.org", PASSWORD, first_name=name.capitalize())
             for name in PEOPLE}
    return f.payments(**users)


def login(client: Any, name: str) -> Any:
    client.force_login(User.objects.get(username=name))
    return client


class Inbox:
    """A real SMTP server's mailbox (aiosmtpd on the loopback): what it received, one entry a message."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        parsed = message_from_bytes(envelope.content)
        self.messages.append((list(envelope.rcpt_tos), str(parsed["Subject"]), parsed.get_payload()))
        return "250 OK"


@pytest.fixture
def inbox(settings) -> Iterator[Inbox]:  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Inbox()
    # The server's own notes on each connection (INFO) are not the test's business, and one arriving
    # after the test's output was closed would be reported as a logging error.
    chatter = logging.getLogger("mail.log")
    level = chatter.level
    chatter.setLevel(logging.WARNING)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        yield handler
    finally:
        controller.stop()
        chatter.setLevel(level)
