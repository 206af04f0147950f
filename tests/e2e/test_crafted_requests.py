"""Two crafted requests that used to crash the server: a decodable cursor and deeply nested JSON."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import pytest
from django.test import RequestFactory
from django.views.debug import get_exception_reporter_filter
from rest_framework.test import APIClient

from accounts.models import User
from config.middleware import MAX_JSON_DEPTH, json_depth
from tests.factories import BoardFactory, MemberFactory, make_topic


def crafted(position: str) -> str:
    return quote(base64.b64encode(f"p={position}".encode()).decode())


@pytest.mark.django_db
@pytest.mark.parametrize("position", ["x", "2020-13-45T99:99", "1e999x", "' OR 1=1 --", "\x00"])
def test_a_crafted_cursor_is_a_400_on_every_feed(moderator: User, position: str) -> None:
    board = BoardFactory.create()
    topic = make_topic(board=board, author=MemberFactory.create(), title="Crutch glasses")
    client = APIClient()
    client.force_login(moderator)
    feeds = [
        "/api/v1/tips/",
        f"/api/v1/boards/{board.slug}/topics/",
        f"/api/v1/boards/{board.slug}/topics/?sort=active",
        f"/api/v1/boards/{board.slug}/topics/?sort=helpful",
        f"/api/v1/topics/{topic.pk}/posts/",
        "/api/v1/notifications/",
        "/api/v1/moderation/queue/",
        "/api/v1/moderation/audit/",
        "/api/v1/welcome/",
        "/api/v1/search/?q=crutch",
    ]
    for feed in feeds:
        joiner = "&" if "?" in feed else "?"
        response = client.get(f"{feed}{joiner}cursor={crafted(position)}")
        assert response.status_code == 400, (feed, response.status_code)
        assert response.json()["code"] == "invalid_cursor"
        assert "cursor" in response.json()["fields"]
    garbage = client.get("/api/v1/tips/?cursor=%25%25not-base64")
    assert garbage.status_code == 400
    assert garbage.json()["code"] == "invalid_cursor"


@pytest.mark.django_db
def test_a_real_next_link_still_works(api: APIClient) -> None:
    board = BoardFactory.create()
    author = MemberFactory.create()
    for n in range(3):
        make_topic(board=board, author=author, title=f"Topic number {n}")
    first = api.get(f"/api/v1/boards/{board.slug}/topics/?page_size=2").json()
    second = api.get(first["next"])
    assert second.status_code == 200
    assert len(second.json()["results"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/_allauth/app/v1/auth/login", "/_allauth/browser/v1/auth/signup", "/api/v1/me/", "/api/v1/appeals/"]
)
def test_deeply_nested_json_is_a_400_everywhere(api: APIClient, path: str) -> None:
    body = "[" * 1500 + "]" * 1500

    response = api.generic("POST", path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"


def test_depth_counts_brackets_outside_strings_only() -> None:
    assert json_depth(b'{"a": [1, {"b": "[[[[["}]}') == 3
    assert json_depth(json.dumps({"bio": "\\" + "[" * 100}).encode()) == 1
    nested = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert json_depth(nested.encode()) == MAX_JSON_DEPTH


def test_error_reports_mask_passwords_inside_urls(settings: Any) -> None:
    settings.DATABASE_URL = "postgres://circle:hunter2-db@db.internal:5432/circle"
    settings.SMTP_URL = "smtp+tls://mailer:hunter2-smtp@mail.internal:587"
    settings.CACHES = {"default": {"LOCATION": "redis://:hunter2-redis@cache.internal:6379/0"}}
    request = RequestFactory().get("/")

    safe = get_exception_reporter_filter(request).get_safe_settings()

    shown = repr(safe)
    assert "hunter2" not in shown
    assert "postgres://circle:********************@db.internal:5432/circle" in shown


@pytest.mark.django_db
def test_a_csrf_failure_and_a_json_syntax_error_answer_in_the_error_shape() -> None:
    browser = APIClient(enforce_csrf_checks=True)
    csrf = browser.post("/_allauth/browser/v1/auth/login", {"email": "a@b.example", "password": "x"}, format="json")
    assert csrf.status_code == 403
    assert csrf.json()["code"] == "csrf_failed"

    member = MemberFactory.create()
    client = APIClient()
    client.force_login(member)
    broken = client.generic("PATCH", "/api/v1/me/", '{"bio": ', content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {"detail": "The request body is not valid JSON.", "code": "parse_error", "fields": {}}
