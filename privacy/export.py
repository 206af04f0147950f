"""Everything the service holds about a member, as one JSON document (GDPR Art. 15 and 20).

One query per section, whatever the member wrote: a member with 10,000 posts is exported in
the same number of queries as one with three (``bench/export.py`` times it). Sections are
documented in ``privacy.serializers.ExportSchema``; what is left out, and why, is in the
README (Data rights).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import F, Q

from accounts.models import ConsentRecord, Profile, User
from accounts.services import PROFILE_FIELDS
from audit.models import AuditEntry
from community.models import (
    BoardFollow,
    Bookmark,
    DigestDelivery,
    Notification,
    Post,
    PostRevision,
    Reaction,
    TipOutcome,
    Topic,
    TopicFollow,
)
from moderation.models import Flag, ItemKind, QueueItem, Sanction

FORMAT_VERSION = 1

# What the member set in their profile, and when digests last went out.
EXPORTED_PROFILE_FIELDS = (*PROFILE_FIELDS, "last_digest_at", "updated_at")


def build_export(member: User, *, now: datetime) -> dict[str, Any]:
    """The member's data. Call inside a transaction holding the member's row lock: their own posting waits."""
    posts: list[dict[str, Any]] = [
        dict(row)
        for row in Post.objects.filter(author=member)
        .order_by("created_at", "pk")
        .values(
            "id",
            "topic_id",
            "is_first",
            "body",
            "status",
            "gone_reason",
            "medical_notice",
            "created_at",
            "edited_at",
        )
    ]
    revisions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        PostRevision.objects.filter(post__author=member)
        .order_by("created_at", "pk")
        .values("post_id", "body", "title", "editor_id", "created_at")
    ):
        revision: dict[str, Any] = dict(row)
        revision["edited_by"] = "you" if revision.pop("editor_id") == member.pk else "a moderator"
        revisions[revision.pop("post_id")].append(revision)
    for post in posts:
        post["topic"] = post.pop("topic_id")
        post["revisions"] = revisions.get(post["id"], [])
    return {
        "format_version": FORMAT_VERSION,
        "exported_at": now,
        "service": settings.SITE_NAME,
        "account": _account(member),
        "email_addresses": list(
            EmailAddress.objects.filter(user=member).order_by("pk").values("email", "verified", "primary")
        ),
        "profile": Profile.objects.filter(user=member).values(*EXPORTED_PROFILE_FIELDS).first(),
        "consents": list(
            ConsentRecord.objects.filter(user=member)
            .order_by("kind", "given_at", "pk")
            .values("kind", "version", "given_at", "withdrawn_at")
        ),
        "topics": list(
            Topic.objects.filter(author=member)
            .order_by("created_at", "pk")
            .values("id", "title", "kind", "tags", "status", "created_at", board_slug=F("board__slug"))
        ),
        "posts": posts,
        "reactions": list(
            Reaction.objects.filter(user=member).order_by("created_at", "pk").values("post_id", "kind", "created_at")
        ),
        "tip_outcomes": list(
            TipOutcome.objects.filter(user=member)
            .order_by("created_at", "pk")
            .values("topic_id", "helped", "created_at", "updated_at")
        ),
        "board_follows": list(
            BoardFollow.objects.filter(user=member)
            .order_by("created_at", "pk")
            .values("created_at", board_slug=F("board__slug"))
        ),
        "topic_follows": list(
            TopicFollow.objects.filter(user=member).order_by("created_at", "pk").values("topic_id", "created_at")
        ),
        "bookmarks": list(
            Bookmark.objects.filter(user=member).order_by("created_at", "pk").values("topic_id", "created_at")
        ),
        "notifications": list(
            Notification.objects.filter(recipient=member)
            .order_by("created_at", "pk")
            .values("kind", "message", "topic_id", "post_id", "created_at", "read_at")
        ),
        "flags_filed": list(
            Flag.objects.filter(reporter=member)
            .order_by("created_at", "pk")
            .values("post_id", "reason", "note", "created_at", "dismissed_at")
        ),
        "sanctions": list(
            Sanction.objects.filter(user=member)
            .order_by("starts_at", "pk")
            .values("kind", "reason", "starts_at", "ends_at", "lifted_at")
        ),
        "appeals": list(
            QueueItem.objects.filter(kind=ItemKind.APPEAL, post__author=member)
            .order_by("created_at", "pk")
            .values("post_id", "appeal_statement", "status", "decision", "created_at", "resolved_at")
        ),
        "digest_deliveries": list(
            DigestDelivery.objects.filter(user=member)
            .order_by("created_at", "pk")
            .values("period", "status", "attempts", "created_at", "sent_at")
        ),
        "audit_entries": _audit_entries(member),
    }


def _account(member: User) -> dict[str, Any]:
    return {
        "id": member.pk,
        "pseudonym": member.username,
        "email": member.email,
        "role": member.role,
        "trust_level": member.trust_level,
        "trust_level_updated_at": member.trust_level_updated_at,
        "date_joined": member.date_joined,
        "last_login": member.last_login,
        "silenced_until": member.silenced_until,
        "suspended_until": member.suspended_until,
        "data_exported_at": member.data_exported_at,
    }


def _audit_entries(member: User) -> list[dict[str, Any]]:
    """What was done to the member or their content, and what they did that the log records.

    The moderator's identity and internal notes are left out: they are other people's data
    (Art. 15(4)). What the member was told (the statement of reasons) is in notifications and
    sanctions.
    """
    rows = (
        AuditEntry.objects.filter(Q(target_user_id=member.pk) | Q(actor_id=member.pk))
        .order_by("created_at", "pk")
        .values("action", "actor_id", "reason", "board_id", "topic_id", "post_id", "before", "after", "created_at")
    )
    entries: list[dict[str, Any]] = []
    for row in rows:
        entry = dict(row)
        actor_id = entry.pop("actor_id")
        entry["by"] = "you" if actor_id == member.pk else ("the system" if actor_id is None else "a moderator")
        entries.append(entry)
    return entries
