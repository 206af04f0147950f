from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from accounts.models import ConsentRecord, Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    readonly_fields = ["kind", "version", "given_at", "withdrawn_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "trust_level", "is_active", "date_joined"]
    list_filter = ["role", "trust_level", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "email"]
    ordering = ["username"]
    inlines = [ProfileInline, ConsentInline]
    fieldsets = (
        (None, {"fields": ("username", "email", "password")}),
        ("Community", {"fields": ("role", "trust_level", "trust_level_updated_at")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "condition", "condition_public", "bio_public", "updated_at"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "version", "given_at", "withdrawn_at"]
    list_filter = ["kind", "version"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["user", "kind", "version", "given_at"]
