"""The posting ban: one rule (``accounts.permissions``) for posting, editing, reacting, flagging and login."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import User
from accounts.permissions import check_can_post, login_ban, restriction
from config.errors import Forbidden

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("silenced", "suspended", "code"),
    [
        (NOW + timedelta(hours=1), None, "member_silenced"),
        (None, NOW + timedelta(days=3), "member_suspended"),
        (NOW + timedelta(hours=1), NOW + timedelta(days=3), "member_suspended"),
    ],
    ids=["silenced", "suspended", "both-suspension-wins"],
)
def test_a_sanction_in_force_is_the_restriction(
    silenced: datetime | None, suspended: datetime | None, code: str
) -> None:
    member = User(username="quiet_heron", silenced_until=silenced, suspended_until=suspended)

    ban = restriction(member, NOW)

    assert ban is not None
    assert ban.code == code
    assert ban.until == (suspended or silenced)
    assert ban.message.startswith("Your account is ")


@pytest.mark.parametrize(
    ("silenced", "suspended"),
    [(NOW - timedelta(seconds=1), None), (None, NOW - timedelta(seconds=1)), (NOW, None), (None, None)],
    ids=["silence-over", "suspension-over", "silence-ends-now", "never"],
)
def test_no_restriction_once_sanctions_have_ended(silenced: datetime | None, suspended: datetime | None) -> None:
    member = User(username="quiet_heron", silenced_until=silenced, suspended_until=suspended)

    assert restriction(member, NOW) is None


def test_check_can_post_refuses_with_the_code_and_end_date() -> None:
    until = datetime.now(tz=UTC) + timedelta(hours=2)
    member = User(username="quiet_heron", silenced_until=until)

    with pytest.raises(Forbidden) as refused:
        check_can_post(member)

    assert refused.value.code == "member_silenced"
    assert refused.value.extra == {"until": until.isoformat()}


def test_only_a_suspension_refuses_login() -> None:
    later = datetime.now(tz=UTC) + timedelta(hours=2)

    assert login_ban(User(username="quiet_heron", silenced_until=later)) is None
    assert login_ban(User(username="quiet_heron", suspended_until=later)).code == "member_suspended"  # type: ignore[union-attr]
