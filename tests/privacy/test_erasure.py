"""Erasure (GDPR Art. 17): the member leaves without a trace of who they were.

The proof is :func:`find_traces`: after an erasure, every column of every table is searched for the
member's email, pseudonym and the words of their bio, revisions, appeal and (with "remove") posts.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import ConsentRecord, User
from audit.models import AuditAction, AuditEntry
from community.models import ContentStatus, Notification, Post, PostRevision, Reaction, TipOutcome, Topic
from community.services import recount_topic
from moderation.models import Flag
from tests.accounts.helpers import PASSWORD, error_params, post_json, signup_body
from tests.privacy.scene import APP, EMAIL, PSEUDONYM, Life, api, live_a_life
from tests.privacy.traces import find_traces

pytestmark = pytest.mark.django_db


def erase(life: Life, content: str, password: str = PASSWORD) -> Any:
    return api(life.app_token, "DELETE", "/api/v1/me/", {"password": password, "content": content})


@pytest.fixture
def life() -> Life:
    return live_a_life()


@pytest.mark.parametrize("content", ["remove", "keep"])
def test_after_erasure_no_table_holds_who_they_were(life: Life, content: str) -> None:
    assert find_traces([EMAIL, PSEUDONYM]), "the scan must see the member before the erasure"

    response = erase(life, content)

    assert response.status_code == 204, response.content
    hits = find_traces(life.private_words)
    assert hits == [], hits
    own = find_traces(life.own_words)
    if content == "remove":
        assert own == [], own
    else:
        # Only the posts they chose to keep (and other members' notifications quoting a kept title).
        allowed = {("community_post", "body"), ("community_post", "body_html"), ("community_topic", "title")}
        allowed |= {("community_notification", "message")}
        # On SQLite the search index keeps a copy of the kept posts' text (FTS5 and its shadow tables).
        kept_elsewhere = {(hit.table, hit.column) for hit in own if not hit.table.startswith("community_post_fts")}
        assert kept_elsewhere <= allowed, own
        assert {(hit.table, hit.column) for hit in own} >= {("community_post", "body")}


def test_remove_leaves_placeholders_and_counters_true(life: Life) -> None:
    reply_id, topic_id = life.reply.pk, life.topic.pk

    assert erase(life, "remove").status_code == 204

    posts = Post.objects.filter(pk__in=[reply_id, *life.topic.posts.filter(is_first=True).values_list("pk", flat=True)])
    assert {(p.status, p.gone_reason, p.body, p.author_id, p.author_name) for p in posts} == {
        (ContentStatus.REMOVED, "author_erased", "", None, "former member")
    }
    shown = Client().get(f"/api/v1/posts/{reply_id}/").json()
    assert shown["body_html"] is None
    assert shown["notice"] == "Removed at the author's request"
    assert shown["author"] == "former member"
    # Others replied in their topic: it stays, under a neutral title, so the replies keep their thread.
    thread = Client().get(f"/api/v1/topics/{topic_id}/posts/").json()["results"]
    assert [p["author"] for p in thread][1:] == [life.others[0].username, life.others[1].username]
    assert Topic.objects.get(pk=topic_id).title == "Removed at the author's request"
    assert not PostRevision.objects.filter(post_id=reply_id).exists()
    for topic_id in life.touched_topics:
        assert recount_topic(topic_id=topic_id) is False, f"topic {topic_id} had a counter left wrong"
    others_tip = Topic.objects.get(pk=life.others_tip.pk)
    assert (others_tip.outcome_tried, others_tip.outcome_helped) == (0, 0)


def test_keep_leaves_posts_readable_under_former_member(life: Life) -> None:
    assert erase(life, "keep").status_code == 204

    shown = Client().get(f"/api/v1/posts/{life.reply.pk}/").json()
    assert shown["author"] == "former member"
    assert "lighthouse stretching routine" in shown["body_html"]
    assert not PostRevision.objects.filter(post_id=life.reply.pk).exists()
    assert Topic.objects.get(pk=life.topic.pk).author_name == "former member"
    for topic_id in life.touched_topics:
        assert recount_topic(topic_id=topic_id) is False
    reactions_left = Post.objects.get(pk=life.others_topic.posts.get(is_first=True).pk).helpful_count
    assert reactions_left == 0


@pytest.mark.parametrize(
    "body",
    [
        {"password": "wrong-password-123", "content": "remove"},
        {"content": "remove"},
        {"password": "", "content": "keep"},
        {"password": PASSWORD},
        {"password": PASSWORD, "content": "shred"},
        {"password": PASSWORD, "content": "remove", "also": "everything"},
    ],
)
def test_a_wrong_or_missing_password_or_choice_is_a_400_and_changes_nothing(life: Life, body: dict) -> None:
    before = (Post.objects.filter(author=life.member).count(), Reaction.objects.filter(user=life.member).count())

    response = api(life.app_token, "DELETE", "/api/v1/me/", body)

    assert response.status_code == 400, response.content
    assert set(response.json()) >= {"detail", "code", "fields"}
    assert User.objects.filter(pk=life.member.pk, email=EMAIL).exists()
    assert (
        Post.objects.filter(author=life.member).count(),
        Reaction.objects.filter(user=life.member).count(),
    ) == before
    assert api(life.app_token, "GET", "/api/v1/me/").status_code == 200
    assert not AuditEntry.objects.filter(action=AuditAction.ACCOUNT_ERASED).exists()


def test_every_session_and_token_ends(life: Life) -> None:
    assert life.browser.get("/api/v1/me/").status_code == 200
    other_token = post_json(Client(), f"{APP}/auth/login", {"email": EMAIL, "password": PASSWORD}).json()["meta"][
        "session_token"
    ]

    assert erase(life, "keep").status_code == 204

    assert life.browser.get("/api/v1/me/").status_code in (401, 403)
    assert api(other_token, "GET", "/api/v1/me/").status_code == 401
    assert api(life.app_token, "GET", "/api/v1/me/").status_code == 401
    login = post_json(Client(), f"{APP}/auth/login", {"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 400


@pytest.mark.parametrize("name", [PSEUDONYM, PSEUDONYM.lower(), PSEUDONYM.upper()])
def test_the_pseudonym_is_retired_for_good(life: Life, name: str) -> None:
    assert erase(life, "remove").status_code == 204

    response = post_json(Client(), f"{APP}/auth/signup", signup_body(username=name, email="newcomer@example.org"))

    assert response.status_code == 400
    assert error_params(response) == {"username"}
    # The email address is free again: it is not kept anywhere.
    fresh = post_json(Client(), f"{APP}/auth/signup", signup_body(username="fresh_start", email=EMAIL))
    assert fresh.status_code == 401, fresh.content  # pending verification: accepted


def test_what_must_outlive_the_account_stays_without_identity(life: Life) -> None:
    member_id = life.member.pk

    assert erase(life, "remove").status_code == 204

    flag = Flag.objects.get(note__startswith="This looks like an advert")
    assert flag.reporter_id is None
    proofs = ConsentRecord.objects.filter(user__isnull=True, erased_at__isnull=False)
    assert {(p.kind, p.version) for p in proofs} == {
        ("guidelines", "2026-11"),
        ("health_data", "2026-11"),
        ("age_16_plus", "2026-11"),
    }
    entry = AuditEntry.objects.get(action=AuditAction.ACCOUNT_ERASED)
    assert (entry.actor_id, entry.target_user_id, entry.actor_label) == (member_id, member_id, f"member-{member_id}")
    assert entry.after["content"] == "remove"
    assert AuditEntry.objects.filter(target_user_id=member_id).count() > 3  # the history stays, under the id
    assert not EmailAddress.objects.filter(email__iexact=EMAIL).exists()
    assert not Notification.objects.filter(recipient_id=member_id).exists()
    assert not TipOutcome.objects.filter(user_id=member_id).exists()


def test_a_confirmation_goes_to_the_address_with_nothing_health_related_in_the_subject(
    life: Life, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert erase(life, "keep").status_code == 204

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert message.subject == "Your Support Circle account was closed"
    for word in ("spasm", "health", "twitch", "blepharo", "meige", "crisis", PSEUDONYM.lower()):
        assert word not in message.subject.lower()
    assert "former member" in str(message.body)


def test_visitors_and_other_members_cannot_erase_anyone(life: Life) -> None:
    assert (
        Client()
        .delete("/api/v1/me/", json.dumps({"password": PASSWORD, "content": "remove"}), content_type="application/json")
        .status_code
        == 401
    )
    assert User.objects.filter(pk=life.member.pk).exists()
