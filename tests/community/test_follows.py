"""Follows and bookmarks: idempotent toggles, reply notifications, and the digest's boards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from community import digests
from community.models import BoardFollow, Bookmark, Notification, Topic, TopicFollow
from tests.factories import BoardFactory, MemberFactory, make_topic

pytestmark = pytest.mark.django_db


def test_following_a_board_is_idempotent(member_api: APIClient, member: User) -> None:
    board = BoardFactory.create()
    url = f"/api/v1/boards/{board.slug}/follow/"
    assert member_api.put(url).json() == {"following": True, "changed": True}
    assert member_api.put(url).json() == {"following": True, "changed": False}
    assert BoardFollow.objects.filter(user=member, board=board).count() == 1
    assert member_api.delete(url).json() == {"following": False, "changed": True}
    assert member_api.delete(url).json() == {"following": False, "changed": False}
    assert APIClient().put(url).status_code == 401


def test_visitors_cannot_see_members_only_boards_to_follow_them(member_api: APIClient) -> None:
    hidden = BoardFactory.create(is_public=False)
    assert member_api.put(f"/api/v1/boards/{hidden.slug}/follow/").status_code == 200
    assert member_api.put("/api/v1/boards/no-such-board/follow/").status_code == 404


def test_followers_of_a_topic_hear_about_replies(member: User) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    follower = APIClient()
    follower.force_login(member)
    assert follower.put(f"/api/v1/topics/{topic.pk}/follow/").json()["following"] is True
    assert TopicFollow.objects.filter(user=member, topic=topic).exists()

    replier = APIClient()
    replier.force_login(MemberFactory.create())
    replier.post(f"/api/v1/topics/{topic.pk}/posts/", {"body": "Thinking of you"}, format="json")
    note = Notification.objects.get(recipient=member)
    assert note.kind == "followed_reply"
    assert Notification.objects.filter(recipient=topic.author, kind="reply").exists()


def test_bookmarks_toggle(member_api: APIClient, member: User) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    url = f"/api/v1/topics/{topic.pk}/bookmark/"
    assert member_api.put(url).json() == {"bookmarked": True, "changed": True}
    assert Bookmark.objects.filter(user=member, topic=topic).exists()
    assert member_api.delete(url).json() == {"bookmarked": False, "changed": True}


def test_the_digest_covers_followed_boards_only_once_a_member_follows_any() -> None:
    reader = MemberFactory.create()
    User.objects.filter(pk=reader.pk).update(date_joined=timezone.now() - timedelta(days=30))
    followed, other = BoardFactory.create(), BoardFactory.create()
    author = MemberFactory.create()
    for board, title in ((followed, "On the followed board"), (other, "On another board")):
        topic = make_topic(board=board, author=author, title=title)
        Topic.objects.filter(pk=topic.pk).update(created_at=timezone.now() - timedelta(hours=3))

    digests.deliver_batch([reader.pk], "weekly:2026-W48")
    assert "On another board" in mail.outbox[-1].body  # follows nothing: every board

    BoardFollow.objects.create(user=reader, board=followed)
    reader.profile.last_digest_at = None
    reader.profile.save()
    digests.deliver_batch([reader.pk], "weekly:2026-W49")
    body = mail.outbox[-1].body
    assert "On the followed board" in body
    assert "On another board" not in body
