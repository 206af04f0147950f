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


# Keys of an entry's before/after that can hold a member's own words (a topic's title and tags).
_WORDS = ("title", "tags")


def forget_member_words(member_id: int) -> int:
    """The one change the log allows after the fact: when a member is erased, the entries about
    them keep the ids, actions, reason codes and states, and lose the free text that could carry
    their words (an appeal statement, a moderator's note quoting them, their topic's old title).
    Returns how many entries changed.
    """
    changed = []
    for entry in AuditEntry.objects.filter(target_user_id=member_id).only("pk", "note", "before", "after"):
        before = {k: v for k, v in entry.before.items() if k not in _WORDS}
        after = {k: v for k, v in entry.after.items() if k not in _WORDS}
        if entry.note or before != entry.before or after != entry.after:
            entry.note, entry.before, entry.after = "", before, after
            changed.append(entry)
    # One UPDATE for all of them (bulk_update never calls save(), which refuses every change by design).
    AuditEntry.objects.bulk_update(changed, ["note", "before", "after"], batch_size=500)
    return len(changed)
