"""Every moderation write: flags, claims, decisions, sanctions, appeals and trust levels.

Each service is atomic and writes its audit entry in the same transaction as
the change it records. Functions that expect a locked row say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from rest_framework import status

from accounts.models import TrustLevel, User
from community.models import ContentStatus, GoneReason, NotificationKind, Post
from community.permissions import check_not_silenced
from community.services import change_post_status, edit_post, notify
from config.api_errors import ApiError
from moderation import audit
from moderation.alerts import alert_if_urgent
from moderation.guidelines import Guideline, RemovalReason
from moderation.intake import add_reasons, open_item_for_update, raise_priority
from moderation.models import (
    AuditAction,
    Decision,
    Flag,
    FlagReason,
    ItemKind,
    ItemStatus,
    Priority,
    QueueItem,
    Sanction,
    SanctionKind,
)
from moderation.permissions import check_can_moderate_item, check_can_sanction

CLAIM_DURATION = timedelta(minutes=15)
HIDE_THRESHOLD = 5
FLAG_WEIGHT = {TrustLevel.NEW: 1, TrustLevel.MEMBER: 2, TrustLevel.TRUSTED: 3}
NEW_MEMBER_FLAGS_PER_DAY = 5
REFLAG_COOLDOWN = timedelta(hours=24)
SANCTION_STEPS = (timedelta(hours=24), timedelta(hours=72), timedelta(days=7), timedelta(days=30))
FLAG_PRIORITY = {
    FlagReason.AT_RISK: Priority.URGENT,
    FlagReason.MEDICAL_MISINFORMATION: Priority.HIGH,
    FlagReason.HARASSMENT: Priority.HIGH,
    FlagReason.UNDER_AGE: Priority.HIGH,
}
TRUSTED_AFTER = timedelta(days=30)
MEMBER_AFTER = timedelta(days=3)
TRUSTED_HELPFUL_MARKS = 10
CLEAN_RECORD = timedelta(days=90)


def _conflict(detail: str, code: str, **extra: Any) -> ApiError:
    return ApiError(detail, code=code, status_code=status.HTTP_409_CONFLICT, extra=extra)


# --- Flags -------------------------------------------------------------------------------------


@transaction.atomic
def flag_post(*, reporter: User, post: Post, reason: str, note: str = "") -> Flag:
    """A member reports a post. Weighted by trust; enough weight hides it pending review.

    ``at_risk`` never hides (the author may need the conversation): it makes the item urgent.
    A moderator's flag acts directly: it carries the full hiding weight.
    """
    check_not_silenced(reporter)
    if post.author_id == reporter.pk:
        raise ApiError("You cannot flag your own post.", code="own_post")
    if post.status not in (ContentStatus.PUBLISHED, ContentStatus.HIDDEN):
        raise ApiError("This post cannot be flagged.", code="not_flaggable", status_code=status.HTTP_403_FORBIDDEN)
    reporter = User.objects.select_for_update().get(pk=reporter.pk)
    now = timezone.now()
    if Flag.objects.filter(post=post, reporter=reporter, dismissed_at__isnull=True).exists():
        raise _conflict("You have already flagged this post. Moderators will review it.", "already_flagged")
    dismissed = Flag.objects.filter(post=post, reporter=reporter, dismissed_at__isnull=False).order_by("-dismissed_at")
    last_dismissed = dismissed.values_list("dismissed_at", flat=True).first()
    if (
        last_dismissed
        and last_dismissed > now - REFLAG_COOLDOWN
        and not (post.edited_at and post.edited_at > last_dismissed)
    ):
        raise _conflict(
            "Moderators reviewed your earlier flag on this post. "
            "You can flag it again if it is edited, or after 24 hours.",
            "flag_recently_dismissed",
        )
    if reporter.trust_level == TrustLevel.NEW and not reporter.is_moderator:
        today = Flag.objects.filter(reporter=reporter, created_at__gte=now - timedelta(days=1)).count()
        if today >= NEW_MEMBER_FLAGS_PER_DAY:
            raise ApiError(
                f"New members can flag up to {NEW_MEMBER_FLAGS_PER_DAY} posts a day. Thank you for looking out.",
                code="flag_limit",
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": "3600"},
            )

    weight = HIDE_THRESHOLD if reporter.is_moderator else FLAG_WEIGHT[TrustLevel(reporter.trust_level)]
    item, _ = open_item_for_update(post)
    flag = Flag.objects.create(post=post, reporter=reporter, reason=reason, note=note, weight=weight, queue_item=item)
    raise_priority(item, FLAG_PRIORITY.get(FlagReason(reason), Priority.NORMAL))
    add_reasons(item, [{"reason": f"flag_{reason}", "action": "review", "detail": ""}])
    item.flag_score = (
        Flag.objects.filter(queue_item=item, dismissed_at__isnull=True)
        .exclude(reason=FlagReason.AT_RISK)
        .aggregate(total=Sum("weight"))["total"]
        or 0
    )
    item.version += 1
    item.save()
    alert_if_urgent(item)  # "this member may be at risk" is urgent
    audit.record(actor=reporter, action=AuditAction.FLAGGED, post=post, queue_item=item, reason=reason)

    if item.flag_score >= HIDE_THRESHOLD and post.status == ContentStatus.PUBLISHED:
        before = audit.post_snapshot(post)
        change_post_status(post=post, status=ContentStatus.HIDDEN, gone_reason=GoneReason.FLAGGED)
        audit.record(
            actor=None,
            action=AuditAction.AUTO_HIDDEN,
            post=post,
            queue_item=item,
            target_user=post.author,
            reason=f"flag score {item.flag_score}",
            before=before,
            after=audit.post_snapshot(post),
        )
    return flag


# --- The queue ---------------------------------------------------------------------------------


def get_item_for_update(moderator: User, item_id: int) -> QueueItem:
    """The queue item, locked, if the moderator may act on it; 404 otherwise. Call inside a transaction."""
    item = QueueItem.objects.select_for_update().select_related("post__topic__board").filter(pk=item_id).first()
    if item is None:
        raise ApiError("Not found.", code="not_found", status_code=status.HTTP_404_NOT_FOUND)
    check_can_moderate_item(moderator, item)
    return item


def _check_open(item: QueueItem) -> None:
    if item.status != ItemStatus.OPEN:
        raise _conflict("This item was already resolved.", "item_resolved", version=item.version)


def _check_claim(moderator: User, item: QueueItem, takeover: bool, now: datetime) -> None:
    held_by_other = item.claimed_by_id not in (None, moderator.pk) and item.claimed_until and item.claimed_until > now
    if held_by_other and not takeover:
        raise _conflict(
            "Another moderator is working on this item. Send takeover=true to take it over.",
            "claimed_by_other",
            claimed_until=item.claimed_until.isoformat() if item.claimed_until else None,
        )


@transaction.atomic
def claim_item(*, moderator: User, item: QueueItem, takeover: bool = False) -> QueueItem:
    """Give the item to this moderator for 15 minutes. Needs the item locked (``get_item_for_update``)."""
    now = timezone.now()
    _check_open(item)
    _check_claim(moderator, item, takeover, now)
    before = {
        "claimed_by": item.claimed_by_id,
        "claimed_until": str(item.claimed_until) if item.claimed_until else None,
    }
    item.claimed_by = moderator
    item.claimed_until = now + CLAIM_DURATION
    item.first_action_at = item.first_action_at or now
    item.version += 1
    item.save()
    audit.record(
        actor=moderator,
        action=AuditAction.CLAIMED,
        post=item.post,
        queue_item=item,
        note="takeover" if takeover and before["claimed_by"] not in (None, moderator.pk) else "",
        before=before,
        after={"claimed_by": moderator.pk, "claimed_until": item.claimed_until.isoformat()},
    )
    return item


@dataclass(frozen=True)
class DecisionInput:
    decision: str
    version: int
    reason: str = ""
    guideline: str = ""
    note: str = ""
    redacted_body: str = ""
    takeover: bool = False
    sanction: dict[str, Any] | None = None


DECISION_AUDIT = {
    Decision.APPROVE: AuditAction.APPROVED,
    Decision.HIDE: AuditAction.HIDDEN,
    Decision.REMOVE: AuditAction.REMOVED,
    Decision.REDACT: AuditAction.REDACTED,
    Decision.DISMISS: AuditAction.DISMISSED,
    Decision.ESCALATE: AuditAction.ESCALATED,
}


def _validate_decision(item: QueueItem, data: DecisionInput) -> None:
    fields: dict[str, list[str]] = {}
    if item.kind == ItemKind.APPEAL and data.decision not in (Decision.APPROVE, Decision.DISMISS):
        fields["decision"] = ["An appeal is decided with approve (restore the post) or dismiss (keep it removed)."]
    if data.decision in (Decision.REMOVE, Decision.HIDE) and data.reason not in RemovalReason.values:
        fields["reason"] = [f"Give a reason code: {', '.join(RemovalReason.values)}."]
    if data.decision == Decision.REMOVE and data.guideline not in Guideline.values:
        fields["guideline"] = [f"Cite the guideline: {', '.join(Guideline.values)}."]
    if data.decision == Decision.REDACT and not data.redacted_body.strip():
        fields["redacted_body"] = ["Give the post's text with the personal details taken out."]
    if fields:
        raise ApiError("The decision is missing what it needs.", code="invalid_decision", fields=fields)


def _statement_of_reasons(post: Post, data: DecisionInput, what: str) -> str:
    parts = [f"A moderator {what} your post in “{post.topic.title}”."]
    if data.reason:
        parts.append(f"Reason: {RemovalReason(data.reason).label}.")
    if data.guideline:
        parts.append(f"Guideline: {Guideline(data.guideline).label}.")
    if data.note:
        parts.append(data.note)
    return " ".join(parts)


def _dismiss_flags(item: QueueItem, now: datetime) -> int:
    return Flag.objects.filter(queue_item=item, dismissed_at__isnull=True).update(dismissed_at=now)


@transaction.atomic
def decide_item(*, moderator: User, item: QueueItem, data: DecisionInput) -> QueueItem:
    """Resolve (or escalate) a queue item. Needs the item locked (``get_item_for_update``).

    A stale ``version`` is a 409 and changes nothing; so is acting on an item
    another moderator holds, unless ``takeover`` is set.
    """
    now = timezone.now()
    _check_open(item)
    if data.version != item.version:
        raise _conflict(
            "This item changed since you loaded it. Reload it and decide again.", "stale_version", version=item.version
        )
    _check_claim(moderator, item, data.takeover, now)
    if item.kind == ItemKind.APPEAL and item.excluded_moderator_id == moderator.pk:
        raise ApiError(
            "The moderator who removed this post cannot decide its appeal.",
            code="own_decision",
            status_code=status.HTTP_403_FORBIDDEN,
        )
    _validate_decision(item, data)
    post = Post.objects.select_for_update().select_related("topic__board").get(pk=item.post_id)
    before = audit.post_snapshot(post)
    author = post.author

    if item.kind == ItemKind.APPEAL:
        _decide_appeal(moderator=moderator, item=item, post=post, data=data)
    elif data.decision == Decision.ESCALATE:
        item.escalated = True
        raise_priority(item, Priority.URGENT)
        item.claimed_by, item.claimed_until = None, None
        from moderation.tasks import alert_admins_about_escalation

        transaction.on_commit(lambda: alert_admins_about_escalation.delay(item.pk))
    else:
        _apply_content_decision(moderator=moderator, item=item, post=post, data=data, now=now)

    if data.decision != Decision.ESCALATE:
        item.status = ItemStatus.RESOLVED
        item.decision = data.decision
        item.resolved_by = moderator
        item.resolved_at = now
    item.first_action_at = item.first_action_at or now
    item.version += 1
    item.save()
    action = DECISION_AUDIT[Decision(data.decision)]
    if item.kind == ItemKind.APPEAL:
        action = AuditAction.APPEAL_UPHELD if data.decision == Decision.APPROVE else AuditAction.APPEAL_REJECTED
    audit.record(
        actor=moderator,
        action=action,
        post=post,
        queue_item=item,
        target_user=author,
        reason=data.reason or data.guideline,
        note=data.note,
        before=before,
        after={**audit.post_snapshot(post), "item_status": item.status, "priority": item.priority},
    )
    if data.sanction and author is not None:
        apply_sanction(
            moderator=moderator,
            member=author,
            kind=data.sanction["kind"],
            reason=data.sanction.get("reason") or data.note or data.reason,
            until=data.sanction.get("until"),
            queue_item=item,
        )
    if author is not None and data.decision in (Decision.APPROVE, Decision.DISMISS):
        recompute_trust_level(user=author)
    return item


def _apply_content_decision(
    *, moderator: User, item: QueueItem, post: Post, data: DecisionInput, now: datetime
) -> None:
    decision = Decision(data.decision)
    was_pending = post.status == ContentStatus.PENDING
    if decision in (Decision.APPROVE, Decision.DISMISS):
        _dismiss_flags(item, now)
        restore = was_pending if decision == Decision.APPROVE else False
        restore = restore or (post.status == ContentStatus.HIDDEN and post.gone_reason == GoneReason.FLAGGED)
        if restore:
            change_post_status(post=post, status=ContentStatus.PUBLISHED)
        if was_pending and decision == Decision.APPROVE and post.author_id:
            notify(
                recipient_id=post.author_id,
                kind=NotificationKind.POST_APPROVED,
                topic=post.topic,
                post=post,
                message=f"Your post in “{post.topic.title}” was approved and is now visible.",
            )
    elif decision == Decision.HIDE:
        change_post_status(post=post, status=ContentStatus.HIDDEN, gone_reason=GoneReason.HIDDEN_BY_MODERATORS)
        _notify_decision(post, data, "hid")
    elif decision == Decision.REMOVE:
        change_post_status(post=post, status=ContentStatus.REMOVED, gone_reason=GoneReason.MODERATED)
        _notify_decision(post, data, "removed", appealable=True)
    elif decision == Decision.REDACT:
        edit_post(editor=moderator, post=post, body=data.redacted_body)
        _dismiss_flags(item, now)
        change_post_status(post=post, status=ContentStatus.PUBLISHED)
        _notify_decision(post, data, "edited out personal details from")


def _notify_decision(post: Post, data: DecisionInput, what: str, *, appealable: bool = False) -> None:
    if not post.author_id:
        return
    message = _statement_of_reasons(post, data, what)
    if appealable:
        message += " You can appeal this decision once."
    notify(
        recipient_id=post.author_id,
        kind=NotificationKind.MODERATION_DECISION,
        topic=post.topic,
        post=post,
        message=message,
        data={
            "decision": data.decision,
            "reason": data.reason,
            "guideline": data.guideline,
            "note": data.note,
            "appealable": appealable,
        },
    )


def _decide_appeal(*, moderator: User, item: QueueItem, post: Post, data: DecisionInput) -> None:
    upheld = data.decision == Decision.APPROVE
    if upheld:
        change_post_status(post=post, status=ContentStatus.PUBLISHED)
    if post.author_id:
        outcome = "restored your post" if upheld else "reviewed your appeal and kept the post removed"
        notify(
            recipient_id=post.author_id,
            kind=NotificationKind.MODERATION_DECISION,
            topic=post.topic,
            post=post,
            message=f"A moderator {outcome} in “{post.topic.title}”. {data.note}".strip(),
            data={"decision": data.decision, "appeal": True, "note": data.note},
        )


# --- Appeals -----------------------------------------------------------------------------------


@transaction.atomic
def file_appeal(*, author: User, post: Post, statement: str) -> QueueItem:
    """The author of a removed post asks for another look, once. A different moderator decides it."""
    if post.author_id != author.pk:
        raise ApiError("Not found.", code="not_found", status_code=status.HTTP_404_NOT_FOUND)
    if post.status != ContentStatus.REMOVED or post.gone_reason != GoneReason.MODERATED:
        raise ApiError("Only posts removed by moderators can be appealed.", code="not_appealable")
    Post.objects.select_for_update().filter(pk=post.pk).first()
    if QueueItem.objects.filter(post=post, kind=ItemKind.APPEAL).exists():
        raise _conflict("You have already appealed this decision.", "already_appealed")
    removal = (
        QueueItem.objects.filter(post=post, kind=ItemKind.CONTENT, decision=Decision.REMOVE)
        .order_by("-resolved_at")
        .first()
    )
    try:
        with transaction.atomic():
            item = QueueItem.objects.create(
                post=post,
                board_id=post.topic.board_id,
                kind=ItemKind.APPEAL,
                reasons=[{"reason": "appeal", "action": "review", "detail": ""}],
                excluded_moderator=removal.resolved_by if removal else None,
                appeal_statement=statement,
            )
    except IntegrityError as exc:
        raise _conflict("You have already appealed this decision.", "already_appealed") from exc
    audit.record(actor=author, action=AuditAction.APPEALED, post=post, queue_item=item, note=statement)
    return item


# --- Sanctions ---------------------------------------------------------------------------------


def default_duration(member: User) -> timedelta:
    """24 h, then 72 h, 7 days, 30 days for each further silence or suspension."""
    earlier = Sanction.objects.filter(user=member, kind__in=[SanctionKind.SILENCE, SanctionKind.SUSPEND]).count()
    return SANCTION_STEPS[min(earlier, len(SANCTION_STEPS) - 1)]


def _refresh_restrictions(member: User, now: datetime) -> None:
    """Recompute the member's silenced/suspended end dates from their sanctions still in force."""
    active = Sanction.objects.filter(user=member, lifted_at__isnull=True, ends_at__gt=now)
    ends = {
        kind: active.filter(kind=kind).order_by("-ends_at").values_list("ends_at", flat=True).first()
        for kind in (SanctionKind.SILENCE, SanctionKind.SUSPEND)
    }
    member.silenced_until = ends[SanctionKind.SILENCE]
    member.suspended_until = ends[SanctionKind.SUSPEND]
    member.save(update_fields=["silenced_until", "suspended_until"])


