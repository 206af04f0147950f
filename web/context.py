"""What the layout shows on every page: its links, who is signed in, their unread notifications, their role."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject

from accounts.models import User
from community import selectors
from community.permissions import is_member, is_moderator

LAYOUT_LINKS = {
    "home": "web:home",
    "search": "web:search",
    "notifications": "web:notifications",
    "mod_queue": "web:mod-queue",
    "profile": "web:profile",
    "logout": "account_logout",
    "login": "account_login",
    "signup": "account_signup",
    "help_now": "web:help-now",
    "guidelines": "web:guidelines",
    "api_docs": "api-docs",
}


@cache
def _layout_urls(script_prefix: str, urlconf: str | None) -> dict[str, str]:
    return {key: reverse(name, urlconf=urlconf) for key, name in LAYOUT_LINKS.items()}


def layout_urls() -> dict[str, str]:
    """The layout's links, reversed once per process (and script prefix) instead of a dozen times a page."""
    return _layout_urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def navigation(request: HttpRequest) -> dict[str, Any]:
    # An error page for a request that failed before authentication has no user: a visitor then.
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not is_member(user):
        return {
            "site_name": settings.SITE_NAME,
            "layout_urls": layout_urls(),
            "is_member": False,
            "is_moderator": False,
            "unread_notifications": 0,
        }
    return {
        "site_name": settings.SITE_NAME,
        "layout_urls": layout_urls(),
        "is_member": True,
        "is_moderator": is_moderator(user),
        # Counted only when the layout shows it (one query).
        "unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user)),
    }
