"""Every write to members' data goes through here."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.consent import CURRENT_VERSIONS, SIGNUP_CONSENT_FIELDS
from accounts.models import ConsentRecord, Profile, Role, User


@transaction.atomic
def record_signup_consents(*, user: User) -> list[ConsentRecord]:
    """Record the three consents every member gives at signup, at the current versions.

    The signup form refuses a signup without all three, so reaching here means
    each was given. Also creates the (empty, private) profile.
    """
    Profile.objects.get_or_create(user=user)
    now = timezone.now()
    records = []
    for kind in SIGNUP_CONSENT_FIELDS.values():
        record, _ = ConsentRecord.objects.get_or_create(
            user=user, kind=kind, version=CURRENT_VERSIONS[kind], defaults={"given_at": now}
        )
        records.append(record)
    return records


PROFILE_FIELDS = (
    "bio",
    "bio_public",
    "condition",
    "condition_public",
    "digest_frequency",
    "digest_hour",
    "timezone",
    "digest_discreet",
    "digest_paused_until",
)


@transaction.atomic
def update_profile(*, user: User, data: dict[str, Any]) -> Profile:
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    changed = [name for name in PROFILE_FIELDS if name in data and getattr(profile, name) != data[name]]
    for name in changed:
        setattr(profile, name, data[name])
    if changed:
        profile.full_clean()
        profile.save(update_fields=[*changed, "updated_at"])
    return profile


@transaction.atomic
def set_role(*, user: User, role: str) -> bool:
    """Grant or remove the moderator role. Returns False when nothing changed."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.role == role:
        return False
    locked.role = role
    locked.save(update_fields=["role"])
    user.role = role
    return True
