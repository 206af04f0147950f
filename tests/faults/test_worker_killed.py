"""A Celery worker SIGKILLed three times while 2,000 digests go out: every member ends with exactly one
email or a failed row — none twice, none silently lost — counted at the SMTP server.

The worker runs in its own process group on a Redis server of the test's own; the kill points are
random (the seed is printed). After the last restart the workers drain what Redis redelivers, then the
reconcile task does what its schedule would do later: rows a killed worker left in "sending" become
failed (whether their message went out is unknown, so they are never resent) and rows left "pending"
with no batch coming are queued again.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.consent import CURRENT_VERSIONS
from accounts.models import ConsentRecord, Profile, User
from community import digests
from community.models import DeliveryStatus, DigestDelivery, Topic
from community.tasks import send_digest_batch
from config.celery import app
from tests.community.smtp_sink import SmtpSink
from tests.factories import BoardFactory, MemberFactory, make_topic
from tests.faults.services import ROOT, project_env, redis_server, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MEMBERS = 2000
KILLS = 3


def many_members(count: int) -> list[User]:
    """Members as signup leaves them, in bulk: verified address, profile (weekly digests), consents."""
    joined = timezone.now() - timedelta(days=30)
    users = User.objects.bulk_create(
        User(username=f"reader_{n:05d}", email=f"reader_{n:05d}@example.org", password="!", date_joined=joined)
        for n in range(count)
    )
    Profile.objects.bulk_create(Profile(user=user) for user in users)
    now = timezone.now()
    ConsentRecord.objects.bulk_create(
        ConsentRecord(user=user, kind=kind, version=version, given_at=now)
        for user in users
        for kind, version in CURRENT_VERSIONS.items()
    )
    return users


def recent_topic() -> None:
    """Something new to read, so every member's digest has content."""
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create(), title="Sleep routine tip")
    Topic.objects.filter(pk=topic.pk).update(created_at=timezone.now() - timedelta(hours=3))


class Worker:
    """``celery worker`` in a process group of its own, so a SIGKILL takes its pool with it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork", "--concurrency", "2",
             "--loglevel", "ERROR", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # a warm shutdown: the pool finishes what it holds
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def queue(broker_url: str, members_by_period: dict[str, list[int]]) -> None:
    """Send digest batches to the test's own Redis, as enqueue_digests and reconcile_digests do (never run
    them in this process, whatever the test settings say)."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with app.connection_for_write(broker_url) as broker:
            for period, user_ids in members_by_period.items():
                for batch in digests.batches(user_ids):
                    send_digest_batch.apply_async((batch, period), connection=broker)  # type: ignore[call-arg]
    finally:
        app.conf.task_always_eager = eager


def arrived(sink: SmtpSink, count: int) -> Callable[[], bool]:
    return lambda: len(sink.messages) >= count


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as server:
        yield server


def test_a_worker_killed_three_times_sends_each_digest_once_or_records_a_failure(sink: SmtpSink) -> None:
    members = many_members(MEMBERS)
    recent_topic()
    seed = random.randrange(1_000_000)
    print(f"kill points seed: {seed}")
    # Each kill comes after 100 to 400 more digests arrived since the worker (re)started: a killed worker's
    # batches stay with it, so points fixed in advance could ask for more digests than can still arrive.
    rng = random.Random(seed)
    kill_after = [rng.randint(100, 400) for _ in range(KILLS)]

    db = connection.settings_dict
    with redis_server() as redis:
        env = project_env(
            DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            REDIS_URL=redis.url,
            SMTP_URL=f"smtp://127.0.0.1:{sink.port}",
            # Redis gives a dead worker's unacknowledged batches to the next worker after this long.
            CELERY_VISIBILITY_TIMEOUT="5",
        )
        worker = Worker(env)
        try:
            queue(redis.url, digests.due_members(timezone.now(), frequency="weekly", force=True))
            worker.start()
            kill_at = []
            for more in kill_after:
                kill_at.append(len(sink.messages) + more)
                wait_until(arrived(sink, kill_at[-1]), 120, f"{kill_at[-1]} digests to arrive")
                worker.kill()
                worker.start()

            rows = DigestDelivery.objects.filter(user__in=members)

            seen: list[tuple[int, int]] = []

            def settled() -> bool:
                # Every member has a row, none waits in "pending", and nothing has moved for 3 seconds: the
                # rows left in "sending" are the ones killed workers held, not ones a live worker is sending.
                seen.append((rows.filter(status=DeliveryStatus.SENDING).count(), len(sink.messages)))
                complete = rows.count() == MEMBERS and not rows.filter(status=DeliveryStatus.PENDING).exists()
                return complete and len(seen) > 30 and len(set(seen[-30:])) == 1

            wait_until(settled, 180, "the restarted worker to work through the redelivered batches")
            later = timezone.now() + timedelta(minutes=31)  # what the 15-minute reconcile would see by then
            digests.reconcile_stale(later)
            queue(redis.url, digests.stale_pending(later))
            wait_until(lambda: not rows.filter(status__in=["pending", "sending"]).exists(), 60, "every row to settle")
            time.sleep(0.5)  # a message the sink is still receiving is not lost from the count below
        finally:
            worker.stop()

    received = Counter(to for message in sink.messages for to in message["to"])
    status_of = dict(rows.values_list("user__email", "status"))
    emails = {member.email for member in members}
    assert not {to for to, times in received.items() if times > 1}, "a digest arrived twice"
    assert set(status_of) >= emails, "a member has no delivery row"
    assert {status_of[email] for email in emails} <= {DeliveryStatus.SENT, DeliveryStatus.FAILED}
    sent = {email for email in emails if status_of[email] == DeliveryStatus.SENT}
    assert all(received[email] == 1 for email in sent), "recorded as sent, never received"
    silent = {email for email in emails if received[email] == 0 and status_of[email] != DeliveryStatus.FAILED}
    assert not silent, "neither an email nor a failed row"
    failed = len(emails) - len(sent)
    # The kills interrupt at most the batches in flight: two of 100 members each time.
    assert failed <= KILLS * 2 * digests.BATCH_SIZE
    print(f"{len(sent)} sent, {failed} failed, {sum(received.values())} emails, kills after {kill_at}")
