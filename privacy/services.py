"""Data rights: the export, erasure by the member, and erasure of an under-age account by moderators.

Erasure is one transaction across every app, in a fixed order: the member's row is locked first
(their own writes wait), moderation records are settled while their posts still name them,
then their content, then the audit log's free text about them, and last the account itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts import erasure as account_erasure
from accounts.models import User
from accounts.selectors import lock_member
from audit import log
from audit.models import AuditAction
from community import erasure as community_erasure
from config.errors import Conflict, Forbidden, Invalid, RateLimited
from moderation import erasure as moderation_erasure
from moderation.models import Flag, FlagReason, QueueItem
from moderation.services import lock_item_for_decision
from privacy.export import build_export
from privacy.tasks import send_erasure_confirmation

EXPORT_INTERVAL = timedelta(minutes=10)
REMOVE, KEEP = "remove", "keep"


@transaction.atomic
def export_member_data(*, actor: User) -> dict[str, Any]:
    """Everything held about the actor. At most one export per member per 10 minutes (429 otherwise)."""
    member = lock_member(actor.pk)
    now = timezone.now()
    if member.data_exported_at is not None and member.data_exported_at > now - EXPORT_INTERVAL:
        wait = member.data_exported_at + EXPORT_INTERVAL - now
        raise RateLimited(
            "You downloaded your data a moment ago. You can download it again in a few minutes.",
            code="export_rate_limited",
            retry_after=max(1, int(wait.total_seconds()) + 1),
        )
    member.data_exported_at = now
    member.save(update_fields=["data_exported_at"])
    return build_export(member, now=now)


@dataclass(frozen=True)
class Erased:
    member_id: int
    counts: dict[str, int]


@transaction.atomic
def erase_account(*, actor: User, password: str, content: str) -> Erased:
    """The member erases their own account (GDPR Art. 17), choosing what happens to their posts.

    A wrong password is a 400 and changes nothing.
    """
    if content not in (REMOVE, KEEP):
        raise Invalid(
            "Choose what happens to your posts.", code="invalid", fields={"content": ['Use "remove" or "keep".']}
        )
    member = lock_member(actor.pk)
    if not password or not member.check_password(password):
        raise Invalid(
            "That is not your current password. Nothing was changed.",
            code="wrong_password",
            fields={"password": ["Wrong password."]},
        )
    return _erase(actor=member, member=member, remove=content == REMOVE, reason="member_request")


@transaction.atomic
def erase_under_age_member(
    *, actor: User, item_id: int, version: int, takeover: bool = False, note: str = ""
) -> Erased:
    """A moderator erases the account of a member reported as under 16, from that report's queue item.

    Their content is removed. Only for an item with an under-age report; never a moderator's own
    account, and a moderator's account only by an admin.
    """
    item: QueueItem = lock_item_for_decision(actor=actor, item_id=item_id, version=version, takeover=takeover)
    if not Flag.objects.filter(queue_item=item, reason=FlagReason.UNDER_AGE).exists():
        raise Conflict(
            "Accounts are erased from the queue only on a report that the member is under 16.",
            code="not_under_age_report",
        )
    author_id = item.post.author_id
    if author_id is None:
        raise Conflict("This member's account was already erased.", code="already_erased")
    member = lock_member(author_id, acting=False)
    if member.pk == actor.pk:
        raise Forbidden("Erase your own account from your settings.", code="own_account")
    if member.is_moderator and not actor.is_superuser:
        raise Forbidden("Only admins can erase a moderator's account.", code="moderator_target")
    return _erase(actor=actor, member=member, remove=True, reason="under_age", queue_item_id=item.pk, note=note)


def _erase(
    *, actor: User, member: User, remove: bool, reason: str, queue_item_id: int | None = None, note: str = ""
) -> Erased:
    """Needs the member's row locked, inside the transaction."""
    # The rows are deleted below (and Django forgets a deleted instance's pk): keep the ids.
    member_id, email, by = member.pk, member.email, _Ref(actor.pk)
    counts: dict[str, int] = {}
    content = REMOVE if remove else KEEP
    counts |= moderation_erasure.forget_member(actor=actor, member=member, remove=remove)
    counts |= community_erasure.erase_member_content(member=member, remove=remove)
    counts["audit_entries_redacted"] = log.forget_member_words(member_id)
    counts |= account_erasure.forget_account(member=member)
    log.record(
        actor=by,
        action=AuditAction.ACCOUNT_ERASED,
        target_user_id=member_id,
        queue_item_id=queue_item_id,
        reason=reason,
        note=note,
        after={"content": content, **counts},
    )
    if email:
        # robust: the erasure has happened; a broker (or, run eagerly, a mail server) that fails now
        # is logged, and must not turn the member's answer into an error.
        transaction.on_commit(
            lambda: send_erasure_confirmation.delay(email, reason=reason, content=content), robust=True
        )
    return Erased(member_id=member_id, counts=counts)


@dataclass(frozen=True)
class _Ref:
    pk: int
