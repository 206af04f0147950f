"""Data-rights jobs: the erasure confirmation and the retention schedule (see ``privacy.retention``)."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from privacy import retention

logger = logging.getLogger(__name__)

# No health words: the subject is what a shared inbox or a lock screen shows.
ERASURE_SUBJECT = "Your Support Circle account was closed"


@shared_task(
    name="privacy.send_erasure_confirmation",
    autoretry_for=(OSError, SMTPException),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=8,
)
def send_erasure_confirmation(email: str, *, reason: str, content: str) -> None:
    """Tell the address the account is gone. The address lives only in this task's message."""
    body = render_to_string(
        "privacy/erased.txt",
        {"reason": reason, "content": content, "site_name": settings.SITE_NAME, "when": timezone.now()},
    )
    send_mail(subject=ERASURE_SUBJECT, message=body, from_email=None, recipient_list=[email])
    logger.info("erasure confirmation sent")


@shared_task(name="privacy.clear_expired_sessions")
def clear_expired_sessions() -> None:
    retention.clear_expired_sessions()


@shared_task(name="privacy.fold_old_digest_deliveries")
def fold_old_digest_deliveries() -> int:
    folded = retention.fold_old_deliveries(timezone.now())
    logger.info("folded %d digest deliveries older than 90 days into counts", folded)
    return folded


@shared_task(name="privacy.purge_old_notifications")
def purge_old_notifications() -> int:
    deleted = retention.purge_old_notifications(timezone.now())
    logger.info("deleted %d notifications older than a year", deleted)
    return deleted
