"""Nothing lost, nothing doubled: idempotency keys, duplicate refusal and posting limits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import TrustLevel, User
from community.models import IdempotencyRecord, Post, Topic
from community.tasks import purge_idempotency_keys
from community.throttles import record_post
from tests.factories import BoardFactory, MemberFactory, NewMemberFactory, make_topic

pytestmark = pytest.mark.django_db

TOPIC = {
    "title": "Caffeine and my eyelids",
    "kind": "experience",
    "tags": ["caffeine"],
    "body": "Cutting coffee helped.",
}


def post_topic(client: APIClient, slug: str, body: dict[str, Any] | None = None, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/boards/{slug}/topics/", body or TOPIC, format="json", headers=headers)


def age_posts(user: User, seconds: int = 10) -> None:
    """Move the member's posts back in time, as if they had waited."""
    for post in Post.objects.filter(author=user):
        Post.objects.filter(pk=post.pk).update(created_at=post.created_at - timedelta(seconds=seconds))
    for topic in Topic.objects.filter(author=user):
        Topic.objects.filter(pk=topic.pk).update(created_at=topic.created_at - timedelta(seconds=seconds))


def test_a_retry_with_the_same_key_returns_the_first_answer_and_creates_nothing(member_api: APIClient) -> None:
    board = BoardFactory.create()
    first = post_topic(member_api, board.slug, key="3f1c-retry-1")
    retry = post_topic(member_api, board.slug, key="3f1c-retry-1")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Topic.objects.count() == 1
    assert Post.objects.count() == 1


def test_a_replay_is_answered_before_any_throttle(member_api: APIClient) -> None:
    board = BoardFactory.create()
    first = post_topic(member_api, board.slug, key="before-throttle")
    # Within the 5-second burst window a new post would be a 429, but a retry is not a new post.
    assert post_topic(member_api, board.slug, {**TOPIC, "title": "Another one entirely"}).status_code == 429
    retry = post_topic(member_api, board.slug, key="before-throttle")
    assert retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]


def test_the_same_key_with_another_body_is_a_422(member_api: APIClient) -> None:
    board = BoardFactory.create()
    post_topic(member_api, board.slug, key="one-key")
    other = post_topic(member_api, board.slug, {**TOPIC, "title": "A different topic"}, key="one-key")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Topic.objects.count() == 1


def test_keys_belong_to_one_member(member_api: APIClient) -> None:
    board = BoardFactory.create()
    post_topic(member_api, board.slug, key="shared-key")
    other = APIClient()
    other.force_login(MemberFactory.create())
    assert post_topic(other, board.slug, key="shared-key").status_code == 201
    assert Topic.objects.count() == 2


def test_replies_take_idempotency_keys_too(member_api: APIClient) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    url = f"/api/v1/topics/{topic.pk}/posts/"
    first = member_api.post(url, {"body": "Thinking of you."}, format="json", headers={"Idempotency-Key": "r-1"})
    retry = member_api.post(url, {"body": "Thinking of you."}, format="json", headers={"Idempotency-Key": "r-1"})
    assert retry.json()["id"] == first.json()["id"]
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_a_malformed_key_is_a_400(member_api: APIClient) -> None:
    board = BoardFactory.create()
    response = post_topic(member_api, board.slug, key="has spaces in it")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert not Topic.objects.exists()


def test_failed_requests_are_not_remembered(member_api: APIClient) -> None:
    board = BoardFactory.create()
    bad = post_topic(member_api, board.slug, {**TOPIC, "title": "no"}, key="fix-and-retry")
    assert bad.status_code == 400
    good = post_topic(member_api, board.slug, {**TOPIC, "title": "Now a proper title"}, key="fix-and-retry")
    assert good.status_code == 201


def test_expired_records_are_purged_and_the_task_is_idempotent(member_api: APIClient) -> None:
    board = BoardFactory.create()
    post_topic(member_api, board.slug, key="old-key")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_idempotency_keys() == 1
    assert purge_idempotency_keys() == 0
    assert not IdempotencyRecord.objects.exists()


def test_the_same_text_twice_in_a_topic_within_five_minutes_is_a_409(member_api: APIClient, member: User) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    url = f"/api/v1/topics/{topic.pk}/posts/"
    assert member_api.post(url, {"body": "So sorry to hear this."}, format="json").status_code == 201
    age_posts(member)
    client_cache_reset(member)
    again = member_api.post(url, {"body": "  so SORRY to hear   this. "}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_post"
    assert Post.objects.filter(topic=topic, author=member).count() == 1
    # After the window it is allowed: people do say the same kind thing again.
    Post.objects.filter(author=member).update(created_at=timezone.now() - timedelta(minutes=6))
    client_cache_reset(member)
    assert member_api.post(url, {"body": "So sorry to hear this."}, format="json").status_code == 201


def test_one_post_per_five_seconds_with_retry_after(member_api: APIClient, member: User) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    url = f"/api/v1/topics/{topic.pk}/posts/"
    assert member_api.post(url, {"body": "First thought."}, format="json").status_code == 201
    second = member_api.post(url, {"body": "Second thought."}, format="json")
    assert second.status_code == 429
    assert 1 <= int(second["Retry-After"]) <= 5
    assert set(second.json()) >= {"detail", "code", "fields"}


def test_new_members_get_three_topics_a_day_counted_in_the_database(db: None) -> None:
    newcomer = NewMemberFactory.create()
    client = APIClient()
    client.force_login(newcomer)
    board = BoardFactory.create()
    for i in range(3):
        assert post_topic(client, board.slug, {**TOPIC, "title": f"My question number {i}"}).status_code == 201
        age_posts(newcomer)
        client_cache_reset(newcomer)
    fourth = post_topic(client, board.slug, {**TOPIC, "title": "My question number 4"})
    assert fourth.status_code == 429
    assert int(fourth["Retry-After"]) > 3600
    assert Topic.objects.filter(author=newcomer).count() == 3


def test_the_cache_throttle_answers_before_the_database_for_new_members(db: None) -> None:
    newcomer = NewMemberFactory.create()
    for _ in range(10):
        record_post(newcomer, "reply")
    client_cache_reset(newcomer, keep_daily=True)
    client = APIClient()
    client.force_login(newcomer)
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    response = client.post(f"/api/v1/topics/{topic.pk}/posts/", {"body": "Eleventh reply"}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert "Retry-After" in response


def test_members_past_new_have_the_higher_caps(member: User) -> None:
    assert member.trust_level == TrustLevel.MEMBER
    client = APIClient()
    client.force_login(member)
    board = BoardFactory.create()
    for i in range(4):
        assert post_topic(client, board.slug, {**TOPIC, "title": f"Regular member topic {i}"}).status_code == 201
        age_posts(member)
        client_cache_reset(member)


def client_cache_reset(user: User, keep_daily: bool = False) -> None:
    """Forget the burst window in the cache (time passing), optionally keeping the daily history."""
    from django.core.cache import cache

    cache.delete(f"posting:any:{user.pk}")
    if not keep_daily:
        cache.delete(f"posting:topic:{user.pk}")
        cache.delete(f"posting:reply:{user.pk}")
