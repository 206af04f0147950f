from django.db.models import QuerySet
from django.http import Http404

from accounts.models import ConsentRecord, User


def get_member_by_pseudonym(username: str) -> User:
    """An active member by pseudonym (any case); 404 otherwise."""
    user = User.objects.select_related("profile").filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise Http404
    return user


def consents_of(user: User) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=user).order_by("kind", "-given_at")
