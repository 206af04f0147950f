"""Redis restarted with tasks still queued: with its append-only file (as docker-compose.yml runs it), the
queued digest batches are delivered once it is back, each digest once. A Redis of the test's own."""

from __future__ import annotations

from collections import Counter

import pytest
import redis as redis_client
from django.db import connection
from django.utils import timezone

from community import digests
from community.models import DeliveryStatus, DigestDelivery
from tests.community.smtp_sink import SmtpSink
from tests.faults.services import project_env, redis_server, wait_until
from tests.faults.test_worker_killed import Worker, arrived, many_members, queue, recent_topic

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def queued(url: str) -> int:
    """Messages waiting in Celery's default queue."""
    return int(redis_client.Redis.from_url(url).llen("celery"))


def test_tasks_queued_before_a_redis_restart_are_delivered_after_it() -> None:
    members = many_members(150)
    recent_topic()
    db = connection.settings_dict
    with SmtpSink() as sink, redis_server(persistent=True) as redis:
        # Queued while no worker runs: the batches wait in Redis.
        queue(redis.url, digests.due_members(timezone.now(), frequency="weekly", force=True))
        assert queued(redis.url) == 2
        redis.stop()
        redis.start()
        assert queued(redis.url) == 2
        env = project_env(
            DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            REDIS_URL=redis.url,
            SMTP_URL=f"smtp://127.0.0.1:{sink.port}",
        )
        worker = Worker(env)
        worker.start()
        try:
            wait_until(arrived(sink, len(members)), 60, "the queued digests to arrive")
        finally:
            worker.stop()
    received = Counter(to for message in sink.messages for to in message["to"])
    assert received == Counter(member.email for member in members)  # each once
    sent = DigestDelivery.objects.filter(user__in=members, status=DeliveryStatus.SENT)
    assert sent.count() == len(members)
