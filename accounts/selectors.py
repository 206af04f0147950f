from accounts.models import User
from config.errors import NotFound


def get_member_by_pseudonym(username: str) -> User:
    """An active member by pseudonym (any case); 404 otherwise."""
    user = User.objects.select_related("profile").filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise NotFound
    return user
