"""Writing the audit log. Call inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from community.models import Post, Topic
from moderation.models import AuditAction, AuditEntry, QueueItem

SYSTEM = "system"


def actor_label(actor: User | None) -> str:
    # A stable id rather than the pseudonym: it survives the member's erasure without naming them.
    return SYSTEM if actor is None else f"member-{actor.pk}"


def record(
    *,
    actor: User | None,
    action: AuditAction,
    post: Post | None = None,
    topic: Topic | None = None,
    target_user: User | None = None,
    queue_item: QueueItem | None = None,
    reason: str = "",
    note: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    if post is not None and topic is None:
        topic = post.topic
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor_label(actor),
        action=action,
        post=post,
        topic=topic,
        target_user=target_user,
        queue_item=queue_item,
        reason=reason[:200],
        note=note,
        before=before or {},
        after=after or {},
    )


def post_snapshot(post: Post) -> dict[str, Any]:
    return {"status": post.status, "gone_reason": post.gone_reason, "medical_notice": post.medical_notice}