@transaction.atomic
def apply_sanction(
    *,
    moderator: User,
    member: User,
    kind: str,
    reason: str,
    until: datetime | None = None,
    queue_item: QueueItem | None = None,
) -> Sanction:
    """Warn, silence or suspend a member. Suspension ends every session the member has."""
    check_can_sanction(moderator, member, from_item=queue_item is not None)
    now = timezone.now()
    member = User.objects.select_for_update().get(pk=member.pk)
    if until is not None and until <= now:
        raise ApiError(
            "The end date must be in the future.", code="invalid", fields={"until": ["Must be in the future."]}
        )
    ends_at = None if kind == SanctionKind.WARN else until or now + default_duration(member)
    sanction = Sanction.objects.create(
        user=member,
        kind=kind,
        reason=reason[:500],
        starts_at=now,
        ends_at=ends_at,
        created_by=moderator,
        queue_item=queue_item,
    )
    before = {"silenced_until": _iso(member.silenced_until), "suspended_until": _iso(member.suspended_until)}
    _refresh_restrictions(member, now)
    if kind == SanctionKind.SUSPEND:
        member.session_version += 1
        member.save(update_fields=["session_version"])
    if member.trust_level == TrustLevel.TRUSTED and kind != SanctionKind.WARN:
        member.trust_level = TrustLevel.MEMBER
        member.save(update_fields=["trust_level"])
    audit.record(
        actor=moderator,
        action=AuditAction.SANCTIONED,
        target_user=member,
        queue_item=queue_item,
        reason=kind,
        note=reason,
        before=before,
        after={"kind": kind, "ends_at": _iso(ends_at)},
    )
    labels = {
        SanctionKind.WARN: "You have received a warning from the moderators.",
        SanctionKind.SILENCE: f"You can read but not post until {ends_at:%Y-%m-%d %H:%M} UTC." if ends_at else "",
        SanctionKind.SUSPEND: f"Your account is suspended until {ends_at:%Y-%m-%d %H:%M} UTC." if ends_at else "",
    }
    notify(
        recipient_id=member.pk,
        kind=NotificationKind.MODERATION_DECISION,
        message=f"{labels[SanctionKind(kind)]} Reason: {reason}"[:500],
        data={"sanction": kind, "ends_at": _iso(ends_at)},
    )
    return sanction


