"""Every write to members' data goes through here."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.consent import CURRENT_VERSIONS, SIGNUP_CONSENT_FIELDS, ConsentKind
from accounts.models import ConsentRecord, Profile, Role, User
from accounts.selectors import forget_consent_standing, lock_member
from audit import log
from audit.models import AuditAction
from config.errors import Forbidden, Invalid, NotFound
from moderation.screening import MEDICAL_REASONS, NEW_MEMBER_HELD_POSTS, Action, AuthorFacts, resources_for, screen


@transaction.atomic
def record_signup_consents(*, actor: User) -> list[ConsentRecord]:
    """Record the three consents every member gives at signup, at the current versions.

    The signup form refuses a signup without all three, so reaching here means
    each was given. Also creates the (empty, private) profile.
    """
    user = actor
    Profile.objects.get_or_create(user=user)
    now = timezone.now()
    records = []
    for kind in SIGNUP_CONSENT_FIELDS.values():
        record, _ = ConsentRecord.objects.get_or_create(
            user=user, kind=kind, version=CURRENT_VERSIONS[kind], defaults={"given_at": now}
        )
        records.append(record)
    return records


def _consent_kind(kind: str) -> ConsentKind:
    if kind not in ConsentKind.values:
        raise NotFound(f"There is no consent called {kind!r}.", code="unknown_consent")
    return ConsentKind(kind)


@transaction.atomic
def give_consent(*, actor: User, kind: str) -> tuple[list[ConsentRecord], bool]:
    """Agree to the current text of a consent. Returns the member's records of that kind, newest
    first, and whether anything changed (agreeing again to the text in force is a no-op).

    Earlier records stay as the history.
    """
    kind = _consent_kind(kind)
    lock_member(actor.pk)  # one change at a time per member
    forget_consent_standing(actor)
    version = CURRENT_VERSIONS[kind]
    in_force = ConsentRecord.objects.filter(user=actor, kind=kind, version=version, withdrawn_at__isnull=True)
    created = not in_force.exists()
    if created:
        ConsentRecord.objects.create(user=actor, kind=kind, version=version, given_at=timezone.now())
    return _consent_history(actor, kind), created


@transaction.atomic
def withdraw_consent(*, actor: User, kind: str) -> tuple[list[ConsentRecord], bool]:
    """Withdraw a consent: as easy as giving it (GDPR Art. 7(3)). Returns the member's records of
    that kind, newest first, and whether anything changed (withdrawing twice is a no-op).

    Without health-data consent the member can no longer post (``check_can_post``) and gets no
    digests (``community.digests``); what they posted before stays until they erase it.
    """
    kind = _consent_kind(kind)
    lock_member(actor.pk)
    forget_consent_standing(actor)
    changed = ConsentRecord.objects.filter(user=actor, kind=kind, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    return _consent_history(actor, kind), bool(changed)


def _consent_history(member: User, kind: str) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(user=member, kind=kind).order_by("-given_at", "-pk"))


PROFILE_FIELDS = (
    "bio",
    "bio_public",
    "condition",
    "condition_public",
    "digest_frequency",
    "digest_hour",
    "timezone",
    "digest_discreet",
    "urgent_alert_email",
    "digest_paused_until",
)


@transaction.atomic
def update_profile(*, actor: User, data: dict[str, Any]) -> tuple[Profile, dict[str, Any] | None]:
    """Change the actor's own profile. Returns it and, when a new bio shows warning signs, the support resources."""
    lock_member(actor.pk)
    profile, _ = Profile.objects.select_for_update().get_or_create(user=actor)
    changed = [name for name in PROFILE_FIELDS if name in data and getattr(profile, name) != data[name]]
    resources = screen_bio(user=actor, bio=data["bio"]) if "bio" in changed and data["bio"] else None
    for name in changed:
        setattr(profile, name, data[name])
    if changed:
        profile.full_clean()
        profile.save(update_fields=[*changed, "updated_at"])
    return profile, resources


def screen_bio(*, user: User, bio: str) -> dict[str, Any] | None:
    """A bio is screened like a post, since others may read it.

    What would hold a post (contact details, links, selling) or mark it as medical advice
    is refused with a 400 on ``bio``: a profile has no review queue, and a refusal tells the
    member at once. Warning signs are never refused; the member gets the support resources.
    (The one import of moderation from accounts: the pure screening module, no ORM.)
    """
    facts = AuthorFacts(
        trust_level=user.trust_level,
        published_posts=NEW_MEMBER_HELD_POSTS,  # a bio is not one of a newcomer's first posts
        is_moderator=user.is_moderator,
    )
    verdict = screen(bio, facts, now=timezone.now())
    refused = [r.reason for r in verdict.reasons if r.action == Action.HOLD or r.reason in MEDICAL_REASONS]
    if refused:
        raise Invalid(
            "Your bio cannot include contact details, links to shops, selling or medical instructions. "
            "Please share those in a post, where moderators can review them.",
            code="bio_not_allowed",
            fields={"bio": [f"Not allowed in a bio: {', '.join(refused)}."]},
        )
    return resources_for(verdict)


@transaction.atomic
def set_role(*, actor: User | None, user: User, role: str) -> bool:
    """Grant or remove the moderator role (audited). Returns False when nothing changed.

    ``actor`` is the admin doing it; None when an operator runs ``manage.py set_role``.
    """
    if role not in Role.values:
        raise Invalid(f"Unknown role {role!r}.", code="invalid_role", fields={"role": [f"Use one of: {Role.values}."]})
    if actor is not None and not actor.is_superuser:
        raise Forbidden("Only admins change roles.", code="admin_only")
    locked = lock_member(user.pk, acting=False)
    if locked.role == role:
        return False
    log.record(
        actor=actor,
        action=AuditAction.ROLE_CHANGED,
        target_user_id=locked.pk,
        before={"role": locked.role},
        after={"role": role},
    )
    locked.role = role
    locked.save(update_fields=["role"])
    user.role = role
    return True
