"""Tip outcomes and the Wilson ranking."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from community.models import TipOutcome, Topic
from community.services import wilson_lower_bound
from tests.factories import BoardFactory, MemberFactory, make_topic

pytestmark = pytest.mark.django_db


def test_wilson_lower_bound_prefers_evidence_over_a_perfect_tiny_sample() -> None:
    assert wilson_lower_bound(40, 50) > wilson_lower_bound(2, 2)
    assert wilson_lower_bound(0, 0) == 0.0
    assert wilson_lower_bound(0, 10) == 0.0
    assert wilson_lower_bound(10, 10) < 1.0
    # Known value: 40/50 at 95% is about 0.670.
    assert wilson_lower_bound(40, 50) == pytest.approx(0.6696, abs=1e-3)
    assert wilson_lower_bound(2, 2) == pytest.approx(0.3424, abs=1e-3)


def set_outcomes(topic: Topic, helped: int, tried: int) -> None:
    Topic.objects.filter(pk=topic.pk).update(
        outcome_helped=helped, outcome_tried=tried, wilson_score=wilson_lower_bound(helped, tried)
    )


def test_tips_rank_by_the_wilson_lower_bound(api: APIClient) -> None:
    board = BoardFactory.create()
    author = MemberFactory.create()
    solid = make_topic(board=board, author=author, title="Helped 40 of 50", kind="tip")
    lucky = make_topic(board=board, author=author, title="Helped 2 of 2", kind="tip")
    mixed = make_topic(board=board, author=author, title="Helped 5 of 20", kind="tip")
    untried = make_topic(board=board, author=author, title="Nobody tried it yet", kind="tip")
    make_topic(board=board, author=author, title="Just a story, not a tip", kind="experience")
    set_outcomes(solid, 40, 50)
    set_outcomes(lucky, 2, 2)
    set_outcomes(mixed, 5, 20)

    results = api.get("/api/v1/tips/").json()["results"]
    assert [t["id"] for t in results] == [solid.pk, lucky.pk, mixed.pk, untried.pk]
    assert results[0]["outcomes"] == {"helped": 40, "tried": 50}
    assert results[0]["score"] == pytest.approx(0.6696, abs=1e-3)


def test_tips_filter_by_tag_and_board_slug(api: APIClient) -> None:
    author = MemberFactory.create()
    one, two = BoardFactory.create(slug="one"), BoardFactory.create(slug="two")
    a = make_topic(board=one, author=author, title="Compress tip", kind="tip", tags=["compress"])
    b = make_topic(board=two, author=author, title="Breathing tip", kind="tip", tags=["meditation-breathing"])
    assert [t["id"] for t in api.get("/api/v1/tips/?tag=compress").json()["results"]] == [a.pk]
    assert [t["id"] for t in api.get("/api/v1/tips/?board=two").json()["results"]] == [b.pk]
    assert api.get("/api/v1/tips/?board=nowhere").json()["results"] == []
    assert api.get("/api/v1/tips/?tag=unicorns").status_code == 400


def test_recording_changing_and_removing_an_outcome(member_api: APIClient, member: User) -> None:
    tip = make_topic(board=BoardFactory.create(), author=MemberFactory.create(), kind="tip")
    url = f"/api/v1/topics/{tip.pk}/outcome/"

    helped = member_api.put(url, {"helped": True}, format="json").json()
    assert helped["changed"] is True
    assert helped["outcomes"] == {"helped": 1, "tried": 1}
    assert member_api.put(url, {"helped": True}, format="json").json()["changed"] is False

    changed = member_api.put(url, {"helped": False}, format="json").json()
    assert changed["outcomes"] == {"helped": 0, "tried": 1}
    assert TipOutcome.objects.get(topic=tip, user=member).helped is False

    removed = member_api.delete(url).json()
    assert removed["outcomes"] == {"helped": 0, "tried": 0}
    assert member_api.delete(url).json()["changed"] is False
    tip.refresh_from_db()
    assert (tip.outcome_helped, tip.outcome_tried, tip.wilson_score) == (0, 0, 0.0)


def test_outcomes_only_on_tips_and_need_a_boolean(member_api: APIClient) -> None:
    story = make_topic(board=BoardFactory.create(), author=MemberFactory.create(), kind="experience")
    response = member_api.put(f"/api/v1/topics/{story.pk}/outcome/", {"helped": True}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "not_a_tip"
    tip = make_topic(board=BoardFactory.create(), author=MemberFactory.create(), kind="tip")
    bad = member_api.put(f"/api/v1/topics/{tip.pk}/outcome/", {"helped": "sort of"}, format="json")
    assert bad.status_code == 400
    assert "helped" in bad.json()["fields"]
    assert not TipOutcome.objects.exists()
