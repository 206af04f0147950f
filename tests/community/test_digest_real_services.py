"""Digests on the real services: parallel batches on PostgreSQL, and a real Celery worker on Redis."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import User
from community import digests
from community.models import DeliveryStatus, DigestDelivery, Topic
from community.tasks import enqueue_digests
from tests.community.smtp_sink import SmtpSink
from tests.factories import BoardFactory, MemberFactory, make_topic
from tests.waiting import WorkerTasks


def away_members(count: int) -> list[User]:
    members = [MemberFactory.create() for _ in range(count)]
    User.objects.filter(pk__in=[m.pk for m in members]).update(date_joined=timezone.now() - timedelta(days=30))
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create(), title="Sleep routine tip")
    Topic.objects.filter(pk=topic.pk).update(created_at=timezone.now() - timedelta(hours=3))
    return members


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_with_the_same_batch_send_each_digest_once() -> None:
    members = away_members(20)
    ids = [m.pk for m in members]
    barrier = Barrier(2)

    def run() -> digests.BatchResult:
        try:
            barrier.wait()
            return digests.deliver_batch(ids, "weekly:2026-W48")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: run(), range(2)))
    sent = sorted(results[0].sent + results[1].sent)
    assert sent == sorted(ids)
    assert sorted(to for message in mail.outbox for to in message.to) == sorted(m.email for m in members)
    assert DigestDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 20


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_each_weekly_digest_exactly_once_to_smtp(real_worker: None, settings: Any) -> None:
    settings.SITE_URL = "https://support-circle.example.org"
    members = away_members(3)
    with SmtpSink() as sink, WorkerTasks() as tasks:
        settings.MAILERS = {"default": sink.mailer_settings()}
        first = enqueue_digests.delay(frequency="weekly", force=True)
        assert tasks.wait(first), "the first tick or one of its batches did not finish"
        assert len(sink.messages) == 3
        # A duplicate tick: the delivery rows keep anyone from getting a second copy. Its run and
        # every batch it sent have finished before the sink is read, so a second copy would be there.
        second = enqueue_digests.delay(frequency="weekly", force=True)
        assert tasks.wait(second), "the duplicate tick or one of its batches did not finish"
        received = sorted(to for message in sink.messages for to in message["to"])
    assert received == sorted(m.email for m in members)
    assert DigestDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 3

    message = sink.messages[0]
    headers = re.sub(rb"\r?\n[ \t]+", b" ", message["raw"].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0])
    assert b"Subject: Your weekly Support Circle summary" in headers
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in headers
    match = re.search(rb"List-Unsubscribe: <https://support-circle\.example\.org(/digest/unsubscribe/[^/]+/)>", headers)
    assert match, headers
    assert b"=?" not in headers
    # The link in the header works: one POST and the member's digests are off.
    assert Client().post(match.group(1).decode()).status_code == 200
    assert User.objects.filter(profile__digest_frequency="off").count() == 1
    assert message["message"].get_content_type() == "multipart/alternative"
