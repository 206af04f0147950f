"""Driving allauth's headless API the way a client does."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core import mail
from django.test import Client

PASSWORD = "calm-blue-lake-42"
CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)


def signup_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": "river@example.org",
        "username": "quiet_river",
        "password": PASSWORD,
        "accept_guidelines": True,
        "health_data_consent": True,
        "age_confirmed": True,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not ...}


def post_json(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


def code_from_last_mail(to: str) -> str:
    messages = [message for message in mail.outbox if to.lower() in (addr.lower() for addr in message.to)]
    assert messages, f"no email was sent to {to}"
    match = CODE_RE.search(str(messages[-1].body))
    assert match, f"no code in the email: {messages[-1].body!r}"
    return match.group(1)


def error_params(response: Any) -> set[str]:
    return {error.get("param") for error in response.json().get("errors", [])}
