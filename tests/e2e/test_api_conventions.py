"""The error shape and bad-input handling that every client relies on."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"detail", "code", "fields"}


@pytest.fixture
def client_as_member() -> Client:
    client = Client()
    client.force_login(MemberFactory.create())
    return client


def test_malformed_json_is_a_400_in_the_error_shape(client_as_member: Client) -> None:
    response = client_as_member.patch("/api/v1/me/", data=b'{"bio": "unterminated', content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["code"] == "parse_error"


def test_wrong_content_type_is_a_415(client_as_member: Client) -> None:
    response = client_as_member.patch("/api/v1/me/", data="bio=hello", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    "body",
    [
        b'{"bio": "nul\\u0000byte"}',
        b'{"bio_public": 1e400}',
        b'{"bio_public": 123456789012345678901234567890}',
        b'{"bio": ' + b'"' + b"x" * 200_000 + b'"}',
        b"[1, 2, 3]",
        b'"just a string"',
        b"null",
        b'{"bio": {"nested": ["deep"]}}',
        b"\xff\xfe\x00garbage",
    ],
)
def test_hostile_bodies_are_4xx_never_500(client_as_member: Client, body: bytes) -> None:
    response = client_as_member.patch("/api/v1/me/", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert set(response.json()) == ERROR_KEYS


def test_a_body_over_the_size_limit_is_a_400(client_as_member: Client) -> None:
    body = b'{"bio": "' + b"x" * 400_000 + b'"}'
    response = client_as_member.patch("/api/v1/me/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "request_too_large"


def test_unknown_api_path_is_a_json_404() -> None:
    response = Client().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found", "fields": {}}


def test_method_not_allowed_is_in_the_error_shape(client_as_member: Client) -> None:
    response = client_as_member.delete("/api/v1/users/someone/")
    assert response.status_code == 405
    assert set(response.json()) == ERROR_KEYS


def test_openapi_schema_and_docs_are_served_without_a_cdn() -> None:
    schema = Client().get("/api/schema/")
    assert schema.status_code == 200
    docs = Client().get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html
    assert "unpkg" not in html
    allauth_spec = Client().get("/_allauth/openapi.json")
    assert allauth_spec.status_code == 200
    assert "/_allauth/app/v1/auth/signup" in str(allauth_spec.json()["paths"]) or allauth_spec.json()["paths"]
    allauth_docs = Client().get("/_allauth/openapi.html")
    assert allauth_docs.status_code == 200
    assert "cdn." not in allauth_docs.content.decode()
