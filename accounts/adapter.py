from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.ratelimit import respond_429
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.models import User
from accounts.permissions import login_ban
from accounts.pseudonyms import validate_pseudonym
from accounts.selectors import is_pseudonym_retired

LOGIN_RETRY_AFTER_SECONDS = 300
VERIFICATION_RETRY_AFTER_SECONDS = 180


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

    # Seconds until another login is taken: the failed-login window (5 per 5 minutes per address),
    # or, for an account whose verification code was sent a moment ago, the code's cooldown.
    retry_after = VERIFICATION_RETRY_AFTER_SECONDS

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        self.retry_after = LOGIN_RETRY_AFTER_SECONDS
        super().pre_authenticate(request, **credentials)
        self.retry_after = VERIFICATION_RETRY_AFTER_SECONDS

    def validation_error(self, code: str, *args: Any) -> ValidationError:
        # allauth refuses a rate-limited login as a 400 form error: after too many failed attempts, and
        # when the right password meets an unverified account whose code was just sent. Clients rely
        # on 429 with Retry-After to back off instead of retrying.
        if code == "too_many_login_attempts" and self.request is not None:
            response = respond_429(self.request)
            response["Retry-After"] = str(self.retry_after)
            raise ImmediateHttpResponse(response)
        return super().validation_error(code, *args)

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        ban = login_ban(user) if isinstance(user, User) else None
        if ban is not None:
            # A clear refusal with the end date, not allauth's generic "inactive": in the API's error
            # shape for its clients, as the site's error page for the login page.
            if request.path.startswith("/_allauth/"):
                response: HttpResponse = JsonResponse(
                    {"detail": ban.message, "code": ban.code, "fields": {}, "until": ban.until.isoformat()},
                    status=403,
                )
            else:
                response = render(request, "errors/page.html", {"status": 403, "detail": ban.message}, status=403)
            raise ImmediateHttpResponse(response)
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