@transaction.atomic
def lift_sanction(*, moderator: User, sanction: Sanction, note: str = "") -> bool:
    """End a sanction early. Returns False when it was already lifted or over."""
    check_can_sanction(moderator, sanction.user, from_item=False)
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    now = timezone.now()
    if sanction.lifted_at is not None or (sanction.ends_at is not None and sanction.ends_at <= now):
        return False
    sanction.lifted_at, sanction.lifted_by = now, moderator
    sanction.save(update_fields=["lifted_at", "lifted_by"])
    member = User.objects.select_for_update().get(pk=sanction.user_id)
    _refresh_restrictions(member, now)
    audit.record(
        actor=moderator,
        action=AuditAction.SANCTION_LIFTED,
        target_user=member,
        reason=sanction.kind,
        note=note,
        before={"ends_at": _iso(sanction.ends_at)},
        after={"lifted_at": now.isoformat()},
    )
    return True


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- Trust levels ------------------------------------------------------------------------------


def compute_trust_level(user: User, now: datetime) -> str:
    age = now - user.date_joined
    published = Post.objects.filter(author=user, status=ContentStatus.PUBLISHED).count()
    recent_sanction = Sanction.objects.filter(
        user=user, starts_at__gte=now - CLEAN_RECORD, kind__in=[SanctionKind.SILENCE, SanctionKind.SUSPEND]
    ).exists()
    if age >= TRUSTED_AFTER and not recent_sanction:
        helpful = (
            Post.objects.filter(author=user, status=ContentStatus.PUBLISHED).aggregate(n=Sum("helpful_count"))["n"] or 0
        )
        if helpful >= TRUSTED_HELPFUL_MARKS:
            return TrustLevel.TRUSTED
    return TrustLevel.MEMBER if published >= 2 and age >= MEMBER_AFTER else TrustLevel.NEW


