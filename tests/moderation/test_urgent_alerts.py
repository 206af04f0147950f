"""Moderators hear of an urgent item at once: in-app for everyone whose scope covers the board, one email per item."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import Profile, User
from community.models import ModeratorScope, Notification, NotificationKind, Post
from moderation.alerts import ALERT_SUBJECT, send_alert_email
from moderation.models import Priority, QueueItem
from tests.clients import as_user
from tests.community.smtp_sink import SmtpSink
from tests.factories import (
    AdminFactory,
    BoardFactory,
    MemberFactory,
    ModeratorFactory,
    NewMemberFactory,
)
from tests.waiting import WorkerTasks

CRISIS_BODY = "The injections stopped working and honestly some days I dont want to be alive anymore"


def moderation_team(board_id: int) -> dict[str, User]:
    other_board = BoardFactory.create()
    team = {
        "everywhere": ModeratorFactory.create(),
        "this_board": ModeratorFactory.create(),
        "other_board": ModeratorFactory.create(),
        "admin": AdminFactory.create(),
        "opted_out": ModeratorFactory.create(),
        "member": MemberFactory.create(),
    }
    ModeratorScope.objects.create(moderator=team["this_board"], board_id=board_id)
    ModeratorScope.objects.create(moderator=team["other_board"], board=other_board)
    return team


def post_topic(author: User, board_slug: str, title: str, body: str, kind: str = "experience") -> dict[str, Any]:
    response = as_user(author).post(
        f"/api/v1/boards/{board_slug}/topics/",
        {"title": title, "kind": kind, "tags": [], "body": body},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def post_crisis_topic(author: User, board_slug: str) -> dict[str, Any]:
    return post_topic(author, board_slug, "A hard few weeks", CRISIS_BODY)


@pytest.mark.django_db
def test_a_new_members_crisis_post_is_published_queued_urgent_and_every_covering_moderator_is_told(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    board = BoardFactory.create()
    team = moderation_team(board.pk)
    opt_out = as_user(team["opted_out"]).patch("/api/v1/me/", {"urgent_alert_email": False}, format="json")
    assert opt_out.status_code == 200
    assert opt_out.json()["profile"]["urgent_alert_email"] is False

    with django_capture_on_commit_callbacks(execute=True):
        data = post_crisis_topic(NewMemberFactory.create(), board.slug)

    assert data["status"] == "published"
    assert data["resources"]
    assert "crisis_language" in {entry["reason"] for entry in data["screening"]}
    item = QueueItem.objects.get(post__topic_id=data["id"])
    assert item.priority == Priority.URGENT
    assert item.alerted_at is not None
    assert item.alert_emailed_at is not None

    told = set(
        Notification.objects.filter(kind=NotificationKind.URGENT_REVIEW).values_list("recipient__username", flat=True)
    )
    assert told == {team[name].username for name in ("everywhere", "this_board", "admin", "opted_out")}
    notice = Notification.objects.filter(kind=NotificationKind.URGENT_REVIEW).first()
    assert notice is not None
    assert notice.data == {"queue_item": item.pk}
    assert notice.topic_id is None

    emailed = sorted(address for message in mail.outbox for address in message.to)
    assert emailed == sorted(team[name].email for name in ("everywhere", "this_board", "admin"))
    for message in mail.outbox:
        assert len(message.to) == 1  # no moderator sees another's address
        assert message.subject == ALERT_SUBJECT
        assert f"/moderation/queue/{item.pk}/" in message.body
        assert "alive" not in message.body
        assert "A hard few weeks" not in message.body
        assert "injection" not in message.body.lower()


@pytest.mark.django_db
def test_the_same_item_alerts_once_however_often_it_is_screened_or_the_task_runs(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    board = BoardFactory.create()
    ModeratorFactory.create()
    author = MemberFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        data = post_crisis_topic(author, board.slug)
    post = Post.objects.get(topic_id=data["id"])
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        edited = as_user(author).patch(
            f"/api/v1/posts/{post.pk}/", {"body": CRISIS_BODY + ". I want to die"}, format="json"
        )
    assert edited.status_code == 200, edited.content
    assert callbacks == []  # nothing enqueued: the item was alerted already
    item = QueueItem.objects.get(post=post)
    assert send_alert_email(item.pk) == 0  # a redelivered task sends nothing
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(kind=NotificationKind.URGENT_REVIEW).count() == 1


@pytest.mark.django_db
def test_an_ordinary_high_priority_item_alerts_no_one(django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    board = BoardFactory.create()
    ModeratorFactory.create()
    author = MemberFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        data = post_topic(author, board.slug, "What worked on dosing", "just take 40 mg of baclofen, double it", "tip")
    assert QueueItem.objects.get(post__topic_id=data["id"]).priority == Priority.HIGH
    assert mail.outbox == []
    assert not Notification.objects.filter(kind=NotificationKind.URGENT_REVIEW).exists()


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_each_moderator_once_through_smtp(real_worker: None, settings: Any) -> None:
    settings.SITE_URL = "https://support-circle.example.org"
    board = BoardFactory.create()
    moderators = [ModeratorFactory.create() for _ in range(2)]
    quiet = ModeratorFactory.create()
    Profile.objects.update_or_create(user=quiet, defaults={"urgent_alert_email": False})
    with SmtpSink() as sink, WorkerTasks() as tasks:
        settings.MAILERS = {"default": sink.mailer_settings()}
        data = post_crisis_topic(NewMemberFactory.create(), board.slug)
        item = QueueItem.objects.get(post__topic_id=data["id"])
        # Every task the post sent has finished before the sink is read, so a mail to the
        # moderator who opted out, or a second alert, would already be there.
        assert tasks.wait_idle(), "a task the post sent did not finish"
        assert [run.retval for run in tasks.finished("moderation.email_urgent_alert")] == [2]
        assert QueueItem.objects.filter(pk=item.pk, alert_emailed_at__isnull=False).exists()
        received = sorted(address for message in sink.messages for address in message["to"])
    assert received == sorted(m.email for m in moderators)
    raw = sink.messages[0]["raw"]
    assert f"Subject: {ALERT_SUBJECT}".encode() in raw
    assert f"https://support-circle.example.org/moderation/queue/{item.pk}/".encode() in raw
    assert b"alive" not in raw


# --- Everything a member writes is screened: titles on edit, bios ------------------------------


@pytest.mark.django_db
def test_a_title_edited_to_contact_details_holds_the_topic_and_queues_it() -> None:
    author = MemberFactory.create()
    board = BoardFactory.create()
    created = post_topic(author, board.slug, "Sunglasses indoors", "Wraparound ones help me most.", "tip")
    assert created["status"] == "published"
    topic_id = created["id"]

    response = as_user(author).patch(
        f"/api/v1/topics/{topic_id}/", {"title": "DM alice.real@gmail.com or call +1 555 123 4567"}, format="json"
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "pending"
    assert "contains_email" in {entry["reason"] for entry in data["screening"]}
    assert QueueItem.objects.filter(post__topic_id=topic_id, status="open").exists()
    assert APIClient().get(f"/api/v1/topics/{topic_id}/").status_code == 404  # visitors no longer see it


@pytest.mark.django_db
def test_a_title_in_crisis_gets_resources_and_an_urgent_item() -> None:
    author = MemberFactory.create()
    board = BoardFactory.create()
    topic_id = post_topic(author, board.slug, "Week three after botox", "Still twitching a bit.")["id"]

    response = as_user(author).patch(f"/api/v1/topics/{topic_id}/", {"title": "I want to end it all"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert response.json()["resources"]
    assert QueueItem.objects.get(post__topic_id=topic_id).priority == Priority.URGENT


@pytest.mark.django_db
def test_a_bio_with_contact_details_or_medical_instructions_is_refused_on_bio() -> None:
    member = MemberFactory.create()
    for bio in ("Email me at sam.twitch@example.com", "Just stop your botox, the shots are poison"):
        response = as_user(member).patch("/api/v1/me/", {"bio": bio}, format="json")
        assert response.status_code == 400, bio
        body = response.json()
        assert body["code"] == "bio_not_allowed"
        assert "bio" in body["fields"]
    assert Profile.objects.get(user=member).bio == ""


@pytest.mark.django_db
def test_a_bio_with_warning_signs_is_kept_and_answered_with_resources() -> None:
    member = MemberFactory.create()

    response = as_user(member).patch(
        "/api/v1/me/", {"bio": "Living with HFS. Most days I feel like a burden."}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["resources"]
    assert response.json()["profile"]["bio"].startswith("Living with HFS")
