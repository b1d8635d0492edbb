"""A real local SMTP server (aiosmtpd) for the reminder tests, and the inbox it fills."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


class Inbox:
    """An SMTP handler keeping every message, and whether it came over TLS; addresses in
    `refuse` get a 550. With `drop_after` N, the server takes N messages, then drops the
    connection when the next one's content arrives, without keeping it or answering.
    `on_data` runs as each message arrives."""

    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        self.refuse = refuse
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.over_tls: list[bool] = []  # one per message
        self.drop_after: int | None = None
        self.on_data: Callable[[], None] = lambda: None

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.drop_after is not None and len(self.messages) >= self.drop_after:
            server.transport.abort()  # the connection reset, no reply, the message not kept
            return "421 Gone"
        self.on_data()
        self.over_tls.append(server.transport.get_extra_info("ssl_object") is not None)
        self.messages.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 Message accepted"

    def by_recipient(self) -> dict[str, EmailMessage]:
        return {to: message for tos, message in self.messages for to in tos}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(inbox: Inbox, **options: Any) -> Iterator[int]:
    """The server running on a free local port (its port); `options` go to aiosmtpd's
    Controller: tls_context and require_starttls for STARTTLS, ssl_context for SSL."""
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
