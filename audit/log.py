"""The one way to write the audit log. Call it inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any, Protocol

from audit.models import AuditAction, AuditEntry

SYSTEM = "system"


class Identified(Protocol):
    @property
    def pk(self) -> Any: ...


def actor_label(actor: Identified | None) -> str:
    # A stable id rather than the pseudonym: it survives the member's erasure without naming them.
    return SYSTEM if actor is None else f"member-{actor.pk}"


def record(
    *,
    actor: Identified | None,
    action: AuditAction,
    target_user_id: int | None = None,
    board_id: int | None = None,
    topic_id: int | None = None,
    post_id: int | None = None,
    queue_item_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
    note: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` None means the system acted (screening, flag weight, a nightly task)."""
    return AuditEntry.objects.create(
        actor_id=None if actor is None else actor.pk,
        actor_label=actor_label(actor),
        action=action,
        target_user_id=target_user_id,
        board_id=board_id,
        topic_id=topic_id,
        post_id=post_id,
        queue_item_id=queue_item_id,
        object_type=object_type,
        object_id=object_id,
        reason=reason[:200],
        note=note,
        before=before or {},
        after=after or {},
    )
