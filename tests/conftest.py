"""Shared fixtures, and the rule for tests that need a real service.

A test marked ``postgres`` or ``redis`` runs only when that service is
configured and answering, and one marked ``browser`` only when Chromium is
installed. Without it the test is skipped with the reason; under ``CI=true``
a missing service fails the test instead, so CI can never pass by skipping
the real-service tests.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from functools import cache as memoize
from typing import Any

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from config.celery import app
from tests.factories import MemberFactory, ModeratorFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@memoize
def redis_problem() -> str | None:
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return f"Redis at REDIS_URL does not answer ({type(exc).__name__})"
    return None


def postgres_problem() -> str | None:
    if connection.vendor != "postgresql":
        return f"needs PostgreSQL; DATABASE_URL points at {connection.vendor}"
    return None


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def chromium_problem() -> str | None:
    path = chromium_path()
    if path is None:
        return "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)"
    if not os.access(path, os.X_OK):
        return f"Chromium at {path} is not executable"
    return None


def pytest_configure(config: pytest.Config) -> None:
    # Under pytest-xdist the test settings move each worker onto Redis databases of its own: a subprocess a
    # test starts with this environment (a worker, gunicorn, manage.py) must use the same ones.
    if settings.REDIS_URL:
        os.environ["REDIS_URL"] = settings.REDIS_URL


@pytest.hookimpl(tryfirst=True)  # before xdist files each test under its group (--dist loadgroup)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Fault tests start PostgreSQL clusters, Redis servers and gunicorn on spare ports and stop them on
    # purpose: they run one after another on one worker, never two at once.
    faults = [item for item in items if item.get_closest_marker("faults") is not None]
    for item in faults:
        item.add_marker(pytest.mark.xdist_group("faults"))
    if os.environ.get("PYTEST_XDIST_WORKER") and faults:
        # Together they are the longest unit of work (minutes): handed out first, the other workers share
        # the rest meanwhile instead of waiting for them at the end.
        items[:] = faults + [item for item in items if item.get_closest_marker("faults") is None]


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, problem in (("postgres", postgres_problem), ("redis", redis_problem), ("browser", chromium_problem)):
        if item.get_closest_marker(marker) is None:
            continue
        reason = problem()
        if reason is None:
            continue
        if IN_CI:
            pytest.fail(f"CI requires {marker}: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Throttles and allauth's rate limits live in the cache: start each test clean.
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def member(db: None) -> User:
    return MemberFactory.create()


@pytest.fixture
def moderator(db: None) -> User:
    return ModeratorFactory.create()


@pytest.fixture
def member_api(member: User) -> APIClient:
    client = APIClient()
    client.force_login(member)
    return client


@pytest.fixture
def moderator_api(moderator: User) -> APIClient:
    client = APIClient()
    client.force_login(moderator)
    return client


@pytest.fixture
def real_worker(settings: Any) -> Iterator[None]:
    """A Celery worker thread consuming a private queue on the Redis broker."""
    queue = f"test-tasks-{uuid.uuid4().hex[:8]}"
    saved = {
        "task_always_eager": app.conf.task_always_eager,
        "task_default_queue": app.conf.task_default_queue,
    }
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, queues=[queue]):
            yield
    finally:
        app.conf.update(saved)