@transaction.atomic
def recompute_trust_level(*, user: User) -> bool:
    """Store the member's trust level as of now. Returns True when it changed."""
    now = timezone.now()
    level = compute_trust_level(user, now)
    changed = (
        User.objects.filter(pk=user.pk).exclude(trust_level=level).update(trust_level=level, trust_level_updated_at=now)
    )
    if changed:
        audit.record(
            actor=None,
            action=AuditAction.TRUST_CHANGED,
            target_user=user,
            before={"trust_level": user.trust_level},
            after={"trust_level": level},
        )
        user.trust_level = level
    return bool(changed)


# --- Reminders ---------------------------------------------------------------------------------

REMINDER_AFTER = {Priority.URGENT: timedelta(minutes=30), Priority.HIGH: timedelta(hours=24)}
REMINDER_EVERY = timedelta(hours=1)


def items_needing_reminder(now: datetime) -> list[int]:
    overdue = Q()
    for priority, after in REMINDER_AFTER.items():
        overdue |= Q(priority=priority, created_at__lte=now - after)
    unclaimed = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    not_recent = Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_EVERY)
    items = QueueItem.objects.filter(
        overdue, unclaimed, not_recent, status=ItemStatus.OPEN, first_action_at__isnull=True
    )
    return list(items.order_by("priority_rank", "created_at").values_list("pk", flat=True)[:200])


def mark_reminded(item_ids: list[int], now: datetime) -> list[int]:
    """Stamp the items as reminded; returns those this call stamped (a concurrent run gets none twice)."""
    stamped = []
    for item_id in item_ids:
        guard = Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_EVERY)
        if QueueItem.objects.filter(guard, pk=item_id).update(last_reminded_at=now):
            stamped.append(item_id)
    return stamped


def moderator_emails() -> list[str]:
    return list(
        User.objects.filter(Q(role="moderator") | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def queue_link() -> str:
    return f"{settings.SITE_URL}/api/docs/"
