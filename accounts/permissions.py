"""Rules about members themselves, used by every app: one copy each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from accounts.consent import WITHDRAWAL_EFFECTS
from accounts.models import User
from accounts.selectors import member_consent_standing
from config.errors import Conflict, Forbidden


@dataclass(frozen=True)
class Restriction:
    """A sanction in force: ``member_suspended`` (cannot log in or post) or ``member_silenced`` (cannot post)."""

    code: str
    until: datetime

    @property
    def message(self) -> str:
        what = "suspended" if self.code == "member_suspended" else "silenced"
        return f"Your account is {what} until {self.until:%Y-%m-%d %H:%M} UTC."


def restriction(user: User, now: datetime | None = None) -> Restriction | None:
    """The posting ban in force for this member, suspension first; None when they may post."""
    now = now or timezone.now()
    for until, code in ((user.suspended_until, "member_suspended"), (user.silenced_until, "member_silenced")):
        if until is not None and until > now:
            return Restriction(code, until)
    return None


def check_can_post(user: User) -> None:
    """Whether the member may add to the community (post, edit, react, flag, record outcomes).

    Not while silenced or suspended; not after withdrawing a consent (403 ``consent_withdrawn``:
    their choice, until they give it again); not before agreeing to a new version of a consent
    text (409 ``consent_required``: agree again with ``PUT /api/v1/me/consents/{kind}/``).
    """
    ban = restriction(user)
    if ban is not None:
        raise Forbidden(ban.message, code=ban.code, extra={"until": ban.until.isoformat()})
    standing = member_consent_standing(user)
    if standing.withdrawn:
        kind = standing.withdrawn[0]
        raise Forbidden(
            f"You withdrew your consent ({', '.join(standing.withdrawn)}). {WITHDRAWAL_EFFECTS[kind]}",
            code="consent_withdrawn",
            extra={"consents": list(standing.withdrawn)},
        )
    if standing.required:
        raise Conflict(
            "Please read and agree to the updated texts before you post: "
            f"{', '.join(standing.required)} (PUT /api/v1/me/consents/{{kind}}/).",
            code="consent_required",
            extra={"consents": list(standing.required)},
        )


def login_ban(user: User) -> Restriction | None:
    """The suspension that refuses this member's login, if any."""
    ban = restriction(user)
    return ban if ban is not None and ban.code == "member_suspended" else None
