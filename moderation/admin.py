from django.contrib import admin
from django.http import HttpRequest

from moderation.models import AuditEntry, Flag, ModeratorScope, QueueItem, Sanction, ScreeningTerm


@admin.register(ScreeningTerm)
class ScreeningTermAdmin(admin.ModelAdmin):
    list_display = ["phrase", "category", "is_active", "created_at"]
    list_filter = ["category", "is_active"]
    search_fields = ["phrase"]


@admin.register(ModeratorScope)
class ModeratorScopeAdmin(admin.ModelAdmin):
    list_display = ["moderator", "board"]
    list_filter = ["board"]
    raw_id_fields = ["moderator"]


@admin.register(QueueItem)
class QueueItemAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "status", "priority", "board", "claimed_by", "created_at", "decision"]
    list_filter = ["status", "priority", "kind", "board"]
    raw_id_fields = ["post", "claimed_by", "resolved_by", "excluded_moderator"]
    readonly_fields = ["version"]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["post", "reason", "weight", "created_at", "dismissed_at"]
    list_filter = ["reason"]
    raw_id_fields = ["post", "reporter", "queue_item"]


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "starts_at", "ends_at", "lifted_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "created_by", "lifted_by", "queue_item"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for admins."""

    list_display = ["created_at", "actor_label", "action", "post", "target_user", "reason"]
    list_filter = ["action"]
    search_fields = ["actor_label", "reason", "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
