"""A counting SMTP sink on 127.0.0.1 for the digest benchmark: accepts every message, keeps none.

Run: ``python bench/smtp_sink.py PORT COUNT_FILE``. Every second it writes what it has received so far
to COUNT_FILE as JSON; it stops on SIGTERM.

It also checks what arrives, so a faster digest cannot be a broken one: every message must name its
envelope recipient in ``To`` and carry a Message-ID no other message had and a one-click unsubscribe
header; one message in :data:`FULL_CHECK_EVERY` is parsed whole and must hold a text and an HTML part
that greet the member and link the unsubscribe address of its own header. ``problems`` counts failures
(the first few are kept in ``examples``).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import json
import re
import signal
import sys
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

FULL_CHECK_EVERY = 500
HEADER = re.compile(rb"^(To|Message-ID|List-Unsubscribe): *(.*)$", re.MULTILINE | re.IGNORECASE)


class Counter:
    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0
        self.message_ids: set[bytes] = set()
        self.full_checks = 0
        self.problems = 0
        self.examples: list[str] = []

    def problem(self, text: str) -> None:
        self.problems += 1
        if len(self.examples) < 5:
            self.examples.append(text)

    def check(self, raw: bytes, recipients: list[str]) -> None:
        head = raw.split(b"\r\n\r\n", 1)[0]
        headers = {name.lower(): value.strip() for name, value in HEADER.findall(head)}
        if [headers.get(b"to", b"").decode()] != recipients:
            self.problem(f"To {headers.get(b'to')!r} is not the envelope's {recipients}")
        message_id = headers.get(b"message-id", b"")
        if not message_id or message_id in self.message_ids:
            self.problem(f"missing or repeated Message-ID {message_id!r}")
        self.message_ids.add(message_id)
        unsubscribe = headers.get(b"list-unsubscribe", b"")
        if not unsubscribe.startswith(b"<https://"):
            self.problem(f"List-Unsubscribe {unsubscribe!r}")
        if self.messages % FULL_CHECK_EVERY == 1:
            self.full_checks += 1
            self.check_whole(raw, recipients[0], unsubscribe.decode().strip("<>"))

    def check_whole(self, raw: bytes, recipient: str, unsubscribe: str) -> None:
        message = message_from_bytes(raw, policy=email.policy.default)
        username = recipient.split("@", 1)[0]
        for subtype in ("plain", "html"):
            part = message.get_body((subtype,))
            content = part.get_content() if part is not None else ""
            if f"Hello {username}," not in content or unsubscribe not in content:
                self.problem(f"the {subtype} part of the message to {recipient} lacks its greeting or link")

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        self.messages += 1
        self.bytes += len(raw)
        self.check(raw, list(envelope.rcpt_tos))
        return "250 OK"

    def report(self) -> str:
        return json.dumps(
            {
                "messages": self.messages,
                "bytes": self.bytes,
                "full_checks": self.full_checks,
                "problems": self.problems,
                "examples": self.examples,
            }
        )


def main() -> None:
    port, count_file = int(sys.argv[1]), Path(sys.argv[2])
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    stop = asyncio.Event()

    async def report() -> None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
        while not stop.is_set():
            count_file.write_text(counter.report())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1)
        count_file.write_text(counter.report())

    try:
        asyncio.run(report())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
