"""The mail server away while digests go out: batches wait and retry, and every member gets exactly one
digest once it is back. A real Celery worker on Redis; the SMTP server is the test's own."""

from __future__ import annotations

from typing import Any

import pytest

from community.models import DeliveryStatus, DigestDelivery
from community.tasks import enqueue_digests
from tests.community.smtp_sink import SmtpSink
from tests.community.test_digest_real_services import away_members
from tests.waiting import WorkerTasks, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_digests_wait_for_the_mail_server_and_arrive_once(real_worker: None, settings: Any) -> None:
    settings.DIGEST_RETRY_BASE_SECONDS = 1
    members = away_members(30)
    sink = SmtpSink()  # its port is chosen but closed: the mail server is away
    settings.MAILERS = {"default": sink.mailer_settings()}

    with WorkerTasks() as tasks:
        tick = enqueue_digests.delay(frequency="weekly", force=True)
        # Every batch tried once, found no mail server, and put its members back to pending.
        tried = DigestDelivery.objects.filter(status=DeliveryStatus.PENDING, attempts__gte=1)
        assert wait_for(lambda: tried.count() == len(members), 30), list(DigestDelivery.objects.values("status", "attempts"))
        assert not DigestDelivery.objects.exclude(status=DeliveryStatus.PENDING).exists()

        with sink:  # the mail server is back
            assert wait_for(lambda: DigestDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 30, 60)
            assert tasks.wait(tick, seconds=60), "the tick or a retried batch did not finish"
            received = sorted(to for message in sink.messages for to in message["to"])

    assert received == sorted(m.email for m in members)  # each once: none lost, none twice
    assert not DigestDelivery.objects.exclude(status=DeliveryStatus.SENT).exists()
