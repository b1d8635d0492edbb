"""A real SMTP server for the reminder tests: aiosmtpd on a free local port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.smtp import Inbox, serving


@pytest.fixture
def server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with serving(inbox) as port:
        yield inbox, port
