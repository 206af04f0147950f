"""A real browser against a live server: Playwright driving the machine's own Chromium, headless.

Tests marked ``browser`` need Chromium (Debian's ``chromium`` package, or ``CHROMIUM_PATH``); nothing is
downloaded. Without it they are skipped with the reason, and under ``CI=true`` they fail instead, as the
``postgres`` and ``redis`` markers do (tests/conftest.py).

The site runs in pytest-django's live server (a thread of the test process, on a free port, against the
test database of this process: each pytest-xdist worker has its own). Mail goes to a real SMTP server on
a free port (tests/community/smtp_sink.py), where tests read what a member would receive.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.browsing import Browsing
from tests.community.smtp_sink import SmtpSink
from tests.conftest import chromium_path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module (starting Playwright and Chromium takes a second or two)."""
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio event loop running in this thread while it is started, and
        # Django then refuses the ORM here (SynchronousOnlyOperation), although nothing of ours is async: the
        # test's own queries run between browser steps, never inside the loop. Allowed for the browser's
        # lifetime only, so the rest of the suite in this process keeps the check.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            # Playwright passes --no-sandbox itself (its chromium_sandbox defaults to off), so this runs as root.
            chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
            yield chromium
            chromium.close()


@pytest.fixture
def browsing(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[Browsing]:
    session = Browsing(browser, live_server.url)
    try:
        yield session
    finally:
        session.close()
    session.problems.check()


@pytest.fixture
def mailbox(settings: Any) -> Iterator[SmtpSink]:
    """The live server's mail goes to a real SMTP server of this test's own."""
    with SmtpSink() as sink:
        settings.MAILERS = {"default": sink.mailer_settings()}
        yield sink
