from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.ratelimit import respond_429
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse

from accounts.models import User
from accounts.permissions import login_ban
from accounts.pseudonyms import validate_pseudonym
from accounts.selectors import is_pseudonym_retired

LOGIN_RETRY_AFTER_SECONDS = 300


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        try:
            validate_pseudonym(username)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code=exc.code) from exc
        if not shallow and is_pseudonym_retired(username):
            # An erased member's name is never handed to someone else: others would take them for the
            # same person. Answered exactly like a name in use.
            raise self.validation_error("username_taken")
        return super().clean_username(username, shallow=shallow)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth answers an exhausted "login_failed" limit as a 400 form error;
        # clients rely on 429 (with Retry-After) to back off instead of retrying.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as exc:
            if getattr(exc, "code", None) != "too_many_login_attempts":
                raise
            response = respond_429(request)
            response["Retry-After"] = str(LOGIN_RETRY_AFTER_SECONDS)
            raise ImmediateHttpResponse(response) from exc

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        ban = login_ban(user) if isinstance(user, User) else None
        if ban is not None:
            # A clear refusal with the end date, not allauth's generic "inactive".
            raise ImmediateHttpResponse(
                JsonResponse(
                    {"detail": ban.message, "code": ban.code, "fields": {}, "until": ban.until.isoformat()},
                    status=403,
                )
            )
        return super().pre_login(request, user, **kwargs)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return getattr(settings, "SIGNUP_OPEN", True)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Without django.contrib.sites allauth names the request's host in its
        # emails; members should see the community's name and address.
        context = {"current_site": SiteIdentity(), **context}
        super().send_mail(template_prefix, email, context)


class SiteIdentity:
    """What allauth's email templates read from ``current_site``."""

    @property
    def name(self) -> str:
        return settings.SITE_NAME

    @property
    def domain(self) -> str:
        return urlsplit(settings.SITE_URL).netloc
