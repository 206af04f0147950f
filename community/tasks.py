"""Community background jobs: short, named, idempotent."""

import logging
import smtplib

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from community import digests
from community.idempotency import purge_expired

logger = logging.getLogger(__name__)


@shared_task(name="community.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    """Forget stored answers to create requests older than 24 hours."""
    deleted = purge_expired()
    logger.info("purged %d expired idempotency records", deleted)
    return deleted


@shared_task(name="community.enqueue_digests")
def enqueue_digests(frequency: str | None = None, force: bool = False) -> int:
    """Hourly: find members whose digest is due and fan out batches of about 100 ids. Returns how many."""
    due = digests.due_members(timezone.now(), frequency=frequency, force=force)
    total = 0
    for period, user_ids in due.items():
        for batch in digests.batches(user_ids):
            send_digest_batch.delay(batch, period)
            total += len(batch)
    logger.info("digests due: %d members in %d periods", total, len(due))
    return total


@shared_task(
    name="community.send_digest_batch",
    bind=True,
    acks_late=True,
    max_retries=digests.MAX_ATTEMPTS - 1,
)
def send_digest_batch(self: Task, user_ids: list[int], period: str) -> dict[str, int]:
    """Send one batch. Safe to run twice or in parallel: delivery rows decide who is sent."""
    try:
        result = digests.deliver_batch(user_ids, period)
    except (smtplib.SMTPException, OSError) as exc:
        # The mail server was unreachable; the rows are pending again. Retry the whole batch with backoff.
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    if result.retry:
        # Only the members whose mail server refused are retried, with backoff.
        countdown = _backoff(self.request.retries)
        send_digest_batch.apply_async(args=(result.retry, period), countdown=countdown)
    return {
        "sent": len(result.sent),
        "skipped": len(result.skipped),
        "retry": len(result.retry),
        "failed": len(result.failed),
    }


def _backoff(retries: int) -> int:
    """Seconds before the next attempt: the base (60 s unless settings say otherwise), doubling, at most 15 min."""
    return int(min(900, settings.DIGEST_RETRY_BASE_SECONDS * 2**retries))


@shared_task(name="community.reconcile_digests")
def reconcile_digests() -> int:
    """Every 15 minutes: rows a crash left in "sending" become failed (never resent); rows left in
    "pending" with no batch coming are queued again. Returns how many rows it dealt with."""
    now = timezone.now()
    failed = digests.reconcile_stale(now)
    requeued = 0
    for period, user_ids in digests.stale_pending(now).items():
        for batch in digests.batches(user_ids):
            send_digest_batch.delay(batch, period)
            requeued += len(batch)
    if requeued:
        logger.warning("queued %d stale pending digest deliveries again", requeued)
    return failed + requeued
