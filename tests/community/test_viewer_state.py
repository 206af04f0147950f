"""``topic_viewer_state``: what a topic page shows about its viewer, read in one written-out statement.

Runs on PostgreSQL and, in the SQLite step of CI, on the embedded default (the statement names its
string aggregate per database)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from community import selectors
from community.models import (
    Bookmark,
    Notification,
    NotificationKind,
    Reaction,
    TipOutcome,
    Topic,
    TopicFollow,
    TopicKind,
)
from tests.factories import BoardFactory, MemberFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

NOTHING_YET: dict[str, object] = {
    "following": False,
    "bookmarked": False,
    "outcome": None,
    "unread_notifications": 0,
    "reactions": {},
}


@pytest.fixture
def tip() -> Topic:
    return make_topic(board=BoardFactory.create(), author=MemberFactory.create(), kind=TopicKind.TIP)


def test_a_member_s_follow_bookmark_answer_reactions_and_unread_count_in_one_statement(tip: Topic) -> None:
    member, other = MemberFactory.create(), MemberFactory.create()
    first = tip.posts.get()
    replies = [make_post(topic=tip, author=other, body=f"Reply {n} about the cold spoon") for n in range(3)]
    TopicFollow.objects.create(topic=tip, user=member)
    Bookmark.objects.create(topic=tip, user=member)
    TipOutcome.objects.create(topic=tip, user=member, helped=False)
    Reaction.objects.create(post=first, user=member, kind="helpful")
    Reaction.objects.create(post=first, user=member, kind="me_too")
    Reaction.objects.create(post=replies[1], user=member, kind="support")
    Reaction.objects.create(post=replies[2], user=member, kind="support")  # not among the posts asked about
    Reaction.objects.create(post=replies[0], user=other, kind="helpful")  # someone else's
    for read_at in (None, None, timezone.now()):
        Notification.objects.create(recipient=member, kind=NotificationKind.REPLY, message="A reply", read_at=read_at)
    Notification.objects.create(recipient=other, kind=NotificationKind.REPLY, message="A reply")

    post_ids = [first.pk, replies[0].pk, replies[1].pk]
    with CaptureQueriesContext(connection) as queries:
        state = selectors.topic_viewer_state(member, tip, post_ids=post_ids, unread=True)

    assert len(queries) == 1
    assert state == {
        "following": True,
        "bookmarked": True,
        "outcome": False,
        "unread_notifications": 2,
        "reactions": {first.pk: {"helpful", "me_too"}, replies[1].pk: {"support"}},
    }


def test_a_member_with_nothing_yet(tip: Topic) -> None:
    member = MemberFactory.create()
    state = selectors.topic_viewer_state(member, tip, post_ids=[tip.posts.get().pk], unread=True)
    assert state == NOTHING_YET


def test_without_posts_or_the_count_only_the_topic_state_is_read(tip: Topic) -> None:
    member = MemberFactory.create()
    TipOutcome.objects.create(topic=tip, user=member, helped=True)
    Notification.objects.create(recipient=member, kind=NotificationKind.REPLY, message="A reply")
    assert selectors.topic_viewer_state(member, tip) == {
        "following": False,
        "bookmarked": False,
        "outcome": True,
        "reactions": {},
    }


def test_a_visitor_or_a_deactivated_member_costs_no_query(tip: Topic) -> None:
    gone: User = MemberFactory.create(is_active=False)
    post_ids = [tip.posts.get().pk]
    for viewer in (AnonymousUser(), gone):
        with CaptureQueriesContext(connection) as queries:
            state = selectors.topic_viewer_state(viewer, tip, post_ids=post_ids, unread=True)
        assert state == NOTHING_YET
        assert len(queries) == 0
