"""Retention: what is purged, and when (README, "Data rights"). Run as the beat tasks run them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import User
from community.models import DeliveryStatus, DigestDelivery, DigestTally, Notification
from config.celery import app
from privacy import tasks
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_runs_every_retention_task() -> None:
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    retention = {
        "privacy.clear_expired_sessions",
        "privacy.fold_old_digest_deliveries",
        "privacy.purge_old_notifications",
        "community.purge_idempotency_keys",
    }
    assert retention <= scheduled
    app.loader.import_default_modules()
    assert retention <= set(app.tasks)


def test_expired_sessions_are_cleared_and_live_ones_kept(member: User) -> None:
    live, expired = SessionStore(), SessionStore()
    for store in (live, expired):
        store["_auth_user_id"] = str(member.pk)
        store.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))

    tasks.clear_expired_sessions.delay()

    assert set(Session.objects.values_list("session_key", flat=True)) == {live.session_key}


def test_deliveries_older_than_90_days_become_counts(member: User) -> None:
    other = MemberFactory.create()
    now = timezone.now()
    old = [
        DigestDelivery(user=member, period="weekly:2026-W01", status=DeliveryStatus.SENT),
        DigestDelivery(user=member, period="weekly:2026-W02", status=DeliveryStatus.SKIPPED),
        DigestDelivery(user=other, period="daily:2026-01-05", status=DeliveryStatus.FAILED),
    ]
    DigestDelivery.objects.bulk_create(old)
    DigestDelivery.objects.update(created_at=now - timedelta(days=91))
    recent = DigestDelivery.objects.create(user=member, period="weekly:2026-W47", status=DeliveryStatus.SENT)
    DigestTally.objects.create(period="weekly:2026-W01", status=DeliveryStatus.SENT, count=41)

    assert tasks.fold_old_digest_deliveries.delay().get() == 3

    assert list(DigestDelivery.objects.values_list("pk", flat=True)) == [recent.pk]
    tallies = {(t.period, t.status): t.count for t in DigestTally.objects.all()}
    assert tallies == {
        ("weekly:2026-W01", "sent"): 42,
        ("weekly:2026-W02", "skipped"): 1,
        ("daily:2026-01-05", "failed"): 1,
    }
    assert tasks.fold_old_digest_deliveries.delay().get() == 0  # nothing counted twice


def test_notifications_older_than_a_year_are_deleted(member: User) -> None:
    old = Notification.objects.create(recipient=member, kind="reply", message="Someone replied.")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=366))
    kept = Notification.objects.create(recipient=member, kind="reply", message="Someone replied again.")

    assert tasks.purge_old_notifications.delay().get() == 1

    assert list(Notification.objects.values_list("pk", flat=True)) == [kept.pk]
