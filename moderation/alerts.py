"""Telling moderators at once when a member may be in crisis.

When a queue item first becomes urgent, every moderator whose scope covers
its board gets an in-app notification in the same transaction, and one email
per item goes out through Celery after the commit. Both are guarded in the
database (``QueueItem.alerted_at`` under the item's row lock, and a guarded
update of ``alert_emailed_at`` in the task), so a repeated screening, a flag
on the same post or a redelivered task never alerts twice.

Neither says anything about the post: no text, no title, no board, no
pseudonym, no health words; only that an urgent item waits and a link to it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from community.models import Notification, NotificationKind
from community.permissions import moderators_of_board
from moderation.models import Priority, QueueItem

ALERT_SUBJECT = "Support Circle: an item in the moderation queue needs you now"
ALERT_MESSAGE = "An urgent item is waiting in the moderation queue."


def item_link(item_id: int) -> str:
    """The item's page for moderators (the pages live at the site's root; see web/moderation_urls.py)."""
    return f"{settings.SITE_URL}{reverse('web:mod-item', args=[item_id])}"


def alert_if_urgent(item: QueueItem, now: datetime | None = None) -> bool:
    """Call with the item locked (``select_for_update``) and saved. Returns whether this call alerted."""
    if item.priority != Priority.URGENT or item.alerted_at is not None:
        return False
    now = now or timezone.now()
    if not QueueItem.objects.filter(pk=item.pk, alerted_at__isnull=True).update(alerted_at=now):
        return False
    item.alerted_at = now
    Notification.objects.bulk_create(
        Notification(
            recipient_id=moderator_id,
            kind=NotificationKind.URGENT_REVIEW,
            message=ALERT_MESSAGE,
            data={"queue_item": item.pk},
        )
        for moderator_id in moderators_of_board(item.board_id).values_list("pk", flat=True)
    )
    from moderation.tasks import email_urgent_alert  # the task module imports the services

    # Robust: with the broker away the member's post still stands (no 500 after the commit); the email is
    # then sent by the sweep (send_missed_alert_emails) once the broker and beat are back.
    transaction.on_commit(partial(email_urgent_alert.delay, item.pk), robust=True)
    return True


def send_missed_alert_emails(now: datetime | None = None) -> int:
    """Send the alert emails whose task never ran (the broker was away when the item became urgent).
    Each is guarded like the task's own (``send_alert_email``). Returns how many messages went out."""
    now = now or timezone.now()
    # Not sent this long after the alert: taken as lost with the broker.
    grace = timedelta(seconds=settings.ALERT_EMAIL_GRACE_SECONDS)
    missed = QueueItem.objects.filter(alerted_at__lt=now - grace, alert_emailed_at__isnull=True).values_list(
        "pk", flat=True
    )
    return sum(send_alert_email(item_id) for item_id in missed[:100])


def alert_recipients(item: QueueItem) -> list[str]:
    """Moderators of the item's board with an email address who have not turned the email off."""
    return list(
        moderators_of_board(item.board_id)
        .exclude(email="")
        .filter(Q(profile__isnull=True) | Q(profile__urgent_alert_email=True))
        .order_by("pk")
        .values_list("email", flat=True)
    )


def send_alert_email(item_id: int) -> int:
    """Email the item's moderators once. Returns how many messages were sent (0 when already sent)."""
    item = QueueItem.objects.filter(pk=item_id).first()
    if item is None:
        return 0
    if not QueueItem.objects.filter(pk=item_id, alert_emailed_at__isnull=True).update(alert_emailed_at=timezone.now()):
        return 0  # another delivery of this task got here first
    recipients = alert_recipients(item)
    body = (
        f"{ALERT_MESSAGE}\n\nOpen it: {item_link(item_id)}\n\n"
        "You receive this because you moderate Support Circle. To stop these emails, turn off "
        "urgent alerts in your preferences; the in-app notice still comes.\n"
    )
    messages = [EmailMessage(ALERT_SUBJECT, body, None, [address]) for address in recipients]
    try:
        # One message per moderator, so no one sees another moderator's address.
        sent = mailers.default.send_messages(messages) or 0
    except Exception:
        QueueItem.objects.filter(pk=item_id).update(alert_emailed_at=None)  # let the retry send it
        raise
    return sent
