"""Members in the admin. Roles change only through ``accounts.services.set_role`` (audited);
trust levels are computed; admin rights are given on the command line (``createsuperuser``),
so no form here can grant them. Every other change is audited by :class:`AuditedModelAdmin`.
Django's groups are not used (the role field is the role), so they are not in the admin."""

from typing import Any, cast

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from accounts.models import ConsentRecord, Profile, User
from accounts.services import set_role
from audit import log
from audit.admin import AuditedModelAdmin, ReadOnlyAdmin
from audit.models import AuditAction


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    readonly_fields = [field.name for field in Profile._meta.concrete_fields if field.name != "id"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    readonly_fields = ["kind", "version", "given_at", "withdrawn_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
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
    readonly_fields = [
        "trust_level",
        "trust_level_updated_at",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
        "last_login",
        "date_joined",
    ]
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Members leave through erasure, which keeps the community's threads readable; never a raw delete.
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        if change and "role" in form.changed_data:
            # The role goes through its service (its checks, its audit entry); the rest is saved as usual.
            role = obj.role
            obj.role = form.initial["role"]
            form.changed_data.remove("role")
            super().save_model(request, obj, form, change)
            set_role(actor=cast(User, request.user), user=obj, role=role)
            return
        super().save_model(request, obj, form, change)

    def audit_targets(self, obj: Any) -> dict[str, Any]:
        return {"target_user_id": obj.pk}

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                log.record(
                    actor=request.user,
                    action=AuditAction.ADMIN_CHANGED,
                    object_type="accounts.user",
                    object_id=str(id),
                    target_user_id=int(id),
                    after={"fields": ["password"]},
                )
        return response


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    """A member's profile holds health details: admins may look, only the member edits it."""

    list_display = ["user", "condition_public", "bio_public", "updated_at"]
    search_fields = ["user__username"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    """Consent is given and withdrawn by the member; the admin shows the record."""

    list_display = ["user", "kind", "version", "given_at", "withdrawn_at"]
    list_filter = ["kind", "version"]
    search_fields = ["user__username"]


admin.site.unregister(Group)
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AuditedModelAdmin, BaseEmailAddressAdmin):
    """A member's sign-in addresses (allauth's admin, audited like every change to someone's account).
    Its bulk "make verified" action would update rows without an audit entry: verify one address at a time."""

    actions: list[str] = []

    def audit_targets(self, obj: Any) -> dict[str, Any]:
        return {"target_user_id": obj.user_id}
