"""Waiting for something to happen, with a deadline: never a bare sleep."""

from __future__ import annotations

import time
from typing import Any


def wait_for(condition: Any, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()
