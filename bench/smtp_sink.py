"""A counting SMTP sink on 127.0.0.1 for the digest benchmark: accepts every message, keeps none.

Run: ``python bench/smtp_sink.py PORT COUNT_FILE``. Every second it writes the
number of messages received so far to COUNT_FILE; it stops on SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class Counter:
    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.messages += 1
        self.bytes += len(envelope.original_content or b"")
        return "250 OK"


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
            count_file.write_text(f"{counter.messages} {counter.bytes}\n")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1)
        count_file.write_text(f"{counter.messages} {counter.bytes}\n")

    try:
        asyncio.run(report())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
