"""The Celery app reads its configuration from Django settings."""

from __future__ import annotations

from django.conf import settings

from config.celery import app


def test_celery_is_configured_for_safe_delivery() -> None:
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_url == (settings.REDIS_URL or "memory://")


def test_tasks_run_eagerly_only_without_redis() -> None:
    from config.settings import base

    assert base.CELERY_TASK_ALWAYS_EAGER is (not base.REDIS_URL)
