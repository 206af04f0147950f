"""The append-only audit log: who did what to whose content, account, role or board.

It sits below every app so that any service can write its row in the same
transaction as the change. Targets are stored as plain ids, not foreign keys:
the log must outlive what it names (an erased member, a deleted post) and must
not depend on the apps above it.
"""

from django.core.exceptions import PermissionDenied
from django.db import models


class AuditAction(models.TextChoices):
    # The review queue and its decisions.
    SCREENED = "screened", "Post screened into the queue"
    FLAGGED = "flagged", "Post flagged"
    AUTO_HIDDEN = "auto_hidden", "Post hidden by flag score"
    CLAIMED = "claimed", "Queue item claimed"
    APPROVED = "approved", "Approved"
    HIDDEN = "hidden", "Hidden"
    REMOVED = "removed", "Removed"
    REDACTED = "redacted", "Redacted"
    DISMISSED = "dismissed", "Flags dismissed"
    ESCALATED = "escalated", "Escalated"
    APPEALED = "appealed", "Appeal filed"
    APPEAL_UPHELD = "appeal_upheld", "Appeal upheld"
    APPEAL_REJECTED = "appeal_rejected", "Appeal rejected"
    # Members' standing.
    SANCTIONED = "sanctioned", "Sanction applied"
    SANCTION_LIFTED = "sanction_lifted", "Sanction lifted"
    TRUST_CHANGED = "trust_changed", "Trust level changed"
    ROLE_CHANGED = "role_changed", "Role changed"
    # Someone else's content changed outside the queue.
    POST_EDITED = "post_edited", "Post edited by a moderator"
    TOPIC_CHANGED = "topic_changed", "Topic changed by a moderator"
    BOARD_CREATED = "board_created", "Board created"
    # Data rights.
    ACCOUNT_ERASED = "account_erased", "Account erased"
    # Anything saved in the Django admin that no service owns.
    ADMIN_ADDED = "admin_added", "Added in the admin"
    ADMIN_CHANGED = "admin_changed", "Changed in the admin"
    ADMIN_DELETED = "admin_deleted", "Deleted in the admin"


class AuditEntry(models.Model):
    """One action. Never updated, never deleted by the application."""

    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # "system" for automatic actions, else "member-<id>": stable, and names nobody once the member is erased.
    actor_label = models.CharField(max_length=40)
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    target_user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    board_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    topic_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    post_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    queue_item_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # For admin changes to rows no other column names ("community.board", "7").
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "-created_at"], name="audit_entry_by_action")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionDenied("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Audit entries are append-only.")
