"""What erasing a member means for the account itself (called by ``privacy.services`` only).

The account row goes, and with it (by cascade) the email addresses, profile, bio and
preferences, sanctions and every other row that belongs to the member alone. What must
outlive it is kept without identity: consent records as proof (kind, version, dates),
the pseudonym as a keyed hash so nobody can take it over.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from accounts.models import ConsentRecord, Profile, RetiredPseudonym, User
from accounts.pseudonyms import retired_digests


def end_sessions(member: User) -> int:
    """End every session (browser cookie or app session token) of the member, in the database and the cache.

    Sessions are not indexed by member, so the live ones are read; erasure is rare and this runs once.
    """
    store = SessionStore()
    ended = 0
    for key, data in (
        Session.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data").iterator()
    ):
        if store.decode(data).get("_auth_user_id") == str(member.pk):
            SessionStore(session_key=key).delete()
            ended += 1
    return ended


def forget_account(*, member: User) -> dict[str, int]:
    """Needs the member's row locked; runs last, once their content no longer points at them."""
    now = timezone.now()
    RetiredPseudonym.objects.get_or_create(digest=retired_digests(member.username)[0])
    consents = ConsentRecord.objects.filter(user=member).update(user=None, erased_at=now)
    counts = {"sessions_ended": end_sessions(member), "consent_records_anonymised": consents}
    _forget_admin_history(member)
    member.delete()
    return counts


def _forget_admin_history(member: User) -> None:
    """Django's own admin history names what it changed ("quiet_river", an email address): drop the
    lines about this member's rows. Our audit log keeps the record of those changes, under ids."""
    about = Q()
    for model, ids in (
        (User, [member.pk]),
        (Profile, list(Profile.objects.filter(user=member).values_list("pk", flat=True))),
        (EmailAddress, list(EmailAddress.objects.filter(user=member).values_list("pk", flat=True))),
    ):
        about |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids])
    LogEntry.objects.filter(about | Q(user=member)).delete()
