"""Community background jobs: short, named, idempotent."""

import logging

from celery import shared_task

from community.idempotency import purge_expired

logger = logging.getLogger(__name__)


@shared_task(name="community.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    """Forget stored answers to create requests older than 24 hours."""
    deleted = purge_expired()
    logger.info("purged %d expired idempotency records", deleted)
    return deleted
