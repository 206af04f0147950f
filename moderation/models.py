"""Moderation records: screening terms, flags, the review queue, decisions, sanctions and appeals."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from community.models import Board, Post
from moderation.screening import Priority

# Screening defines the priorities (it cannot import the ORM); the queue stores them.
PRIORITY_CHOICES = [(priority.value, priority.value.capitalize()) for priority in Priority]
PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2}


class ScreeningCategory(models.TextChoices):
    CRISIS = "crisis", "Crisis language (published, urgent review)"
    STOP_MEDICATION = "stop_medication", "Stop-medication or avoid-care advice (high review)"
    MIRACLE_CURE = "miracle_cure", "Miracle-cure claims (high review)"
    SELLING = "selling", "Selling patterns (held)"
    BLOCKED_DOMAIN = "blocked_domain", "Blocked link domain (held)"


class ScreeningTerm(models.Model):
    """A phrase moderators add to a screening list, on top of the defaults in ``moderation/wordlists.py``."""

    category = models.CharField(max_length=32, choices=ScreeningCategory.choices)
    phrase = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "phrase"], name="screening_term_once")]

    def __str__(self) -> str:
        return f"{self.category}: {self.phrase}"


class ItemKind(models.TextChoices):
    CONTENT = "content", "Content review"
    APPEAL = "appeal", "Appeal"


class ItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    HIDE = "hide", "Hide"
    REMOVE = "remove", "Remove"
    REDACT = "redact", "Redact personal details"
    DISMISS = "dismiss", "Dismiss flags"
    ESCALATE = "escalate", "Escalate to admins"
    ERASE_ACCOUNT = "erase_account", "Account erased (by the member, or by moderators: under 16)"


class QueueItem(models.Model):
    """One open review per post (and kind): gathers its flags and screening reasons."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="queue_items")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ItemKind.choices, default=ItemKind.CONTENT)
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    priority = models.CharField(max_length=16, choices=PRIORITY_CHOICES, default=Priority.NORMAL)
    priority_rank = models.PositiveSmallIntegerField(default=PRIORITY_RANK[Priority.NORMAL])
    reasons = models.JSONField(default=list, blank=True)
    flag_score = models.PositiveIntegerField(default=0)
    escalated = models.BooleanField(default=False)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # For appeals: the moderator whose removal is appealed may not decide it.
    excluded_moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appeal_statement = models.TextField(blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    first_action_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # When moderators were told the item is urgent (in-app), and when the alert email went out: once each.
    alerted_at = models.DateTimeField(null=True, blank=True)
    alert_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "kind"], condition=Q(status="open"), name="one_open_item_per_post_and_kind"
            )
        ]
        indexes = [models.Index(fields=["status", "priority_rank", "created_at"], name="queue_order")]

    def __str__(self) -> str:
        return f"{self.kind} item {self.pk} ({self.priority}, {self.status})"


class FlagReason(models.TextChoices):
    AT_RISK = "at_risk", "Someone may be at risk"
    MEDICAL_MISINFORMATION = "medical_misinformation", "Medical misinformation"
    HARASSMENT = "harassment", "Harassment"
    SPAM_OR_SELLING = "spam_or_selling", "Spam or selling"
    PERSONAL_INFO = "personal_info", "Personal information"
    OFF_TOPIC = "off_topic", "Off topic"
    UNDER_AGE = "under_age", "Member may be under 16"
    OTHER = "other", "Other"


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    # None once the reporter erased their account: the flag concerns someone else's post and stays.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="flags_made"
    )
    reason = models.CharField(max_length=32, choices=FlagReason.choices)
    note = models.CharField(max_length=1000, blank=True)
    weight = models.PositiveSmallIntegerField()
    queue_item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="flags")
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], condition=Q(dismissed_at__isnull=True), name="one_live_flag_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} on post {self.post_id}"


class SanctionKind(models.TextChoices):
    WARN = "warn", "Warning"
    SILENCE = "silence", "Silenced (can read, cannot post or react)"
    SUSPEND = "suspend", "Suspended (cannot log in)"


class Sanction(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=16, choices=SanctionKind.choices)
    reason = models.CharField(max_length=500)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="sanctions_given"
    )
    queue_item = models.ForeignKey(QueueItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["user", "-starts_at"], name="sanction_history")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"
