"""Moderation background jobs: short, named, idempotent."""

from __future__ import annotations

import logging
from collections import Counter
from smtplib import SMTPException

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from accounts.models import User
from moderation import alerts
from moderation.alerts import send_alert_email
from moderation.models import QueueItem
from moderation.services import (
    items_needing_reminder,
    mark_reminded,
    moderator_emails,
    queue_link,
    recompute_trust_level,
)

logger = logging.getLogger(__name__)


@shared_task(name="moderation.remind_moderators")
def remind_moderators() -> int:
    """E-mail moderators about urgent items unclaimed for 30 minutes and high ones for 24 hours.

    Each item is reminded at most once an hour, guarded in the database, so
    overlapping or repeated runs never send the same reminder twice.
    Returns how many items were in the reminder.
    """
    now = timezone.now()
    stamped = mark_reminded(items_needing_reminder(now), now)
    if not stamped:
        return 0
    counts = Counter(QueueItem.objects.filter(pk__in=stamped).values_list("priority", flat=True))
    lines = [f"- {counts[p]} {p}" for p in ("urgent", "high") if counts[p]]
    recipients = moderator_emails()
    if recipients:
        # No post text, titles or names: the email says only that items wait.
        send_mail(
            subject="Support Circle: items waiting in the moderation queue",
            message="These queue items have waited longer than their target time:\n"
            + "\n".join(lines)
            + f"\n\nOpen the queue: {queue_link()}\n",
            from_email=None,
            recipient_list=recipients,
        )
    logger.info("reminded moderators about %d queue items", len(stamped))
    return len(stamped)


@shared_task(
    name="moderation.email_urgent_alert",
    autoretry_for=(OSError, SMTPException),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=8,
)
def email_urgent_alert(item_id: int) -> int:
    """One email per urgent item to the moderators of its board; see :mod:`moderation.alerts`."""
    return send_alert_email(item_id)


@shared_task(name="moderation.send_missed_alert_emails")
def send_missed_alert_emails() -> int:
    """Every minute: urgent-alert emails whose task was lost with the broker go out now, once."""
    return alerts.send_missed_alert_emails()


@shared_task(name="moderation.alert_admins_about_escalation")
def alert_admins_about_escalation(item_id: int) -> bool:
    admins = list(
        User.objects.filter(is_superuser=True, is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if not admins or not QueueItem.objects.filter(pk=item_id, escalated=True).exists():
        return False
    send_mail(
        subject="Support Circle: a moderation item was escalated to admins",
        message=f"Queue item {item_id} was escalated and needs an admin.\n\nOpen the queue: {queue_link()}\n",
        from_email=None,
        recipient_list=admins,
    )
    return True


@shared_task(name="moderation.recompute_trust_levels")
def recompute_trust_levels(batch_size: int = 500) -> int:
    """Recompute every active member's trust level; one member's failure does not stop the run."""
    changed = 0
    ids = User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    for user in User.objects.filter(pk__in=ids).iterator(chunk_size=batch_size):
        try:
            changed += recompute_trust_level(user=user)
        except Exception:
            logger.exception("trust level recompute failed for member %s", user.pk)
    return changed
