"""What erasing a member means for moderation records (called by ``privacy.services`` only).

Flags they filed concern others' posts and stay, without the reporter. Their appeal
statements are their words and go. With ``remove`` their posts are gone, so the open
reviews of those posts are closed, and the screening details (words quoted from the
post) are dropped from every item about them. Their sanctions go with the account;
the audit log keeps what moderators did, under ids only.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from moderation.models import Decision, Flag, ItemKind, ItemStatus, QueueItem


def forget_member(*, actor: User | None, member: User, remove: bool) -> dict[str, int]:
    """Needs the member's row locked and must run before their posts lose their author. Returns counts."""
    items: QuerySet[QueueItem] = QueueItem.objects.filter(post__author=member)
    counts = {
        "flags_kept_without_reporter": Flag.objects.filter(reporter=member).update(reporter=None),
        "appeal_statements_wiped": items.filter(kind=ItemKind.APPEAL)
        .exclude(appeal_statement="")
        .update(appeal_statement=""),
        "queue_items_closed": 0,
    }
    if not remove:
        return counts
    now = timezone.now()
    moderator = actor if actor is not None and actor.pk != member.pk else None
    counts["queue_items_closed"] = items.filter(status=ItemStatus.OPEN).update(
        status=ItemStatus.RESOLVED,
        decision=Decision.ERASE_ACCOUNT,
        resolved_by=moderator,
        resolved_at=now,
        claimed_by=None,
        claimed_until=None,
    )
    stripped = []
    for item in items.only("pk", "reasons"):
        reasons = [{**reason, "detail": ""} for reason in item.reasons]
        if reasons != item.reasons:
            item.reasons = reasons
            stripped.append(item)
    QueueItem.objects.bulk_update(stripped, ["reasons"], batch_size=500)
    return counts
