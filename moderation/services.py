"""Every moderation write: flags, claims, decisions, sanctions, appeals and trust levels.

Each service is keyword-only with the acting person as ``actor``, atomic, takes
its own row locks and checks after locking, and writes its audit entry in the
same transaction as the change it records. A post is changed only through
``community.services.apply_moderation``: decisions never re-screen or re-queue.
Lock order, everywhere: queue item, then post, then member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import TrustLevel, User
from accounts.permissions import check_can_post
from accounts.selectors import lock_member
from audit import log
from audit.models import AuditAction
from community.audit_targets import post_audit_ids
from community.models import ContentStatus, GoneReason, NotificationKind, Post
from community.permissions import can_moderate_board
from community.services import AuthorNotice, apply_moderation, lock_post, notify
from config.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from moderation.alerts import alert_if_urgent
from moderation.guidelines import Guideline, RemovalReason
from moderation.intake import add_reasons, open_item_for_update, raise_priority
from moderation.models import (
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


# --- Flags -------------------------------------------------------------------------------------


@transaction.atomic
def flag_post(*, actor: User, post: Post, reason: str, note: str = "") -> Flag:
    """A member reports a post. Weighted by trust; enough weight hides it pending review.

    ``at_risk`` never hides (the author may need the conversation): it makes the item urgent.
    A moderator of the post's board flags with the full hiding weight.
    """
    check_can_post(actor)
    if post.author_id == actor.pk:
        raise Invalid("You cannot flag your own post.", code="own_post")
    item, _ = open_item_for_update(post)
    post = lock_post(post.pk)
    if post.status not in (ContentStatus.PUBLISHED, ContentStatus.HIDDEN):
        raise Forbidden("This post cannot be flagged.", code="not_flaggable")
    reporter = lock_member(actor.pk)
    _check_may_flag(reporter, post)

    moderates = can_moderate_board(reporter, post.topic.board_id)
    weight = HIDE_THRESHOLD if moderates else FLAG_WEIGHT[TrustLevel(reporter.trust_level)]
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
    log.record(actor=reporter, action=AuditAction.FLAGGED, queue_item_id=item.pk, reason=reason, **post_audit_ids(post))
    if item.flag_score >= HIDE_THRESHOLD and post.status == ContentStatus.PUBLISHED:
        apply_moderation(
            actor=None,
            post=post,
            action=AuditAction.AUTO_HIDDEN,
            status=ContentStatus.HIDDEN,
            gone_reason=GoneReason.FLAGGED,
            reason=f"flag score {item.flag_score}",
            queue_item_id=item.pk,
        )
    return flag


def _check_may_flag(reporter: User, post: Post) -> None:
    """One live flag per member and post; a dismissed one again only after an edit or a day; new members'
    daily limit. Needs the reporter's row locked (the counts must not move meanwhile)."""
    now = timezone.now()
    if Flag.objects.filter(post=post, reporter=reporter, dismissed_at__isnull=True).exists():
        raise Conflict("You have already flagged this post. Moderators will review it.", code="already_flagged")
    dismissed = Flag.objects.filter(post=post, reporter=reporter, dismissed_at__isnull=False).order_by("-dismissed_at")
    last_dismissed = dismissed.values_list("dismissed_at", flat=True).first()
    if (
        last_dismissed
        and last_dismissed > now - REFLAG_COOLDOWN
        and not (post.edited_at and post.edited_at > last_dismissed)
    ):
        raise Conflict(
            "Moderators reviewed your earlier flag on this post. "
            "You can flag it again if it is edited, or after 24 hours.",
            code="flag_recently_dismissed",
        )
    if reporter.trust_level == TrustLevel.NEW and not reporter.is_moderator:
        today = Flag.objects.filter(reporter=reporter, created_at__gte=now - timedelta(days=1)).count()
        if today >= NEW_MEMBER_FLAGS_PER_DAY:
            raise RateLimited(
                f"New members can flag up to {NEW_MEMBER_FLAGS_PER_DAY} posts a day. Thank you for looking out.",
                code="flag_limit",
                retry_after=3600,
            )


