"""Moderation in the admin. The queue, flags and sanctions are written only by the services
(through the API), so their checks and audit always apply: here they are read-only."""

from django.contrib import admin

from audit.admin import AuditedModelAdmin, ReadOnlyAdmin
from moderation.models import Flag, QueueItem, Sanction, ScreeningTerm


@admin.register(ScreeningTerm)
class ScreeningTermAdmin(AuditedModelAdmin):
    list_display = ["phrase", "category", "is_active", "created_at"]
    list_filter = ["category", "is_active"]
    search_fields = ["phrase"]


@admin.register(QueueItem)
class QueueItemAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "status", "priority", "board", "claimed_by", "created_at", "decision"]
    list_filter = ["status", "priority", "kind", "board"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["post", "reason", "weight", "created_at", "dismissed_at"]
    list_filter = ["reason"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "starts_at", "ends_at", "lifted_at"]
    list_filter = ["kind"]
