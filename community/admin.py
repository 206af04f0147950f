from django.contrib import admin

from community.models import Board


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_public", "is_archived"]
    list_editable = ["position", "is_public", "is_archived"]
    prepopulated_fields = {"slug": ["name"]}
