"""The audit log in the admin (read-only), and the mixin that audits every admin save.

Rows that a service owns (sanctions, queue items, roles) are not saved through
:class:`AuditedModelAdmin`: their admins are read-only or call the service.
Everything else an admin can change goes through this mixin, so an admin
change leaves exactly one entry in the same transaction. Entries name the
fields that changed, never their values: a profile's fields are health details.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from audit import log
from audit.models import AuditAction, AuditEntry


def _object_type(obj: models.Model) -> str:
    return obj._meta.label_lower


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes one audit entry for each add, change and delete made in the admin."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        changed = sorted(form.changed_data)
        if change and not changed:
            return
        super().save_model(request, obj, form, change)
        log.record(
            actor=request.user,
            action=AuditAction.ADMIN_CHANGED if change else AuditAction.ADMIN_ADDED,
            object_type=_object_type(obj),
            object_id=str(obj.pk),
            after={"fields": changed},
            **self.audit_targets(obj),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._record_deleted(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self._record_deleted(request, obj)
        super().delete_queryset(request, queryset)

    def _record_deleted(self, request: HttpRequest, obj: Any) -> None:
        log.record(
            actor=request.user,
            action=AuditAction.ADMIN_DELETED,
            object_type=_object_type(obj),
            object_id=str(obj.pk),
            **self.audit_targets(obj),
        )

    def audit_targets(self, obj: Any) -> dict[str, Any]:
        """The audit columns this row fills (a member's row names the member, a board its board)."""
        return {}


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows only services write: visible to admins, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only, even for admins."""

    list_display = ["created_at", "actor_label", "action", "object_type", "object_id", "post_id", "target_user_id"]
    list_filter = ["action"]
    search_fields = ["actor_label", "reason", "note", "object_type"]
