"""Browsing the live server as several people at once, and reading what the site emailed them.

Every page opened is watched: a Content-Security-Policy violation or an uncaught script error on any of them
fails the test (``Browsing.problems``, checked by the ``browsing`` fixture when the test ends).
"""

from __future__ import annotations

import re
from email.message import Message
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from accounts.models import User
from community.models import Board
from tests.community.smtp_sink import SmtpSink

PHONE_WIDTH = 375
DESKTOP_WIDTH = 1280


class PageProblems:
    """What the browser reported on every page of a context: CSP violations and uncaught script errors."""

    def __init__(self) -> None:
        self.csp: list[str] = []
        self.errors: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp.append(f"{message.location.get('url', '')}: {message.text}")

    def check(self) -> None:
        assert self.csp == [], "Content-Security-Policy violations:\n" + "\n".join(self.csp)
        assert self.errors == [], "uncaught script errors:\n" + "\n".join(self.errors)


class Browsing:
    """Opens browser contexts (one per person, or per JavaScript setting) on the live server."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.problems = PageProblems()
        self.contexts: list[BrowserContext] = []

    def new_page(self, *, user: User | None = None, javascript: bool = True, width: int = DESKTOP_WIDTH) -> Page:
        context = self.browser.new_context(
            base_url=self.base_url,
            java_script_enabled=javascript,
            viewport={"width": width, "height": 900},
            locale="en-GB",
            timezone_id="UTC",
        )
        context.set_default_timeout(10_000)
        context.on("page", self.problems.watch)
        if user is not None:
            context.add_cookies([self._session_cookie(user)])
        self.contexts.append(context)
        return context.new_page()

    def _session_cookie(self, user: User) -> Any:
        """Signed in without the login form, as Django's test client's force_login does."""
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        return {"name": "sessionid", "value": session.session_key, "url": self.base_url}

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def post_topic(page: Page, board: Board, *, title: str, body: str, kind: str = "Experience") -> None:
    """Start a topic from the board's page, as a member would."""
    page.goto(f"/boards/{board.slug}/")
    page.get_by_role("link", name="Start a topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Start a topic in {board.name}")
    page.get_by_label("Title").fill(title)
    page.get_by_label(kind).check()
    page.get_by_label("Your post").fill(body)
    page.get_by_role("button", name="Post topic").click()


def message_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("the message has no text/plain part")


def verification_code(sink: SmtpSink, address: str) -> str:
    """The code in the last verification email sent to ``address``."""
    sent = [m for m in sink.messages if address in m["to"]]
    assert sent, f"no email reached {address}; the sink holds {[m['to'] for m in sink.messages]}"
    text = message_text(sent[-1]["message"])
    # allauth's codes are a line of their own, in capitals and digits (e.g. HKLD-MQGB).
    codes = re.findall(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]{4,})*)\s*$", text, flags=re.MULTILINE)
    assert len(codes) == 1, f"expected one code in the email, got {codes}:\n{text}"
    return codes[0]
