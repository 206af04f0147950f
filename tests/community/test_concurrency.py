"""Counters, limits and idempotency hold under truly parallel requests (PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from community.models import Post, Reaction, Topic
from tests.factories import BoardFactory, MemberFactory, NewMemberFactory, make_topic
from tests.parallel import in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_concurrent_reactions_keep_the_counters_exact() -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    post = Post.objects.get(topic=topic)
    readers = [MemberFactory.create() for _ in range(12)]
    clients = [client_for(reader) for reader in readers]
    url = f"/api/v1/posts/{post.pk}/reactions/helpful/"

    # Everyone reacts twice at once: 24 requests, 12 reactions.
    responses = in_parallel([partial(c.put, url) for c in clients + clients])
    assert all(r.status_code == 200 for r in responses)
    post.refresh_from_db()
    topic.refresh_from_db()
    assert Reaction.objects.filter(post=post).count() == 12
    assert post.helpful_count == topic.helpful_count == 12

    in_parallel([partial(c.delete, url) for c in clients[:5]])
    post.refresh_from_db()
    assert post.helpful_count == 7


def test_parallel_posts_cannot_slip_past_the_daily_cap() -> None:
    newcomer = NewMemberFactory.create()
    board = BoardFactory.create()
    for i in range(2):
        make_topic(board=board, author=newcomer, title=f"Earlier question {i}")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Post.objects.filter(author=newcomer).update(created_at=an_hour_ago)
    Topic.objects.filter(author=newcomer).update(created_at=an_hour_ago)
    client = client_for(newcomer)
    body = {"kind": "question", "body": "Does anyone else get this at night?"}
    url = f"/api/v1/boards/{board.slug}/topics/"
    responses = in_parallel([partial(client.post, url, {**body, "title": f"Parallel {i}"}, "json") for i in range(4)])
    assert sorted(r.status_code for r in responses) == [201, 429, 429, 429]
    assert Topic.objects.filter(author=newcomer).count() == 3


def test_parallel_retries_with_one_key_create_one_topic() -> None:
    member = MemberFactory.create()
    board = BoardFactory.create()
    body = {"title": "Sleep routine that works", "kind": "tip", "body": "Same bedtime, no screens after nine."}
    clients = [client_for(member) for _ in range(4)]
    url = f"/api/v1/boards/{board.slug}/topics/"
    key = {"Idempotency-Key": "k-parallel"}
    responses = in_parallel([partial(c.post, url, body, format="json", headers=key) for c in clients])
    created = [r for r in responses if r.status_code == 201]
    assert created, [r.status_code for r in responses]
    assert {r.json()["id"] for r in created} == {Topic.objects.get().pk}
    # Losers of the race either replay the winner's answer or were limited before doing anything.
    assert all(r.status_code in (201, 429) for r in responses)
    assert Post.objects.count() == 1


def test_recount_repairs_counters(capsys: pytest.CaptureFixture[str]) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create(), kind="tip")
    Topic.objects.filter(pk=topic.pk).update(reply_count=42, helpful_count=9, outcome_tried=3, wilson_score=0.5)
    call_command("recount")
    topic.refresh_from_db()
    assert (topic.reply_count, topic.helpful_count, topic.outcome_tried, topic.wilson_score) == (0, 0, 0, 0.0)
    assert "repaired 1" in capsys.readouterr().out
    call_command("recount")
    assert "repaired 0" in capsys.readouterr().out
