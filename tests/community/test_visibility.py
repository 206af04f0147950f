"""Who sees what: visitor, member, author and moderator, by content status and board kind."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from community.models import Board, ContentStatus, GoneReason, Post, Topic
from tests.factories import BoardFactory, MemberFactory, ModeratorFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "author", "moderator"]
STATUSES = [ContentStatus.PUBLISHED, ContentStatus.PENDING, ContentStatus.HIDDEN, ContentStatus.REMOVED]
SECRET = "my private story about the spasms"


@pytest.fixture
def people() -> dict[str, User]:
    return {
        "member": MemberFactory.create(),
        "author": MemberFactory.create(),
        "moderator": ModeratorFactory.create(),
    }


def client_for(role: str, people: dict[str, User]) -> APIClient:
    client = APIClient()
    if role != "visitor":
        client.force_login(people[role])
    return client


# What each role gets for a post in each status: "text", "placeholder" or "absent".
EXPECTED_POST: dict[tuple[str, str], str] = {
    ("visitor", ContentStatus.PUBLISHED): "text",
    ("member", ContentStatus.PUBLISHED): "text",
    ("author", ContentStatus.PUBLISHED): "text",
    ("moderator", ContentStatus.PUBLISHED): "text",
    ("visitor", ContentStatus.PENDING): "absent",
    ("member", ContentStatus.PENDING): "absent",
    ("author", ContentStatus.PENDING): "text",
    ("moderator", ContentStatus.PENDING): "text",
    ("visitor", ContentStatus.HIDDEN): "placeholder",
    ("member", ContentStatus.HIDDEN): "placeholder",
    ("author", ContentStatus.HIDDEN): "placeholder",
    ("moderator", ContentStatus.HIDDEN): "text",
    ("visitor", ContentStatus.REMOVED): "placeholder",
    ("member", ContentStatus.REMOVED): "placeholder",
    ("author", ContentStatus.REMOVED): "placeholder",
    ("moderator", ContentStatus.REMOVED): "text",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", STATUSES)
def test_reply_visibility_matrix_on_a_public_board(people: dict[str, User], role: str, status: str) -> None:
    board = BoardFactory.create()
    topic = make_topic(board=board, author=MemberFactory.create())
    reply = make_post(topic=topic, author=people["author"], body=SECRET, status=status)
    if status == ContentStatus.REMOVED:
        Post.objects.filter(pk=reply.pk).update(gone_reason=GoneReason.MODERATED)

    response = client_for(role, people).get(f"/api/v1/topics/{topic.pk}/posts/")
    assert response.status_code == 200
    listed = {post["id"]: post for post in response.json()["results"]}
    single = client_for(role, people).get(f"/api/v1/posts/{reply.pk}/")

    expected = EXPECTED_POST[(role, status)]
    if expected == "absent":
        assert reply.pk not in listed
        assert single.status_code == 404
        return
    assert single.status_code == 200
    item = listed[reply.pk]
    assert item["status"] == status
    if expected == "text":
        assert SECRET in item["body_html"]
    else:
        assert item["body_html"] is None
        assert item["notice"]
        assert SECRET not in str(response.content)
        assert SECRET not in str(single.content)


# What each role gets for a topic in each status: "listed", "placeholder" (detail only) or "absent".
EXPECTED_TOPIC: dict[tuple[str, str], str] = {
    ("visitor", ContentStatus.PENDING): "absent",
    ("member", ContentStatus.PENDING): "absent",
    ("author", ContentStatus.PENDING): "listed",
    ("moderator", ContentStatus.PENDING): "listed",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", STATUSES)
def test_topic_visibility_matrix_on_a_public_board(people: dict[str, User], role: str, status: str) -> None:
    board = BoardFactory.create()
    topic = make_topic(board=board, author=people["author"], title="A title nobody else should read", status=status)
    client = client_for(role, people)

    listed_ids = [t["id"] for t in client.get(f"/api/v1/boards/{board.slug}/topics/").json()["results"]]
    detail = client.get(f"/api/v1/topics/{topic.pk}/")

    if status == ContentStatus.PUBLISHED or role == "moderator":
        assert topic.pk in listed_ids
        assert detail.json()["title"] == "A title nobody else should read"
    elif status == ContentStatus.PENDING:
        expected = EXPECTED_TOPIC[(role, status)]
        assert (topic.pk in listed_ids) is (expected == "listed")
        assert detail.status_code == (200 if expected == "listed" else 404)
    else:
        # Hidden and removed topics drop out of feeds; their address shows a placeholder without the title.
        assert topic.pk not in listed_ids
        assert detail.status_code == 200
        assert "nobody else" not in str(detail.content)


@pytest.mark.parametrize("role", ROLES)
def test_members_only_boards_are_invisible_to_visitors(people: dict[str, User], role: str) -> None:
    public = BoardFactory.create(slug="open-board")
    private = BoardFactory.create(slug="members-board", is_public=False)
    topic = make_topic(board=private, author=people["author"], title="Members only topic")
    post = Post.objects.get(topic=topic)
    client = client_for(role, people)

    slugs = [b["slug"] for b in client.get("/api/v1/boards/").json()["results"]]
    assert public.slug in slugs
    visible = role != "visitor"
    assert (private.slug in slugs) is visible
    expected = 200 if visible else 404
    assert client.get(f"/api/v1/boards/{private.slug}/").status_code == expected
    assert client.get(f"/api/v1/boards/{private.slug}/topics/").status_code == expected
    assert client.get(f"/api/v1/topics/{topic.pk}/").status_code == expected
    assert client.get(f"/api/v1/topics/{topic.pk}/posts/").status_code == expected
    assert client.get(f"/api/v1/posts/{post.pk}/").status_code == expected
    tips = client.get("/api/v1/tips/").json()["results"]
    assert all(t["board"] != private.slug for t in tips) or visible


def test_a_board_made_members_only_stops_being_served_to_visitors_at_once(api: APIClient) -> None:
    board = BoardFactory.create()
    topic = make_topic(board=board, author=MemberFactory.create())
    assert api.get(f"/api/v1/boards/{board.slug}/topics/").json()["results"][0]["id"] == topic.pk

    Board.objects.filter(pk=board.pk).update(is_public=False)  # as another process or node would

    for path in (f"/api/v1/boards/{board.slug}/topics/", f"/api/v1/topics/{topic.pk}/posts/"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_an_empty_board_is_an_empty_page_and_a_missing_one_a_404_even_with_a_forged_cursor(api: APIClient) -> None:
    empty = BoardFactory.create()
    private = BoardFactory.create(is_public=False)
    forged = "cD14"  # base64 of "p=x"

    page = api.get(f"/api/v1/boards/{empty.slug}/topics/")
    assert page.status_code == 200
    assert page.json() == {"next": None, "previous": None, "results": []}
    assert api.get(f"/api/v1/boards/{empty.slug}/topics/?cursor={forged}").json()["code"] == "invalid_cursor"
    for slug in ("no-such-board", private.slug):
        for query in ("", f"?cursor={forged}"):
            response = api.get(f"/api/v1/boards/{slug}/topics/{query}")
            assert response.status_code == 404, (slug, query)
            assert response.json()["code"] == "not_found"


def test_archived_boards_leave_the_list_but_stay_readable_and_refuse_writes(member_api: APIClient) -> None:
    board = BoardFactory.create(is_archived=True)
    topic = make_topic(board=board, author=MemberFactory.create())
    assert board.slug not in [b["slug"] for b in member_api.get("/api/v1/boards/").json()["results"]]
    assert member_api.get(f"/api/v1/boards/{board.slug}/").json()["is_archived"] is True
    assert member_api.get(f"/api/v1/topics/{topic.pk}/posts/").status_code == 200

    new_topic = member_api.post(
        f"/api/v1/boards/{board.slug}/topics/",
        {"title": "Still here?", "kind": "question", "body": "Hello"},
        format="json",
    )
    reply = member_api.post(f"/api/v1/topics/{topic.pk}/posts/", {"body": "Hello"}, format="json")
    for response in (new_topic, reply):
        assert response.status_code == 403
        assert response.json()["code"] == "board_archived"
    assert Topic.objects.filter(board=board).count() == 1
    assert Post.objects.filter(topic__board=board).count() == 1


def test_unknown_ids_and_slugs_are_404_in_the_error_shape(api: APIClient) -> None:
    for path in (
        "/api/v1/boards/nope/",
        "/api/v1/topics/999999/",
        "/api/v1/topics/99999999999999999999999/",
        "/api/v1/posts/0/",
    ):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_board_list_includes_every_live_board_for_members(member_api: APIClient) -> None:
    boards = [BoardFactory.create(is_public=bool(i % 2)) for i in range(4)]
    BoardFactory.create(is_archived=True)
    slugs = {b["slug"] for b in member_api.get("/api/v1/boards/").json()["results"]}
    assert slugs == {board.slug for board in boards}
    assert Board.objects.count() == 5
