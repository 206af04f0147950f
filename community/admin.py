from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.admin import AuditedModelAdmin
from community.models import Board, ModeratorScope


@admin.register(Board)
class BoardAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "position", "is_public", "is_archived"]
    list_editable = ["position", "is_public", "is_archived"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Deleting a board would delete every member's posts in it: archive it instead.
        return False

    def audit_targets(self, obj: Any) -> dict[str, Any]:
        return {"board_id": obj.pk}


@admin.register(ModeratorScope)
class ModeratorScopeAdmin(AuditedModelAdmin):
    """Which boards a moderator is limited to: part of their role, so every change is audited."""

    list_display = ["moderator", "board"]
    list_filter = ["board"]
    raw_id_fields = ["moderator"]

    def audit_targets(self, obj: Any) -> dict[str, Any]:
        return {"target_user_id": obj.moderator_id, "board_id": obj.board_id}
