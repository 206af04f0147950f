"""What the layout shows on every page: who is signed in, their unread notifications, their role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.models import User
from community import selectors
from community.permissions import is_member, is_moderator


def navigation(request: HttpRequest) -> dict[str, Any]:
    # An error page for a request that failed before authentication has no user: a visitor then.
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not is_member(user):
        return {"site_name": settings.SITE_NAME, "is_member": False, "is_moderator": False, "unread_notifications": 0}
    return {
        "site_name": settings.SITE_NAME,
        "is_member": True,
        "is_moderator": is_moderator(user),
        # Counted only when the layout shows it (one query).
        "unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user)),
    }
