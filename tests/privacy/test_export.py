"""Export (GDPR Art. 15 and 20): everything held about the member, in one download."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from community.models import Post
from tests.clients import as_user
from tests.factories import BoardFactory, MemberFactory, make_post, make_topic
from tests.privacy.scene import (
    APPEAL,
    BIO,
    EDITED_REPLY,
    EMAIL,
    FLAG_NOTE,
    OPENING,
    PSEUDONYM,
    REPLY,
    TOPIC_TITLE,
    Life,
    api,
    live_a_life,
)

pytestmark = pytest.mark.django_db

SECTIONS = {
    "format_version",
    "exported_at",
    "service",
    "account",
    "email_addresses",
    "profile",
    "consents",
    "topics",
    "posts",
    "reactions",
    "tip_outcomes",
    "board_follows",
    "topic_follows",
    "bookmarks",
    "notifications",
    "flags_filed",
    "sanctions",
    "appeals",
    "digest_deliveries",
    "audit_entries",
}


def test_the_export_holds_everything_about_the_member_and_nothing_about_who_reported_them() -> None:
    life: Life = live_a_life()

    response = api(life.app_token, "GET", "/api/v1/me/export/")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="support-circle-export-{today:%Y-%m-%d}.json"'
    data = response.json()
    assert set(data) == SECTIONS
    assert (data["account"]["pseudonym"], data["account"]["email"]) == (PSEUDONYM, EMAIL)
    assert [e["email"] for e in data["email_addresses"]] == [EMAIL]
    assert data["profile"]["bio"] == BIO
    assert {(c["kind"], c["version"]) for c in data["consents"]} == {
        ("guidelines", "2026-11"),
        ("health_data", "2026-11"),
        ("age_16_plus", "2026-11"),
    }
    assert TOPIC_TITLE in [t["title"] for t in data["topics"]]
    bodies = {p["body"] for p in data["posts"]}
    assert {OPENING, EDITED_REPLY} <= bodies
    reply = next(p for p in data["posts"] if p["id"] == life.reply.pk)
    assert [r["body"] for r in reply["revisions"]] == [REPLY]
    assert {r["kind"] for r in data["reactions"]} == {"helpful", "support"}
    assert [(o["topic_id"], o["helped"]) for o in data["tip_outcomes"]] == [(life.others_tip.pk, False)]
    assert len(data["board_follows"]) == 1
    assert [f["topic_id"] for f in data["topic_follows"]] == [life.others_topic.pk]
    assert [b["topic_id"] for b in data["bookmarks"]] == [life.others_tip.pk]
    assert {"reply", "followed_reply", "moderation_decision"} <= {n["kind"] for n in data["notifications"]}
    assert [f["note"] for f in data["flags_filed"]] == [FLAG_NOTE]
    assert [s["kind"] for s in data["sanctions"]] == ["warn"]
    assert [a["appeal_statement"] for a in data["appeals"]] == [APPEAL]
    assert [d["period"] for d in data["digest_deliveries"]] == ["weekly:2026-W40"]
    actions = {e["action"] for e in data["audit_entries"]}
    assert {"removed", "sanctioned", "appealed", "topic_changed"} <= actions
    # Who flagged them, and which moderator acted, are other people's data.
    text = json.dumps(data)
    assert life.moderator.username not in text
    assert "Selling again." not in text  # the note of the member who reported them
    assert not any(other.email in text for other in [*life.others, life.moderator])
    assert {e["by"] for e in data["audit_entries"]} <= {"you", "a moderator", "the system"}


def test_someone_elses_export_never_includes_this_member(db: None) -> None:
    member, other = MemberFactory.create(), MemberFactory.create()
    make_topic(board=BoardFactory.create(), author=member, title="Private to them")

    data = as_user(other).get("/api/v1/me/export/").json()

    assert data["account"]["pseudonym"] == other.username
    assert (data["topics"], data["posts"]) == ([], [])


def test_one_export_per_ten_minutes_then_429_with_retry_after(member: User) -> None:
    client = as_user(member)
    assert client.get("/api/v1/me/export/").status_code == 200

    again = client.get("/api/v1/me/export/")

    assert again.status_code == 429
    assert again.json()["code"] == "export_rate_limited"
    assert 590 <= int(again["Retry-After"]) <= 601
    User.objects.filter(pk=member.pk).update(data_exported_at=timezone.now() - timedelta(minutes=10, seconds=1))
    assert client.get("/api/v1/me/export/").status_code == 200


def test_a_failed_export_does_not_use_up_the_ten_minutes(member: User, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away mid-export")

    monkeypatch.setattr("privacy.services.build_export", broken)
    client = as_user(member)
    client.raise_request_exception = False
    assert client.get("/api/v1/me/export/").status_code == 500
    monkeypatch.undo()

    assert client.get("/api/v1/me/export/").status_code == 200


def test_visitors_get_401(api: object) -> None:
    assert api.get("/api/v1/me/export/").status_code == 401  # type: ignore[attr-defined]


def test_the_export_takes_the_same_number_of_queries_for_3_or_60_posts(member: User) -> None:
    board = BoardFactory.create()

    def queries_for_export() -> int:
        User.objects.filter(pk=member.pk).update(data_exported_at=None)
        with CaptureQueriesContext(connection) as captured:
            assert as_user(member).get("/api/v1/me/export/").status_code == 200
        return len(captured)

    topic = make_topic(board=board, author=member)
    make_post(topic=topic, author=member)
    small = queries_for_export()
    for n in range(20):
        extra = make_topic(board=board, author=member, title=f"Topic {n}")
        make_post(topic=extra, author=member, body=f"Reply {n}")
    assert Post.objects.filter(author=member).count() == 42

    assert queries_for_export() == small
