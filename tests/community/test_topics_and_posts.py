"""Creating, editing and withdrawing topics and posts through the API."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.http import QueryDict
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIClient

from accounts.models import User
from community.models import Notification, Post, PostRevision, Topic, TopicTag
from community.serializers import TopicListQuery, topic_list_query
from config.api_errors import api_exception_handler
from tests.factories import BoardFactory, MemberFactory, ModeratorFactory, make_post, make_topic

pytestmark = pytest.mark.django_db


def topic_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "title": "Cold compress after screen time",
        "kind": "tip",
        "tags": ["compress", "eye-strain"],
        "body": "Ten minutes with a **cold** compress after long screen sessions.",
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not ...}


def test_create_topic_answers_201_with_the_topic_its_first_post_and_screening(
    member_api: APIClient, member: User
) -> None:
    board = BoardFactory.create()
    response = member_api.post(f"/api/v1/boards/{board.slug}/topics/", topic_body(), format="json")
    assert response.status_code == 201
    data = response.json()
    for name in ("id", "board", "title", "kind", "tags", "status", "author", "created_at", "last_activity_at"):
        assert name in data
    assert data["board"] == board.slug
    assert data["author"] == member.username
    assert data["status"] == "published"
    assert data["tags"] == ["compress", "eye-strain"]
    assert data["outcomes"] == {"helped": 0, "tried": 0}
    assert data["screening"] == []
    assert "<strong>cold</strong>" in data["post"]["body_html"]

    topic = Topic.objects.get(pk=data["id"])
    assert set(TopicTag.objects.filter(topic=topic).values_list("tag", flat=True)) == {"compress", "eye-strain"}
    first = Post.objects.get(topic=topic)
    assert first.is_first
    assert first.body.startswith("Ten minutes")
    assert first.render_version >= 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "Hey"}, "title"),
        ({"title": "x" * 151}, "title"),
        ({"title": "Tab\there in title"}, "title"),
        ({"title": ...}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"body": "bell \x07 char"}, "body"),
        ({"body": "nul \x00 char"}, "body"),
        ({"kind": "rant"}, "kind"),
        ({"tags": ["compress", "unicorns"]}, "tags.1"),
        ({"tags": ["compress", "caffeine", "alcohol", "hydration", "massage", "stretching"]}, "tags"),
        ({"tags": "compress"}, "tags"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_topic_input_is_a_400_naming_the_field_and_writes_nothing(
    member_api: APIClient, overrides: dict[str, Any], field: str
) -> None:
    board = BoardFactory.create()
    response = member_api.post(f"/api/v1/boards/{board.slug}/topics/", topic_body(**overrides), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "fields"}
    assert field in response.json()["fields"]
    assert not Topic.objects.exists()
    assert not Post.objects.exists()


@pytest.mark.parametrize("query", ["sort=oldest", "kind=rant", "tag=unicorns", "page_size=abc"])
def test_bad_feed_parameters_are_400(api: APIClient, query: str) -> None:
    board = BoardFactory.create()
    response = api.get(f"/api/v1/boards/{board.slug}/topics/?{query}")
    if query.startswith("page_size"):
        assert response.status_code == 200  # a bad page size falls back to the default
    else:
        assert response.status_code == 400
        assert query.split("=", 1)[0] in response.json()["fields"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "sort=",
        "kind=&tag=",
        "kind=tip&tag=stress-anxiety&sort=helpful",
        "sort=active",
        "kind=rant&tag=unicorns&sort=oldest",
        "kind=tip&kind=rant",
        "kind=rant&kind=tip",
        "sort=Latest",
        "tag=%00",
        "kind=%7B%7D",
        "tag=%F0%9F%98%80&sort=%20latest",
    ],
)
def test_the_topic_list_query_answers_as_its_serializer_does(query: str) -> None:
    params = QueryDict(query)
    serializer = TopicListQuery(data=params)
    if serializer.is_valid():
        assert topic_list_query(params) == serializer.validated_data
        return
    with pytest.raises(ValidationError) as refusal:
        topic_list_query(params)
    assert refusal.value.detail == serializer.errors
    body = api_exception_handler(refusal.value, {})
    serializer_body = api_exception_handler(ValidationError(serializer.errors), {})
    assert body is not None
    assert serializer_body is not None
    assert body.data == serializer_body.data


def test_visitors_cannot_post(api: APIClient) -> None:
    board = BoardFactory.create()
    response = api.post(f"/api/v1/boards/{board.slug}/topics/", topic_body(), format="json")
    assert response.status_code == 401


def test_reply_counts_notifies_the_topic_author_and_bumps_activity(member_api: APIClient, member: User) -> None:
    author = MemberFactory.create()
    topic = make_topic(board=BoardFactory.create(), author=author)
    before = Topic.objects.get(pk=topic.pk).last_activity_at

    response = member_api.post(f"/api/v1/topics/{topic.pk}/posts/", {"body": "Same for me!"}, format="json")
    assert response.status_code == 201
    assert response.json()["screening"] == []
    topic.refresh_from_db()
    assert topic.reply_count == 1
    assert topic.last_activity_at > before
    note = Notification.objects.get(recipient=author)
    assert note.kind == "reply"
    assert note.post_id == response.json()["id"]
    assert member.username in note.message

    inbox = APIClient()
    inbox.force_login(author)
    listed = inbox.get("/api/v1/notifications/").json()
    assert listed["unread"] == 1
    assert listed["results"][0]["kind"] == "reply"
    assert inbox.post("/api/v1/notifications/read/", {}, format="json").json() == {"marked": 1}
    assert inbox.get("/api/v1/notifications/").json()["unread"] == 0
    assert inbox.post("/api/v1/notifications/read/", {}, format="json").json() == {"marked": 0}


def test_replying_to_your_own_topic_does_not_notify_you(member_api: APIClient, member: User) -> None:
    topic = make_topic(board=BoardFactory.create(), author=member)
    member_api.post(f"/api/v1/topics/{topic.pk}/posts/", {"body": "An update: it got better."}, format="json")
    assert not Notification.objects.exists()


def test_locked_topics_refuse_replies_except_from_moderators(member_api: APIClient, moderator_api: APIClient) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    Topic.objects.filter(pk=topic.pk).update(is_locked=True)
    response = member_api.post(f"/api/v1/topics/{topic.pk}/posts/", {"body": "Me too"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "topic_locked"
    assert moderator_api.post(f"/api/v1/topics/{topic.pk}/posts/", {"body": "Locked, see rules."}, format="json")
    assert Post.objects.filter(topic=topic).count() == 2


def test_editing_keeps_a_revision_that_only_moderators_can_read(member_api: APIClient, member: User) -> None:
    topic = make_topic(board=BoardFactory.create(), author=member, body="First version")
    post = Post.objects.get(topic=topic)

    response = member_api.patch(f"/api/v1/posts/{post.pk}/", {"body": "Second *version*"}, format="json")
    assert response.status_code == 200
    assert response.json()["edited_at"] is not None
    assert "<em>version</em>" in response.json()["body_html"]
    post.refresh_from_db()
    assert post.body == "Second *version*"
    assert list(PostRevision.objects.filter(post=post).values_list("body", flat=True)) == ["First version"]

    assert member_api.get(f"/api/v1/posts/{post.pk}/revisions/").status_code == 403
    moderator = APIClient()
    moderator.force_login(ModeratorFactory.create())
    revisions = moderator.get(f"/api/v1/posts/{post.pk}/revisions/").json()["results"]
    assert [r["body"] for r in revisions] == ["First version"]


def test_members_cannot_edit_or_withdraw_others_posts(member_api: APIClient) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create(), body="Original")
    post = Post.objects.get(topic=topic)
    edit = member_api.patch(f"/api/v1/posts/{post.pk}/", {"body": "Vandalised"}, format="json")
    withdraw = member_api.delete(f"/api/v1/posts/{post.pk}/")
    assert edit.status_code == withdraw.status_code == 403
    post.refresh_from_db()
    assert post.body == "Original"
    assert post.status == "published"


def test_withdrawing_a_reply_leaves_a_placeholder_and_fixes_the_count(member_api: APIClient, member: User) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    reply = make_post(topic=topic, author=member, body="I would rather not have said this")
    assert member_api.delete(f"/api/v1/posts/{reply.pk}/").status_code == 204
    assert member_api.delete(f"/api/v1/posts/{reply.pk}/").status_code == 204  # already gone: no change

    topic.refresh_from_db()
    assert topic.reply_count == 0
    thread = APIClient().get(f"/api/v1/topics/{topic.pk}/posts/").json()["results"]
    gone = next(p for p in thread if p["id"] == reply.pk)
    assert gone["body_html"] is None
    assert gone["notice"] == "Withdrawn by its author"
    assert "rather not" not in str(thread)


def test_topic_edit_rules(member_api: APIClient, member: User, moderator_api: APIClient) -> None:
    topic = make_topic(board=BoardFactory.create(), author=member, title="Original title here")
    renamed = member_api.patch(
        f"/api/v1/topics/{topic.pk}/", {"title": "Better title here", "tags": ["caffeine"]}, format="json"
    )
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "Better title here"
    assert renamed.json()["tags"] == ["caffeine"]

    pin = member_api.patch(f"/api/v1/topics/{topic.pk}/", {"pinned": True}, format="json")
    assert pin.status_code == 403
    assert "pinned" in pin.json()["fields"]
    assert moderator_api.patch(f"/api/v1/topics/{topic.pk}/", {"pinned": True, "locked": True}, format="json").json()[
        "locked"
    ]
    topic.refresh_from_db()
    assert topic.is_pinned
    assert topic.is_locked

    stranger = APIClient()
    stranger.force_login(MemberFactory.create())
    assert stranger.patch(f"/api/v1/topics/{topic.pk}/", {"title": "Hijacked title"}, format="json").status_code == 403


def test_reactions_are_idempotent_and_answer_the_new_counts(member_api: APIClient, member: User) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    post = Post.objects.get(topic=topic)
    url = f"/api/v1/posts/{post.pk}/reactions/helpful/"

    first = member_api.put(url)
    again = member_api.put(url)
    assert first.json() == {
        "post": post.pk,
        "kind": "helpful",
        "changed": True,
        "reactions": {"helpful": 1, "support": 0, "me_too": 0},
    }
    assert again.json()["changed"] is False
    assert again.json()["reactions"]["helpful"] == 1
    assert member_api.put(f"/api/v1/posts/{post.pk}/reactions/support/").json()["reactions"] == {
        "helpful": 1,
        "support": 1,
        "me_too": 0,
    }

    removed = member_api.delete(url)
    assert removed.json()["changed"] is True
    assert member_api.delete(url).json()["changed"] is False
    topic.refresh_from_db()
    assert (topic.helpful_count, topic.support_count) == (0, 1)
    assert member_api.put(f"/api/v1/posts/{post.pk}/reactions/love/").status_code == 400
    assert APIClient().put(url).status_code == 401


def test_my_reactions_are_shown_to_me_in_the_thread(member_api: APIClient, member: User) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    post = Post.objects.get(topic=topic)
    member_api.put(f"/api/v1/posts/{post.pk}/reactions/me_too/")
    thread = member_api.get(f"/api/v1/topics/{topic.pk}/posts/").json()["results"]
    assert thread[0]["my_reactions"] == ["me_too"]
    assert APIClient().get(f"/api/v1/topics/{topic.pk}/posts/").json()["results"][0]["my_reactions"] == []


def test_feeds_sort_and_filter(api: APIClient) -> None:
    board = BoardFactory.create()
    author = MemberFactory.create()
    old = make_topic(board=board, author=author, title="Old but busy topic", kind="question", tags=["caffeine"])
    new = make_topic(board=board, author=author, title="New quiet topic", kind="tip", tags=["compress"])
    Topic.objects.filter(pk=old.pk).update(helpful_count=5)
    Topic.objects.filter(pk=new.pk).update(last_activity_at=old.last_activity_at)
    Topic.objects.filter(pk=old.pk).update(last_activity_at=new.created_at)

    def ids(query: str) -> list[int]:
        return [t["id"] for t in api.get(f"/api/v1/boards/{board.slug}/topics/?{query}").json()["results"]]

    assert ids("sort=latest") == [new.pk, old.pk]
    assert ids("sort=helpful") == [old.pk, new.pk]
    assert ids("kind=tip") == [new.pk]
    assert ids("tag=caffeine") == [old.pk]


def test_cursor_pagination_walks_every_topic_once_and_caps_the_page_size(api: APIClient) -> None:
    board = BoardFactory.create()
    author = MemberFactory.create()
    created = {make_topic(board=board, author=author, title=f"Topic number {i}").pk for i in range(7)}
    seen: list[int] = []
    url: str | None = f"/api/v1/boards/{board.slug}/topics/?page_size=3"
    while url:
        page = api.get(url).json()
        assert set(page) == {"results", "next", "previous"}
        seen += [t["id"] for t in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(created)
    assert len(seen) == len(set(seen))
    assert api.get(f"/api/v1/boards/{board.slug}/topics/?page_size=1000").status_code == 200


def test_cursors_keep_the_format_clients_hold(api: APIClient) -> None:
    """A cursor is base64 of ``o``/``r``/``p`` (offset, reverse, position on the first ordering field):
    cursors handed out earlier must keep paging the same way, on the topic list and the topic page."""
    board = BoardFactory.create()
    author = MemberFactory.create()
    topics = [make_topic(board=board, author=author, title=f"Topic number {i}") for i in range(3)]
    for i in range(3):
        make_post(topic=topics[0], author=author, body=f"Reply number {i}")
    posts = list(Post.objects.filter(topic=topics[0]).order_by("created_at", "id"))

    def cursor(**tokens: str) -> str:
        return quote(base64.b64encode(urlencode(tokens).encode()).decode(), safe="")

    older = api.get(f"/api/v1/boards/{board.slug}/topics/?cursor={cursor(p=str(topics[2].created_at))}").json()
    assert [t["id"] for t in older["results"]] == [topics[1].pk, topics[0].pk]
    assert older["next"] is None
    assert older["previous"] == (
        f"http://testserver/api/v1/boards/{board.slug}/topics/?cursor={cursor(r='1', p=str(topics[1].created_at))}"
    )
    later = api.get(
        f"/api/v1/topics/{topics[0].pk}/posts/?page_size=1&cursor={cursor(o='1', p=str(posts[0].created_at))}"
    )
    assert [p["id"] for p in later.json()["results"]] == [posts[2].pk]
