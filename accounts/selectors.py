from django.db.models import Exists, OuterRef

from accounts.consent import ConsentKind, ConsentStanding, consent_standing
from accounts.models import ConsentRecord, RetiredPseudonym, User
from accounts.pseudonyms import retired_digests
from config.errors import Forbidden, NotFound

_STANDING = "_consent_standing"


def get_member_by_pseudonym(username: str) -> User:
    """An active member by pseudonym (any case); 404 otherwise."""
    user = User.objects.select_related("profile").filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise NotFound
    return user


def lock_member(member_id: int, *, acting: bool = True) -> User:
    """The member's row, locked: call inside a transaction, before any other lock. Serialises one
    member's writes with each other and with their erasure. If the account was erased meanwhile, the
    member acting is told so (403 ``account_closed``); a member acted upon is not found.

    ``FOR NO KEY UPDATE``: it excludes the same lock elsewhere, but not the key-share lock PostgreSQL
    takes when another transaction inserts a row pointing at the member (a reply notifying them), so
    that commit never waits on this one.
    """
    member = User.objects.select_for_update(no_key=True).filter(pk=member_id).first()
    if member is None:
        if acting:
            raise Forbidden("This account was closed.", code="account_closed")
        raise NotFound
    return member


def member_consent_standing(user: User) -> ConsentStanding:
    """The member's consents against the current texts: one query, remembered on the user for the request."""
    if _STANDING not in user.__dict__:
        records = ConsentRecord.objects.filter(user=user).values_list("kind", "version", "withdrawn_at")
        user.__dict__[_STANDING] = consent_standing(
            (kind, version, withdrawn_at is not None) for kind, version, withdrawn_at in records
        )
    return user.__dict__[_STANDING]


def forget_consent_standing(user: User) -> None:
    user.__dict__.pop(_STANDING, None)


def is_pseudonym_retired(name: str) -> bool:
    """Whether an erased member held this pseudonym (any case)."""
    return RetiredPseudonym.objects.filter(digest__in=retired_digests(name)).exists()


def consents_to_health_data(user_ref: str = "pk") -> Exists:
    """A filter: the member (``user_ref`` from the outer query) has health-data consent in force.

    Any version counts here: a new text asks members to agree again before they post, while what
    they already agreed to (a digest of what others wrote) goes on. Withdrawn: nothing goes on.
    """
    return Exists(
        ConsentRecord.objects.filter(user=OuterRef(user_ref), kind=ConsentKind.HEALTH_DATA, withdrawn_at__isnull=True)
    )
