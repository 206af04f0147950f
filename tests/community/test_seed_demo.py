"""``manage.py seed_demo``: demo boards plus sample conversations, safe to run again."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone

from accounts.consent import CURRENT_VERSIONS
from accounts.models import ConsentRecord, User
from accounts.pseudonyms import validate_pseudonym
from community.demo import DEMO_BOARDS
from community.demo_content import DEMO_MEMBERS, DEMO_TOPICS, REPLY_DELAYS_HOURS
from community.models import Board, Post, Reaction, TipOutcome, Topic, TopicKind, TopicTag
from community.rendering import RENDER_VERSION, render_markdown
from community.seed import demo_email, seed_demo_content
from community.services import ensure_demo_boards, recount_topic, wilson_lower_bound
from community.tags import MAX_TAGS_PER_TOPIC, TAG_SLUGS
from tests.factories import MemberFactory

DEMO_NAMES = {member.name for member in DEMO_MEMBERS}
MEMBERS_ONLY = {board["slug"] for board in DEMO_BOARDS if not board["is_public"]}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d\s().-]{6,}\d")


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "boards": Board.objects.count(),
        "topics": Topic.objects.count(),
        "posts": Post.objects.count(),
        "tags": TopicTag.objects.count(),
        "reactions": Reaction.objects.count(),
        "outcomes": TipOutcome.objects.count(),
        "emails": EmailAddress.objects.count(),
        "consents": ConsentRecord.objects.count(),
    }


# --- The content as data -------------------------------------------------------------------


def test_demo_members_have_valid_pseudonyms() -> None:
    assert 8 <= len(DEMO_MEMBERS) <= 10
    assert len(DEMO_NAMES) == len(DEMO_MEMBERS)
    for name in DEMO_NAMES:
        validate_pseudonym(name)


def test_demo_topics_fit_the_boards_kinds_tags_and_limits() -> None:
    board_slugs = {board["slug"] for board in DEMO_BOARDS}
    assert 16 <= len(DEMO_TOPICS) <= 24
    assert len({(topic.author, topic.title) for topic in DEMO_TOPICS}) == len(DEMO_TOPICS)
    for topic in DEMO_TOPICS:
        assert topic.board in board_slugs, topic.title
        assert topic.kind in TopicKind.values, topic.title
        assert 5 <= len(topic.title) <= 150, topic.title
        assert len(topic.tags) <= MAX_TAGS_PER_TOPIC, topic.title
        assert set(topic.tags) <= TAG_SLUGS, topic.title
        assert 0 < topic.days_ago <= 21, topic.title
        assert len(topic.replies) <= len(REPLY_DELAYS_HOURS), topic.title


def test_everyone_in_the_content_is_a_demo_member_and_nobody_rates_their_own_post() -> None:
    for topic in DEMO_TOPICS:
        authors = [topic.author, *(name for name, _ in topic.replies)]
        assert set(authors) <= DEMO_NAMES, topic.title
        reactions = [(name, str(kind), index) for name, kind, index in topic.reactions]
        assert len(set(reactions)) == len(reactions), topic.title
        for name, _, index in reactions:
            assert name in DEMO_NAMES, topic.title
            assert index < len(authors), topic.title
            assert name != authors[index], (topic.title, name, index)
        tried = [*topic.helped, *topic.not_helped]
        assert len(set(tried)) == len(tried), topic.title
        assert set(tried) <= DEMO_NAMES - {topic.author}, topic.title
        if tried:
            assert topic.kind == TopicKind.TIP, topic.title


def test_treatment_threads_point_to_doctors_rather_than_give_advice() -> None:
    pointer = re.compile(r"doctor|neurologist|clinic|prescriber|GP|specialist|optician", flags=re.IGNORECASE)
    for topic in DEMO_TOPICS:
        if topic.board in {"treatments", "newly-diagnosed"}:
            thread = " ".join([topic.body, *(body for _, body in topic.replies)])
            assert pointer.search(thread), topic.title


# --- Seeding -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_twice_creates_everything_once() -> None:
    first_output = seed()
    after_first = counts()
    second_output = seed()

    assert counts() == after_first
    assert f"Demo topics: {len(DEMO_TOPICS)} created." in first_output
    assert "Demo boards: 0 created. Demo topics: 0 created." in second_output
    assert after_first["users"] == len(DEMO_MEMBERS)
    assert after_first["topics"] == len(DEMO_TOPICS)
    assert after_first["posts"] == sum(1 + len(topic.replies) for topic in DEMO_TOPICS)
    assert after_first["reactions"] == sum(len(topic.reactions) for topic in DEMO_TOPICS)
    assert after_first["outcomes"] == sum(len(topic.helped) + len(topic.not_helped) for topic in DEMO_TOPICS)


@pytest.mark.django_db
def test_seed_demo_content_returns_how_many_topics_it_created() -> None:
    ensure_demo_boards()
    assert seed_demo_content() == len(DEMO_TOPICS)
    assert seed_demo_content() == 0


@pytest.mark.django_db
def test_seeded_counters_match_the_rows() -> None:
    seed()
    assert [recount_topic(topic_id=pk) for pk in Topic.objects.values_list("pk", flat=True)] == [False] * len(
        DEMO_TOPICS
    )
    assert Topic.objects.filter(reply_count__gt=0).exists()
    assert Topic.objects.filter(helpful_count__gt=0).exists()


@pytest.mark.django_db
def test_demo_members_are_signed_up_but_cannot_log_in() -> None:
    seed()
    members = list(User.objects.filter(username__in=DEMO_NAMES))
    assert len(members) == len(DEMO_MEMBERS)
    for member in members:
        validate_pseudonym(member.username)
        assert not member.has_usable_password()
        assert member.email == demo_email(member.username)
        assert member.email.endswith("@demo.support-circle.invalid")
        assert EmailAddress.objects.filter(user=member, email=member.email, verified=True, primary=True).exists()
        assert member.profile.condition
        assert set(member.consents.values_list("kind", "version")) == set(CURRENT_VERSIONS.items())


@pytest.mark.django_db
def test_tags_are_from_the_vocabulary_and_match_the_tag_rows() -> None:
    seed()
    for topic in Topic.objects.all():
        assert set(topic.tags) <= TAG_SLUGS
        assert len(topic.tags) <= MAX_TAGS_PER_TOPIC
        assert sorted(topic.tag_rows.values_list("tag", flat=True)) == topic.tags


@pytest.mark.django_db
def test_tips_have_outcomes_and_distinct_wilson_scores() -> None:
    seed()
    tips = list(Topic.objects.filter(kind=TopicKind.TIP))
    rated = [tip for tip in tips if tip.outcome_tried]
    assert rated
    for tip in rated:
        assert tip.wilson_score == wilson_lower_bound(tip.outcome_helped, tip.outcome_tried)
        assert tip.wilson_score > 0
    assert len({tip.wilson_score for tip in rated}) == len(rated)
    assert not Topic.objects.exclude(kind=TopicKind.TIP).filter(outcome_tried__gt=0).exists()


@pytest.mark.django_db
def test_members_only_boards_have_content() -> None:
    seed()
    assert {"hemifacial-spasm", "blepharospasm", "caregivers"} == MEMBERS_ONLY
    assert Topic.objects.filter(board__is_public=False).count() >= 2
    for slug in MEMBERS_ONLY:
        assert Topic.objects.filter(board__slug=slug).exists(), slug


@pytest.mark.django_db
def test_posts_are_rendered_and_carry_no_contact_details() -> None:
    seed()
    for post in Post.objects.all():
        assert post.body_html == render_markdown(post.body)
        assert post.render_version == RENDER_VERSION
        assert not EMAIL.search(post.body), post.body
        assert not PHONE.search(post.body), post.body
    assert Post.objects.filter(is_first=True).count() == len(DEMO_TOPICS)


@pytest.mark.django_db
def test_activity_is_spread_over_the_last_three_weeks() -> None:
    before = timezone.now()
    seed()
    after = timezone.now()
    topics = list(Topic.objects.prefetch_related("posts"))
    for topic in topics:
        posts = sorted(topic.posts.all(), key=lambda post: post.created_at)
        assert posts[0].is_first
        assert posts[0].created_at == topic.created_at
        assert topic.last_activity_at == posts[-1].created_at
        assert before - timedelta(days=22) <= topic.created_at <= after
        assert all(post.created_at <= after for post in posts)
    spread = max(topic.created_at for topic in topics) - min(topic.created_at for topic in topics)
    assert spread >= timedelta(days=14)


@pytest.mark.django_db
def test_a_real_member_holding_a_demo_pseudonym_is_left_alone() -> None:
    real = MemberFactory.create(username="calm_harbor", email="someone@example.org")

    seed()

    real.refresh_from_db()
    assert real.has_usable_password()
    assert not Topic.objects.filter(author=real).exists()
    assert not Post.objects.filter(author=real).exists()
    assert not Reaction.objects.filter(user=real).exists()
    assert not TipOutcome.objects.filter(user=real).exists()
    skipped = sum(1 for topic in DEMO_TOPICS if topic.author == "calm_harbor")
    assert Topic.objects.count() == len(DEMO_TOPICS) - skipped
    assert [recount_topic(topic_id=pk) for pk in Topic.objects.values_list("pk", flat=True)] == [False] * (
        len(DEMO_TOPICS) - skipped
    )