# --- The queue ---------------------------------------------------------------------------------


def get_item_for_update(actor: User, item_id: int) -> QueueItem:
    """The queue item, locked, if the moderator may act on it; not found otherwise. Call inside a transaction."""
    items = QueueItem.objects.select_for_update(of=("self",)).select_related("post__topic__board")
    item = items.filter(pk=item_id).first()
    if item is None:
        raise NotFound
    check_can_moderate_item(actor, item)
    return item


def _check_open(item: QueueItem) -> None:
    if item.status != ItemStatus.OPEN:
        raise Conflict("This item was already resolved.", code="item_resolved", extra={"version": item.version})


def _check_claim(actor: User, item: QueueItem, takeover: bool, now: datetime) -> None:
    held_by_other = item.claimed_by_id not in (None, actor.pk) and item.claimed_until and item.claimed_until > now
    if held_by_other and not takeover:
        raise Conflict(
            "Another moderator is working on this item. Send takeover=true to take it over.",
            code="claimed_by_other",
            extra={"claimed_until": item.claimed_until.isoformat() if item.claimed_until else None},
        )


@transaction.atomic
def claim_item(*, actor: User, item_id: int, takeover: bool = False) -> QueueItem:
    """Give the item to this moderator for 15 minutes."""
    item = get_item_for_update(actor, item_id)
    now = timezone.now()
    _check_open(item)
    _check_claim(actor, item, takeover, now)
    before = {
        "claimed_by": item.claimed_by_id,
        "claimed_until": str(item.claimed_until) if item.claimed_until else None,
    }
    item.claimed_by = actor
    item.claimed_until = now + CLAIM_DURATION
    item.first_action_at = item.first_action_at or now
    item.version += 1
    item.save()
    log.record(
        actor=actor,
        action=AuditAction.CLAIMED,
        queue_item_id=item.pk,
        note="takeover" if takeover and before["claimed_by"] not in (None, actor.pk) else "",
        before=before,
        after={"claimed_by": actor.pk, "claimed_until": item.claimed_until.isoformat()},
        **post_audit_ids(item.post),
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
        raise Invalid("The decision is missing what it needs.", code="invalid_decision", fields=fields)


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


def lock_item_for_decision(*, actor: User, item_id: int, version: int, takeover: bool) -> QueueItem:
    """The open item, locked, when this moderator may decide it now: on their boards, at the version they
    loaded (else 409 ``stale_version``), not held by another moderator unless ``takeover``. Call inside a
    transaction."""
    item = get_item_for_update(actor, item_id)
    _check_open(item)
    if version != item.version:
        raise Conflict(
            "This item changed since you loaded it. Reload it and decide again.",
            code="stale_version",
            extra={"version": item.version},
        )
    _check_claim(actor, item, takeover, timezone.now())
    return item


@transaction.atomic
def decide_item(*, actor: User, item_id: int, data: DecisionInput) -> QueueItem:
    """Resolve (or escalate) a queue item.

    A stale ``version`` is a conflict and changes nothing; so is acting on an item
    another moderator holds, unless ``takeover`` is set.
    """
    now = timezone.now()
    item = lock_item_for_decision(actor=actor, item_id=item_id, version=data.version, takeover=data.takeover)
    if item.kind == ItemKind.APPEAL and item.excluded_moderator_id == actor.pk:
        raise Forbidden("The moderator who removed this post cannot decide its appeal.", code="own_decision")
    _validate_decision(item, data)
    post = lock_post(item.post_id)

    if item.kind == ItemKind.APPEAL:
        _decide_appeal(actor=actor, item=item, post=post, data=data)
    elif data.decision == Decision.ESCALATE:
        _escalate(actor=actor, item=item, post=post, data=data)
    else:
        _apply_content_decision(actor=actor, item=item, post=post, data=data, now=now)

    if data.decision != Decision.ESCALATE:
        item.status = ItemStatus.RESOLVED
        item.decision = data.decision
        item.resolved_by = actor
        item.resolved_at = now
    item.first_action_at = item.first_action_at or now
    item.version += 1
    item.save()
    author = post.author
    if data.sanction and author is not None:
        apply_sanction(
            actor=actor,
            member=author,
            kind=data.sanction["kind"],
            reason=data.sanction.get("reason") or data.note or data.reason,
            until=data.sanction.get("until"),
            queue_item=item,
        )
    if author is not None and data.decision in (Decision.APPROVE, Decision.DISMISS):
        recompute_trust_level(actor=None, user=author)
    return item


def _escalate(*, actor: User, item: QueueItem, post: Post, data: DecisionInput) -> None:
    item.escalated = True
    raise_priority(item, Priority.URGENT)
    item.claimed_by, item.claimed_until = None, None
    log.record(
        actor=actor,
        action=AuditAction.ESCALATED,
        queue_item_id=item.pk,
        reason=data.reason,
        note=data.note,
        after={"priority": item.priority},
        **post_audit_ids(post),
    )
    from moderation.tasks import alert_admins_about_escalation

    # Robust: the decision stands even with the broker away (the escalated item waits in the admins' queue).
    transaction.on_commit(lambda: alert_admins_about_escalation.delay(item.pk), robust=True)


CONTENT_DECISIONS = {
    # decision: (audit action, new status, gone reason, what the author is told a moderator did)
    Decision.HIDE: (AuditAction.HIDDEN, ContentStatus.HIDDEN, GoneReason.HIDDEN_BY_MODERATORS, "hid"),
    Decision.REMOVE: (AuditAction.REMOVED, ContentStatus.REMOVED, GoneReason.MODERATED, "removed"),
    Decision.REDACT: (AuditAction.REDACTED, ContentStatus.PUBLISHED, "", "edited out personal details from"),
}


def _apply_content_decision(*, actor: User, item: QueueItem, post: Post, data: DecisionInput, now: datetime) -> None:
    decision = Decision(data.decision)
    common: dict[str, Any] = {
        "actor": actor,
        "post": post,
        "reason": data.reason or data.guideline,
        "note": data.note,
        "queue_item_id": item.pk,
    }
    if decision in (Decision.APPROVE, Decision.DISMISS):
        _dismiss_flags(item, now)
        was_pending = post.status == ContentStatus.PENDING
        restore = was_pending and decision == Decision.APPROVE
        restore = restore or (post.status == ContentStatus.HIDDEN and post.gone_reason == GoneReason.FLAGGED)
        notice = None
        if was_pending and decision == Decision.APPROVE:
            notice = AuthorNotice(
                NotificationKind.POST_APPROVED, f"Your post in “{post.topic.title}” was approved and is now visible."
            )
        apply_moderation(
            action=AuditAction.APPROVED if decision == Decision.APPROVE else AuditAction.DISMISSED,
            status=ContentStatus.PUBLISHED if restore else None,
            notice=notice,
            **common,
        )
        return
    action, status, gone_reason, what = CONTENT_DECISIONS[decision]
    if decision == Decision.REDACT:
        _dismiss_flags(item, now)
    appealable = decision == Decision.REMOVE
    message = _statement_of_reasons(post, data, what) + (" You can appeal this decision once." if appealable else "")
    notice = AuthorNotice(
        NotificationKind.MODERATION_DECISION,
        message,
        {
            "decision": data.decision,
            "reason": data.reason,
            "guideline": data.guideline,
            "note": data.note,
            "appealable": appealable,
        },
    )
    apply_moderation(
        action=action,
        status=status,
        gone_reason=gone_reason,
        new_body=data.redacted_body if decision == Decision.REDACT else None,
        notice=notice,
        **common,
    )


def _decide_appeal(*, actor: User, item: QueueItem, post: Post, data: DecisionInput) -> None:
    upheld = data.decision == Decision.APPROVE
    outcome = "restored your post" if upheld else "reviewed your appeal and kept the post removed"
    apply_moderation(
        actor=actor,
        post=post,
        action=AuditAction.APPEAL_UPHELD if upheld else AuditAction.APPEAL_REJECTED,
        status=ContentStatus.PUBLISHED if upheld else None,
        note=data.note,
        queue_item_id=item.pk,
        notice=AuthorNotice(
            NotificationKind.MODERATION_DECISION,
            f"A moderator {outcome} in “{post.topic.title}”. {data.note}".strip(),
            {"decision": data.decision, "appeal": True, "note": data.note},
        ),
    )


# --- Appeals -----------------------------------------------------------------------------------


@transaction.atomic
def file_appeal(*, actor: User, post: Post, statement: str) -> QueueItem:
    """The author of a removed post asks for another look, once. A different moderator decides it."""
    lock_member(actor.pk)  # the author's own write: their row first, as for every write of theirs
    post = lock_post(post.pk)
    if post.author_id != actor.pk:
        raise NotFound
    if post.status != ContentStatus.REMOVED or post.gone_reason != GoneReason.MODERATED:
        raise Invalid("Only posts removed by moderators can be appealed.", code="not_appealable")
    if QueueItem.objects.filter(post=post, kind=ItemKind.APPEAL).exists():
        raise Conflict("You have already appealed this decision.", code="already_appealed")
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
        raise Conflict("You have already appealed this decision.", code="already_appealed") from exc
    log.record(actor=actor, action=AuditAction.APPEALED, queue_item_id=item.pk, note=statement, **post_audit_ids(post))
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
    actor: User,
    member: User,
    kind: str,
    reason: str,
    until: datetime | None = None,
    queue_item: QueueItem | None = None,
) -> Sanction:
    """Warn, silence or suspend a member. Suspension ends every session the member has."""
    member = lock_member(member.pk, acting=False)
    check_can_sanction(actor, member, from_item=queue_item)
    now = timezone.now()
    if until is not None and until <= now:
        raise Invalid(
            "The end date must be in the future.", code="invalid", fields={"until": ["Must be in the future."]}
        )
    ends_at = None if kind == SanctionKind.WARN else until or now + default_duration(member)
    sanction = Sanction.objects.create(
        user=member,
        kind=kind,
        reason=reason[:500],
        starts_at=now,
        ends_at=ends_at,
        created_by=actor,
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
    log.record(
        actor=actor,
        action=AuditAction.SANCTIONED,
        target_user_id=member.pk,
        queue_item_id=queue_item.pk if queue_item else None,
        board_id=queue_item.board_id if queue_item else None,
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
def lift_sanction(*, actor: User, sanction: Sanction, note: str = "") -> bool:
    """End a sanction early. Returns False when it was already lifted or over."""
    sanction = Sanction.objects.select_for_update().select_related("user").get(pk=sanction.pk)
    check_can_sanction(actor, sanction.user)
    now = timezone.now()
    if sanction.lifted_at is not None or (sanction.ends_at is not None and sanction.ends_at <= now):
        return False
    sanction.lifted_at, sanction.lifted_by = now, actor
    sanction.save(update_fields=["lifted_at", "lifted_by"])
    member = lock_member(sanction.user_id, acting=False)
    _refresh_restrictions(member, now)
    log.record(
        actor=actor,
        action=AuditAction.SANCTION_LIFTED,
        target_user_id=member.pk,
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
def recompute_trust_level(*, actor: User | None = None, user: User) -> bool:
    """Store the member's trust level as of now. Returns True when it changed. ``actor`` None: the system."""
    now = timezone.now()
    level = compute_trust_level(user, now)
    changed = (
        User.objects.filter(pk=user.pk).exclude(trust_level=level).update(trust_level=level, trust_level_updated_at=now)
    )
    if changed:
        log.record(
            actor=actor,
            action=AuditAction.TRUST_CHANGED,
            target_user_id=user.pk,
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
    """The moderation queue's page, for reminder emails."""
    return f"{settings.SITE_URL}{reverse('web:mod-queue')}"
