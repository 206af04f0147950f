"""API clients as a given person."""

from rest_framework.test import APIClient

from accounts.models import User


def as_user(user: User) -> APIClient:
    """A client logged in as ``user`` (a session, as the browser client has)."""
    client = APIClient()
    client.force_login(user)
    return client
