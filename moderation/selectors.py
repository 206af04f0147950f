"""Moderation reads, already narrowed to the moderator's boards."""

from __future__ import annotations

import statistics
from datetime import timedelta
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from community.models import Post
from community.permissions import moderated_board_ids
from moderation.models import Flag, ItemStatus, QueueItem, Sanction
from moderation.permissions import visible_queue

# The queue's order: most urgent first, then oldest (the ``queue_order`` index). The audit log: newest first.
QUEUE_ORDER = ("priority_rank", "created_at", "id")
AUDIT_ORDER = ("-created_at", "-id")


def queue_items(moderator: User, *, filters: dict[str, str]) -> QuerySet[QueueItem]:
    items = visible_queue(moderator).filter(status=filters.get("status") or ItemStatus.OPEN)
    if filters.get("priority"):
        items = items.filter(priority=filters["priority"])
    if filters.get("kind"):
        items = items.filter(kind=filters["kind"])
    if filters.get("board"):
        items = items.filter(board__slug=filters["board"])
    if filters.get("reason"):
        items = items.filter(reasons__icontains=f'"{filters["reason"]}')
    return with_details(items)


def with_details(items: QuerySet[QueueItem]) -> QuerySet[QueueItem]:
    return items.select_related("post__topic__board", "claimed_by").prefetch_related(
        Prefetch("flags", queryset=Flag.objects.select_related("reporter").order_by("created_at"))
    )


def member_sanctions(member: User) -> QuerySet[Sanction]:
    """Every sanction of the member, newest first. Sanctions apply site-wide, so every moderator sees them all."""
    return Sanction.objects.filter(user=member).select_related("created_by", "lifted_by").order_by("-starts_at", "-id")


def member_record(moderator: User, member: User, *, limit: int = 10) -> dict[str, Any]:
    """What a moderator weighs before deciding about a member's post: their latest posts and the queue's
    earlier decisions about them, on the boards this moderator moderates, and their sanctions."""
    posts = Post.objects.filter(author=member).select_related("topic__board").order_by("-created_at", "-id")
    scope = moderated_board_ids(moderator)
    if scope is not None:
        posts = posts.filter(topic__board_id__in=scope)
    decided = (
        visible_queue(moderator)
        .filter(post__author=member, status=ItemStatus.RESOLVED)
        .select_related("post__topic")
        .order_by("-resolved_at", "-id")
    )
    return {
        "posts": list(posts[:limit]),
        "decisions": list(decided[:limit]),
        "sanctions": list(member_sanctions(member)[:limit]),
    }


def audit_entries(moderator: User, *, filters: dict[str, str]) -> QuerySet[AuditEntry]:
    """The log, newest first; a board moderator sees the entries about their boards.
    Each entry carries ``target_username`` (the log itself stores ids only)."""
    usernames = User.objects.filter(pk=OuterRef("target_user_id")).values("username")[:1]
    entries = AuditEntry.objects.annotate(target_username=Subquery(usernames))
    scope = moderated_board_ids(moderator)
    if scope is not None:
        entries = entries.filter(board_id__in=scope)
    for name in ("action", "post", "topic", "queue_item"):
        if filters.get(name):
            column = name if name == "action" else f"{name}_id"
            entries = entries.filter(**{column: filters[name]})
    for name, column in (("user", "target_user_id"), ("actor", "actor_id")):
        if filters.get(name):
            people = User.objects.filter(username__iexact=filters[name]).values("pk")
            entries = entries.filter(**{f"{column}__in": people})
    return entries


def queue_stats(moderator: User) -> dict:
    items = visible_queue(moderator)
    open_counts = dict(
        items.filter(status=ItemStatus.OPEN)
        .values_list("priority")
        .annotate(n=Count("pk"))
        .values_list("priority", "n")
    )
    since = timezone.now() - timedelta(days=30)
    acted = items.filter(first_action_at__isnull=False, created_at__gte=since)
    waits = [
        (first - created).total_seconds()
        for created, first in acted.values_list("created_at", "first_action_at")
        if first is not None
    ]
    return {
        "open": {priority: open_counts.get(priority, 0) for priority in ("urgent", "high", "normal")},
        "escalated": items.filter(status=ItemStatus.OPEN, escalated=True).count(),
        "median_seconds_to_first_action": statistics.median(waits) if waits else None,
        "acted_on_last_30_days": len(waits),
    }
