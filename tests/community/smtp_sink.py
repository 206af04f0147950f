"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for tests that read the wire."""

from __future__ import annotations

import socket
from email import message_from_bytes
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class _Handler:
    def __init__(self, refuse: set[str]) -> None:
        self.refuse = refuse
        self.messages: list[dict[str, Any]] = []

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        self.messages.append({"to": list(envelope.rcpt_tos), "raw": raw, "message": message_from_bytes(raw)})
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    def __init__(self, refuse: set[str] | None = None) -> None:
        self.handler = _Handler(refuse or set())
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.handler.messages

    def mailer_settings(self) -> dict[str, Any]:
        return {
            "BACKEND": "config.mail.SMTPBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
        }

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
