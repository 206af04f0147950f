"""Erasure against the member's own requests in flight, on PostgreSQL: one wins, nothing half-done."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from community.models import Post, Topic
from community.services import recount_topic
from config.api_errors import api_exception_handler
from tests.factories import DEFAULT_PASSWORD, BoardFactory, MemberFactory, make_topic
from tests.parallel import in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def as_member(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("round_", range(4))
def test_posting_and_erasing_at_once_never_fails_and_leaves_no_words(round_: int) -> None:
    board = BoardFactory.create()
    topic = make_topic(board=board, author=MemberFactory.create())
    member = MemberFactory.create()
    own = make_topic(board=board, author=member, title="Mornings are better")
    Post.objects.update(created_at=timezone.now() - timedelta(minutes=1))  # past the 5-second posting pause
    client, neighbour = as_member(member), as_member(MemberFactory.create())
    erase = json.dumps({"password": DEFAULT_PASSWORD, "content": "remove"})

    responses = in_parallel(
        [
            lambda: client.delete("/api/v1/me/", erase, content_type="application/json"),
            lambda: client.post(f"/api/v1/topics/{topic.pk}/posts/", {"body": "Racing words here."}, format="json"),
            lambda: client.put(f"/api/v1/posts/{topic.posts.get().pk}/reactions/support/"),
            # Someone else replying in the member's topic notifies them, unless they are gone by then.
            lambda: neighbour.post(f"/api/v1/topics/{own.pk}/posts/", {"body": "Same here."}, format="json"),
        ]
    )

    erased, replied, reacted, neighbour_replied = (r.status_code for r in responses)
    assert erased == 204
    assert replied in (201, 401, 403), responses[1].content
    assert reacted in (200, 401, 403), responses[2].content
    assert neighbour_replied == 201, responses[3].content
    assert not User.objects.filter(pk=member.pk).exists()
    assert not Post.objects.filter(body__contains="Racing words").exists()
    for touched in (topic, own):
        assert recount_topic(topic_id=touched.pk) is False
    assert Topic.objects.get(pk=topic.pk).reply_count == 0


def test_a_deadlock_victim_is_answered_409_try_again_not_500() -> None:
    first, second = MemberFactory.create(), MemberFactory.create()
    barrier = Barrier(2)
    failures: list[Exception] = []

    def lock(one: User, other: User) -> None:
        try:
            with transaction.atomic():
                User.objects.select_for_update().get(pk=one.pk)
                barrier.wait()
                User.objects.select_for_update().get(pk=other.pk)
        except DatabaseError as exc:
            failures.append(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda pair: lock(*pair), [(first, second), (second, first)]))

    assert len(failures) == 1  # PostgreSQL gave one of the two up
    response = api_exception_handler(failures[0], {})
    assert response is not None
    assert (response.status_code, response.data["code"], response["Retry-After"]) == (409, "write_conflict", "1")
