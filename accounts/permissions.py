"""Rules about members themselves, used by every app: one copy each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from accounts.models import User
from config.errors import Forbidden


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
    """The posting ban: a silenced or suspended member cannot post, edit, react, flag or record outcomes."""
    ban = restriction(user)
    if ban is not None:
        raise Forbidden(ban.message, code=ban.code, extra={"until": ban.until.isoformat()})


def login_ban(user: User) -> Restriction | None:
    """The suspension that refuses this member's login, if any."""
    ban = restriction(user)
    return ban if ban is not None and ban.code == "member_suspended" else None
