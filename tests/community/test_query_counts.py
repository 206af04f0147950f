"""Feeds run a constant number of queries, whatever the page size (authentication included)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from community.models import Post, Reaction, Topic
from community.services import wilson_lower_bound
from tests.accounts.helpers import PASSWORD, post_json
from tests.factories import BoardFactory, MemberFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

MAX_QUERIES = 5
PAGE_SIZES = [1, 25, 100]


@pytest.fixture
def world() -> dict[str, int | str]:
    board = BoardFactory.create()
    authors = [MemberFactory.create() for _ in range(3)]
    topics = []
    for i in range(110):
        topic = make_topic(
            board=board, author=authors[i % 3], title=f"Topic about triggers {i}", kind="tip", tags=["stress-anxiety"]
        )
        topics.append(topic)
        Topic.objects.filter(pk=topic.pk).update(
            outcome_helped=i % 7, outcome_tried=7, wilson_score=wilson_lower_bound(i % 7, 7)
        )
    thread = topics[0]
    for i in range(110):
        make_post(topic=thread, author=authors[i % 3], body=f"Reply number {i}")
    reader = MemberFactory.create()
    Reaction.objects.bulk_create(
        Reaction(post=post, user=reader, kind="helpful") for post in Post.objects.filter(topic=thread)[:50]
    )
    return {"board": board.slug, "thread": thread.pk, "reader_email": reader.email}


def clients(world: dict[str, int | str]) -> dict[str, Callable[[str], object]]:
    token = post_json(Client(), "/_allauth/app/v1/auth/login", {"email": world["reader_email"], "password": PASSWORD})
    session_token = token.json()["meta"]["session_token"]
    session = APIClient()
    session.force_login(MemberFactory.create())
    return {
        "visitor": APIClient().get,
        "session": session.get,
        "token": lambda url: Client().get(url, headers={"X-Session-Token": session_token}),
    }


@pytest.mark.parametrize("page_size", PAGE_SIZES)
@pytest.mark.parametrize("who", ["visitor", "session", "token"])
def test_feeds_use_a_constant_number_of_queries(
    world: dict[str, int | str], django_assert_max_num_queries, page_size: int, who: str
) -> None:
    get = clients(world)[who]
    urls = [
        f"/api/v1/boards/{world['board']}/topics/?page_size={page_size}",
        f"/api/v1/boards/{world['board']}/topics/?page_size={page_size}&tag=stress-anxiety&sort=active",
        f"/api/v1/topics/{world['thread']}/posts/?page_size={page_size}",
        f"/api/v1/tips/?page_size={page_size}&tag=stress-anxiety",
    ]
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = get(url)
        assert response.status_code == 200, url  # type: ignore[attr-defined]
        assert len(response.json()["results"]) == min(page_size, 100)  # type: ignore[attr-defined]


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_a_visitor_s_hot_feeds_take_one_query_for_a_board_and_two_for_a_topic(
    world: dict[str, int | str], django_assert_num_queries, page_size: int
) -> None:
    api = APIClient()
    # The board is checked inside the topics' query; the topic page looks its topic up first.
    with django_assert_num_queries(1):
        assert api.get(f"/api/v1/boards/{world['board']}/topics/?page_size={page_size}").status_code == 200
    with django_assert_num_queries(2):
        assert api.get(f"/api/v1/topics/{world['thread']}/posts/?page_size={page_size}").status_code == 200
