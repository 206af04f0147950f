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
        # The batch tried, found no mail server, and put every member back to pending for a retry.
        rows = DigestDelivery.objects.all()

        def all_waiting() -> bool:
            return rows.count() > len(members) - 1 and not rows.exclude(status="pending", attempts__gte=1).exists()

        assert wait_for(all_waiting, 30), list(rows.values("status", "attempts"))

        with sink:  # the mail server is back
            assert wait_for(lambda: not rows.filter(status__in=["pending", "sending"]).exists(), 60)
            assert tasks.wait(tick, seconds=60), "the tick or a retried batch did not finish"
            received = sorted(to for message in sink.messages for to in message["to"])

    assert received == sorted(m.email for m in members)  # each once: none lost, none twice
    sent = set(rows.filter(status=DeliveryStatus.SENT).values_list("user_id", flat=True))
    assert sent == {m.pk for m in members}
    # The topic's author had nothing new to read: skipped, not failed.
    assert not rows.exclude(status__in=[DeliveryStatus.SENT, DeliveryStatus.SKIPPED]).exists()
