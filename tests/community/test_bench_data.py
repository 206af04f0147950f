"""``manage.py bench_data``: the benchmark data set is the size asked for and internally consistent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from rest_framework.test import APIClient

from accounts.models import User
from community.models import Board, ContentStatus, Post, Reaction, TipOutcome, Topic, TopicTag
from community.services import wilson_lower_bound
from tests.factories import BoardFactory, MemberFactory, make_topic

TINY = {"members": 3, "topics": 10, "posts_per_topic": 3, "seed": 7}


def _bench(**options: object) -> str:
    out = StringIO()
    call_command("bench_data", **{**TINY, **options}, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_tiny_data_set_has_the_requested_counts_and_consistent_counters() -> None:
    _bench()

    assert User.objects.filter(username__startswith="bench_").count() == 3
    assert Topic.objects.count() == 10
    assert Post.objects.count() == 30
    per_topic = Topic.objects.annotate(
        firsts=Count("posts", filter=Q(posts__is_first=True)),
        replies=Count("posts", filter=Q(posts__is_first=False, posts__status=ContentStatus.PUBLISHED)),
    )
    for topic in per_topic:
        assert topic.firsts == 1
        assert topic.reply_count == topic.replies
        assert topic.last_activity_at >= topic.created_at
        assert TopicTag.objects.filter(topic=topic).count() == len(topic.tags)
        assert topic.wilson_score == wilson_lower_bound(topic.outcome_helped, topic.outcome_tried)
    first = Post.objects.filter(is_first=True).select_related("topic").first()
    assert first is not None
    assert first.created_at == first.topic.created_at
    assert first.body_html.startswith("<")
    assert Reaction.objects.count() == sum(Post.objects.values_list("helpful_count", flat=True)) + sum(
        Post.objects.values_list("support_count", flat=True)
    ) + sum(Post.objects.values_list("me_too_count", flat=True))
    assert TipOutcome.objects.count() == sum(Topic.objects.values_list("outcome_tried", flat=True))

    recount = StringIO()
    call_command("recount", stdout=recount)
    assert "Checked 10 topics, repaired 0." in recount.getvalue()


@pytest.mark.django_db
def test_refuses_to_run_twice_and_reset_replaces_only_bench_content() -> None:
    keeper = make_topic(author=MemberFactory.create(), board=BoardFactory.create())
    _bench()

    with pytest.raises(CommandError, match="already exists"):
        _bench()

    _bench(reset=True, seed=8)
    assert User.objects.filter(username__startswith="bench_").count() == 3
    assert Topic.objects.exclude(pk=keeper.pk).count() == 10
    assert Post.objects.exclude(topic=keeper).count() == 30
    assert Topic.objects.filter(pk=keeper.pk).exists()


@pytest.mark.django_db
def test_ids_continue_after_bench_data_and_hot_board_gets_its_share(api: APIClient) -> None:
    _bench(topics=20, hot_board="coping-tips", hot_share=1.0)

    assert Topic.objects.filter(board__slug="coping-tips").count() == 20
    # Sequences were moved past the explicit ids: ordinary writes still work.
    later = make_topic(author=MemberFactory.create(), board=Board.objects.get(slug="coping-tips"))
    assert later.pk > max(Topic.objects.exclude(pk=later.pk).values_list("pk", flat=True))

    response = api.get("/api/v1/boards/coping-tips/topics/?page_size=5")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 5
