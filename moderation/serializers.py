from __future__ import annotations

from typing import Any

from rest_framework import serializers

from audit.models import AuditEntry
from community.serializers import CleanCharField
from config.serializers import StrictInputSerializer
from moderation.guidelines import Guideline, RemovalReason
from moderation.models import PRIORITY_CHOICES, Decision, FlagReason, ItemKind, ItemStatus, QueueItem, SanctionKind


class FlagInput(StrictInputSerializer):
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    note = CleanCharField(max_length=1000, required=False, allow_blank=True, default="", multiline=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["reason"] == FlagReason.OTHER and not attrs.get("note", "").strip():
            raise serializers.ValidationError({"note": ["Tell the moderators what is wrong."]})
        return attrs


class ClaimInput(StrictInputSerializer):
    takeover = serializers.BooleanField(required=False, default=False)


class SanctionInput(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=SanctionKind.choices)
    reason = CleanCharField(max_length=500, required=False, allow_blank=True, default="")
    until = serializers.DateTimeField(required=False, allow_null=True, default=None)


class DecideInput(StrictInputSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = serializers.ChoiceField(choices=RemovalReason.choices, required=False, allow_blank=True, default="")
    guideline = serializers.ChoiceField(choices=Guideline.choices, required=False, allow_blank=True, default="")
    note = CleanCharField(max_length=2000, required=False, allow_blank=True, default="", multiline=True)
    redacted_body = CleanCharField(max_length=20_000, required=False, allow_blank=True, default="", multiline=True)
    takeover = serializers.BooleanField(required=False, default=False)
    sanction = SanctionInput(required=False, allow_null=True, default=None)


class SanctionCreateInput(SanctionInput):
    reason = CleanCharField(max_length=500)


class LiftInput(StrictInputSerializer):
    note = CleanCharField(max_length=1000, required=False, allow_blank=True, default="")


class AppealInput(StrictInputSerializer):
    post = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    statement = CleanCharField(min_length=1, max_length=2000, multiline=True)


class QueueFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=ItemStatus.choices, required=False)
    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES, required=False)
    kind = serializers.ChoiceField(choices=ItemKind.choices, required=False)
    reason = serializers.RegexField(r"^[a-z_]{1,40}$", required=False)
    board = serializers.SlugField(required=False, max_length=64)


class AuditFilter(serializers.Serializer):
    action = serializers.CharField(required=False, max_length=32)
    post = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    topic = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    queue_item = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    user = serializers.CharField(required=False, max_length=30)
    actor = serializers.CharField(required=False, max_length=30)


def item_data(item: QueueItem) -> dict[str, Any]:
    post = item.post
    return {
        "id": item.pk,
        "kind": item.kind,
        "status": item.status,
        "priority": item.priority,
        "reasons": item.reasons,
        "flag_score": item.flag_score,
        "escalated": item.escalated,
        "claimed_by": item.claimed_by.username if item.claimed_by else None,
        "claimed_until": item.claimed_until,
        "version": item.version,
        "decision": item.decision or None,
        "appeal_statement": item.appeal_statement or None,
        "created_at": item.created_at,
        "post": {
            "id": post.pk,
            "topic": post.topic_id,
            "topic_title": post.topic.title,
            "board": post.topic.board.slug,
            "author": post.author_name,
            "is_first": post.is_first,
            "body": post.body,
            "body_html": post.body_html,
            "status": post.status,
            "medical_notice": post.medical_notice,
            "created_at": post.created_at,
            "edited_at": post.edited_at,
        },
        "flags": [
            {
                "reason": flag.reason,
                "note": flag.note,
                "weight": flag.weight,
                "reporter": flag.reporter.username if flag.reporter else "former member",
                "created_at": flag.created_at,
                "dismissed": flag.dismissed_at is not None,
            }
            for flag in item.flags.all()
        ],
    }


def audit_data(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "actor": entry.actor_label,
        "action": entry.action,
        "post": entry.post_id,
        "topic": entry.topic_id,
        "target_user": getattr(entry, "target_username", None),
        "queue_item": entry.queue_item_id,
        "reason": entry.reason,
        "note": entry.note,
        "before": entry.before,
        "after": entry.after,
        "created_at": entry.created_at,
    }


class QueuePostSchema(serializers.Serializer):
    id = serializers.IntegerField()
    topic = serializers.IntegerField()
    topic_title = serializers.CharField()
    board = serializers.CharField()
    author = serializers.CharField()
    is_first = serializers.BooleanField()
    body = serializers.CharField()
    body_html = serializers.CharField()
    status = serializers.CharField()
    medical_notice = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)


class QueueFlagSchema(serializers.Serializer):
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    note = serializers.CharField()
    weight = serializers.IntegerField()
    reporter = serializers.CharField()
    created_at = serializers.DateTimeField()
    dismissed = serializers.BooleanField()


class QueueReasonSchema(serializers.Serializer):
    reason = serializers.CharField()
    action = serializers.CharField()
    detail = serializers.CharField()


class QueueItemSchema(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    status = serializers.ChoiceField(choices=ItemStatus.choices)
    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES)
    reasons = QueueReasonSchema(many=True)
    flag_score = serializers.IntegerField()
    escalated = serializers.BooleanField()
    claimed_by = serializers.CharField(allow_null=True)
    claimed_until = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField(help_text="Send it back with decide; a stale version is a 409.")
    decision = serializers.CharField(allow_null=True)
    appeal_statement = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    post = QueuePostSchema()
    flags = QueueFlagSchema(many=True)


class AuditEntrySchema(serializers.Serializer):
    id = serializers.IntegerField()
    actor = serializers.CharField(help_text='"system" or a pseudonymous member id')
    action = serializers.CharField()
    post = serializers.IntegerField(allow_null=True)
    topic = serializers.IntegerField(allow_null=True)
    target_user = serializers.CharField(allow_null=True)
    queue_item = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    note = serializers.CharField()
    before = serializers.JSONField()
    after = serializers.JSONField()
    created_at = serializers.DateTimeField()
