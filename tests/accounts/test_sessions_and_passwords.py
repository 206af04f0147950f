"""Login, logout, 401/403, rate limits and password reset by code."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from tests.accounts.helpers import PASSWORD, code_from_last_mail, post_json
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"


def login_token(email: str, password: str = PASSWORD) -> str:
    response = post_json(Client(), f"{APP}/auth/login", {"email": email, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def test_logout_kills_the_token() -> None:
    member = MemberFactory.create()
    token = login_token(member.email)
    assert Client().get("/api/v1/me/", headers={"X-Session-Token": token}).status_code == 200

    logout = Client().delete(f"{APP}/auth/session", headers={"X-Session-Token": token})
    assert logout.status_code == 401  # allauth: "you are now logged out"

    after = Client().get("/api/v1/me/", headers={"X-Session-Token": token})
    assert after.status_code == 401


def test_anonymous_is_401_with_a_challenge_and_not_403() -> None:
    response = Client().get("/api/v1/me/")
    assert response.status_code == 401
    assert "X-Session-Token" in response["WWW-Authenticate"]
    assert response.json()["code"] == "not_authenticated"
    assert set(response.json()) == {"detail", "code", "fields"}


def test_garbage_token_is_401() -> None:
    response = Client().get("/api/v1/me/", headers={"X-Session-Token": "not-a-real-token"})
    assert response.status_code == 401


def test_wrong_password_is_400_and_repeated_failures_hit_the_rate_limit() -> None:
    member = MemberFactory.create()
    statuses = [
        post_json(Client(), f"{APP}/auth/login", {"email": member.email, "password": "wrong-password-1"}).status_code
        for _ in range(7)
    ]
    assert statuses[0] == 400
    assert 429 in statuses
    # Once limited, even the right password waits: that is what stops guessing.
    assert post_json(Client(), f"{APP}/auth/login", {"email": member.email, "password": PASSWORD}).status_code == 429


def test_unverified_member_cannot_log_in_until_verified() -> None:
    from allauth.account.models import EmailAddress

    member = MemberFactory.create()
    EmailAddress.objects.filter(user=member).update(verified=False)
    response = post_json(Client(), f"{APP}/auth/login", {"email": member.email, "password": PASSWORD})
    assert response.status_code == 401
    assert {"id": "verify_email", "is_pending": True} in response.json()["data"]["flows"]
    assert response.json()["meta"]["is_authenticated"] is False


def test_password_reset_by_code() -> None:
    member = MemberFactory.create()
    client = Client()
    request = post_json(client, f"{APP}/auth/password/request", {"email": member.email.upper()})
    assert request.status_code == 401  # pending password_reset_by_code flow
    token = request.json()["meta"]["session_token"]
    code = code_from_last_mail(member.email)

    check = client.get(f"{APP}/auth/password/reset", headers={"X-Password-Reset-Key": code, "X-Session-Token": token})
    assert check.status_code == 200, check.content
    reset = post_json(
        client,
        f"{APP}/auth/password/reset",
        {"key": code, "password": "a-new-long-passphrase-7"},
        **{"X-Session-Token": token},
    )
    assert reset.status_code in (200, 401), reset.content
    assert login_token(member.email, "a-new-long-passphrase-7")
    assert post_json(Client(), f"{APP}/auth/login", {"email": member.email, "password": PASSWORD}).status_code == 400


def test_password_reset_for_an_unknown_address_looks_the_same() -> None:
    member = MemberFactory.create()
    known = post_json(Client(), f"{APP}/auth/password/request", {"email": member.email})
    unknown = post_json(Client(), f"{APP}/auth/password/request", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 401
    assert known.json()["data"]["flows"] == unknown.json()["data"]["flows"]
    # The unknown address gets a note (not a code), and nothing crashes building its links.
    to_unknown = [m for m in mail.outbox if m.to == ["nobody@example.org"]]
    assert len(to_unknown) == 1
