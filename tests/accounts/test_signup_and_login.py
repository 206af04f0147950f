"""Signup → code → verified → login → /api/v1/me/, for both allauth clients."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.consent import CURRENT_VERSIONS
from accounts.models import ConsentRecord, User
from tests.accounts.helpers import PASSWORD, code_from_last_mail, error_params, post_json, signup_body
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
BROWSER = "/_allauth/browser/v1"


def test_app_client_signup_verify_login_and_me() -> None:
    client = Client()
    response = post_json(client, f"{APP}/auth/signup", signup_body())
    # Verification is mandatory: signup answers 401 with the pending flow.
    assert response.status_code == 401
    body = response.json()
    assert {"id": "verify_email", "is_pending": True} in body["data"]["flows"]
    token = body["meta"]["session_token"]

    code = code_from_last_mail("river@example.org")
    response = post_json(client, f"{APP}/auth/email/verify", {"key": code}, **{"X-Session-Token": token})
    assert response.status_code == 200, response.content
    assert response.json()["meta"]["is_authenticated"] is True
    assert EmailAddress.objects.get(email="river@example.org").verified

    # A fresh login by email and password gives a session token for the API.
    login = post_json(Client(), f"{APP}/auth/login", {"email": "river@example.org", "password": PASSWORD})
    assert login.status_code == 200, login.content
    api_token = login.json()["meta"]["session_token"]

    me = Client().get("/api/v1/me/", headers={"X-Session-Token": api_token})
    assert me.status_code == 200
    assert me.json()["username"] == "quiet_river"
    assert me.json()["email"] == "river@example.org"
    assert {c["kind"] for c in me.json()["consents"]} == set(CURRENT_VERSIONS)


def test_browser_client_signup_verify_login_and_me_with_csrf() -> None:
    client = Client(enforce_csrf_checks=True)
    # The browser client needs the CSRF cookie first, as a single-page app would fetch it.
    client.get(f"{BROWSER}/config")
    assert client.get(f"{BROWSER}/auth/session").status_code == 401
    csrf = client.cookies["csrftoken"].value

    no_csrf = post_json(client, f"{BROWSER}/auth/signup", signup_body())
    assert no_csrf.status_code == 403

    response = post_json(client, f"{BROWSER}/auth/signup", signup_body(), **{"X-CSRFToken": csrf})
    assert response.status_code == 401
    code = code_from_last_mail("river@example.org")
    response = post_json(client, f"{BROWSER}/auth/email/verify", {"key": code}, **{"X-CSRFToken": csrf})
    assert response.status_code == 200, response.content

    session = client.get(f"{BROWSER}/auth/session")
    assert session.status_code == 200
    assert session.json()["data"]["user"]["username"] == "quiet_river"

    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "quiet_river"
    # Django rotates the CSRF token at login; a client reads the new cookie.
    csrf = client.cookies["csrftoken"].value
    # Session-authenticated writes need the CSRF token, as any cookie-based client would.
    assert client.patch("/api/v1/me/", data={"bio": "hi"}, content_type="application/json").status_code == 403
    patched = client.patch(
        "/api/v1/me/", data={"bio": "hi"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert patched.status_code == 200
    assert patched.json()["profile"]["bio"] == "hi"


def test_signup_records_each_consent_at_the_current_version() -> None:
    post_json(Client(), f"{APP}/auth/signup", signup_body())
    user = User.objects.get(username="quiet_river")
    records = {record.kind: record.version for record in ConsentRecord.objects.filter(user=user)}
    assert records == CURRENT_VERSIONS
    assert user.profile.bio_public is False
    assert user.profile.condition_public is False


@pytest.mark.parametrize("field", ["accept_guidelines", "health_data_consent", "age_confirmed"])
@pytest.mark.parametrize("value", [False, ..., None, "no", "yes", 1, "false"])
def test_each_consent_missing_or_false_is_a_400_naming_it(field: str, value: object) -> None:
    response = post_json(Client(), f"{APP}/auth/signup", signup_body(**{field: value}))
    assert response.status_code == 400
    assert error_params(response) == {field}
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "username",
    ["Dr_Sam", "DrSam", "dr-sam", "nurse_jo", "TheDoctor", "moderator", "site_admin", "staff1", "support", "sam_md"],
)
def test_titles_and_staff_like_pseudonyms_are_refused(username: str) -> None:
    response = post_json(Client(), f"{APP}/auth/signup", signup_body(username=username))
    assert response.status_code == 400
    assert error_params(response) == {"username"}
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ["ab", "x" * 31, "has space", "émile", "semi;colon", "former_member", "system"])
def test_malformed_and_reserved_pseudonyms_are_refused(username: str) -> None:
    response = post_json(Client(), f"{APP}/auth/signup", signup_body(username=username))
    assert response.status_code == 400
    assert "username" in error_params(response)


@pytest.mark.parametrize("username", ["drew", "Andrea_K", "blink-182", "modest_mo", "sunny_days"])
def test_ordinary_pseudonyms_are_accepted(username: str) -> None:
    response = post_json(Client(), f"{APP}/auth/signup", signup_body(username=username))
    assert response.status_code == 401  # created, pending verification
    assert User.objects.filter(username=username).exists()


def test_duplicate_username_in_any_case_is_refused() -> None:
    MemberFactory.create(username="Quiet_River")
    response = post_json(Client(), f"{APP}/auth/signup", signup_body(username="quiet_river", email="x@example.org"))
    assert response.status_code == 400
    assert error_params(response) == {"username"}
    assert User.objects.count() == 1


def test_signup_with_a_registered_email_in_any_case_reveals_nothing() -> None:
    MemberFactory.create(email="river@example.org", username="first_river")

    fresh = post_json(Client(), f"{APP}/auth/signup", signup_body(email="new@example.org", username="new_river"))
    again = post_json(Client(), f"{APP}/auth/signup", signup_body(email="RIVER@Example.org", username="second_river"))

    # The same answer as a brand-new signup: 401 with a pending verification.
    assert again.status_code == fresh.status_code == 401
    assert again.json()["data"]["flows"] == fresh.json()["data"]["flows"]
    assert not User.objects.filter(username="second_river").exists()
    # ... and the owner of the address learns that someone tried.
    to_owner = [m for m in mail.outbox if [a.lower() for a in m.to] == ["river@example.org"]]
    assert len(to_owner) == 1
    assert "already" in to_owner[0].body.lower()
    assert "second_river" not in to_owner[0].subject


def test_email_uniqueness_is_case_insensitive_in_the_database() -> None:
    from django.db import IntegrityError, transaction

    MemberFactory.create(email="river@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="other_one", email="River@Example.ORG", password=PASSWORD)


def test_logging_in_before_verifying_while_the_code_is_fresh_is_a_429_with_retry_after() -> None:
    # The code went out at signup; asking again within 3 minutes is refused by allauth's rate limit.
    assert post_json(Client(), f"{APP}/auth/signup", signup_body()).status_code == 401

    response = post_json(Client(), f"{APP}/auth/login", {"email": "river@example.org", "password": PASSWORD})

    assert response.status_code == 429, response.content
    assert response["Retry-After"] == "180"
