"""Writes the demo conversations in ``community.demo_content``.

Rows are created directly rather than through the posting services: those
enforce rate limits and duplicate checks meant for people, and would refuse a
seed that posts two dozen topics in a second. Counters are then rebuilt with
``recount_topic`` so they match the rows exactly as the services would leave them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile, Role, TrustLevel, User
from accounts.pseudonyms import validate_pseudonym
from accounts.services import record_signup_consents
from community.demo_content import (
    DEMO_EMAIL_DOMAIN,
    DEMO_MEMBERS,
    DEMO_TOPICS,
    REPLY_DELAYS_HOURS,
    DemoMember,
    DemoTopic,
)
from community.models import Board, Post, Reaction, TipOutcome, Topic, TopicTag
from community.rendering import body_digest, rendered_fields
from community.search import index as search_index
from community.services import recount_topic

# Nothing seeded lands closer to "now" than this, so a re-run never sees future posts.
_LATEST = timedelta(minutes=10)
_REACTION_DELAY = timedelta(hours=3)


def demo_email(name: str) -> str:
    return f"{name}@{DEMO_EMAIL_DOMAIN}"


@transaction.atomic
def seed_demo_content() -> int:
    """Create the demo members and topics that are missing. Returns how many topics were created.

    A topic counts as present when its demo author already has a topic with the
    same title on the same board; present topics are left exactly as they are.
    Boards come from ``ensure_demo_boards``; topics whose board is missing are skipped.
    """
    now = timezone.now()
    members = {spec.name: member for spec in DEMO_MEMBERS if (member := _get_or_create_member(spec)) is not None}
    boards = {board.slug: board for board in Board.objects.filter(slug__in={spec.board for spec in DEMO_TOPICS})}
    created = 0
    for spec in DEMO_TOPICS:
        author, board = members.get(spec.author), boards.get(spec.board)
        if author is None or board is None:
            continue
        if Topic.objects.filter(board=board, author=author, title=spec.title).exists():
            continue
        _create_topic(spec, board=board, author=author, members=members, now=now)
        created += 1
    return created


def _get_or_create_member(spec: DemoMember) -> User | None:
    """The demo account for ``spec``, or None when a real member already holds that pseudonym."""
    email = demo_email(spec.name)
    existing = User.objects.filter(username__iexact=spec.name).first()
    if existing is not None:
        return existing if existing.email == email else None
    validate_pseudonym(spec.name)
    # No password: nobody can log in as a demo member.
    member = User.objects.create_user(
        username=spec.name, email=email, password=None, role=Role.MEMBER, trust_level=TrustLevel.MEMBER
    )
    EmailAddress.objects.create(user=member, email=email, verified=True, primary=True)
    record_signup_consents(actor=member)
    Profile.objects.filter(user=member).update(condition=spec.condition, condition_public=spec.condition_public)
    return member


def _create_topic(spec: DemoTopic, *, board: Board, author: User, members: dict[str, User], now: datetime) -> None:
    latest = now - _LATEST
    started = min(now - timedelta(days=spec.days_ago), latest)
    topic = Topic.objects.create(
        board=board,
        author=author,
        author_name=author.username,
        title=spec.title,
        kind=spec.kind,
        tags=sorted(spec.tags),
    )
    TopicTag.objects.bulk_create(TopicTag(topic=topic, tag=tag) for tag in spec.tags)
    posts = [_create_post(topic, author, spec.body, at=started, is_first=True)]
    for (name, body), delay in zip(spec.replies, REPLY_DELAYS_HOURS, strict=False):
        replier = members.get(name)
        if replier is not None:
            posts.append(_create_post(topic, replier, body, at=min(started + timedelta(hours=delay), latest)))

    post_times = {post.pk: post.created_at for post in posts}
    for name, kind, index in spec.reactions:
        member = members.get(name)
        if member is None or index >= len(posts):
            continue
        post = posts[index]
        reaction = Reaction.objects.create(post=post, user=member, kind=kind)
        Reaction.objects.filter(pk=reaction.pk).update(created_at=min(post_times[post.pk] + _REACTION_DELAY, latest))

    tried = [(name, True) for name in spec.helped] + [(name, False) for name in spec.not_helped]
    for position, (name, helped) in enumerate(tried, start=1):
        member = members.get(name)
        if member is None:
            continue
        outcome = TipOutcome.objects.create(topic=topic, user=member, helped=helped)
        at = min(started + timedelta(hours=6 * position), latest)
        TipOutcome.objects.filter(pk=outcome.pk).update(created_at=at, updated_at=at)

    Topic.objects.filter(pk=topic.pk).update(created_at=started, last_activity_at=max(post_times.values()))
    recount_topic(topic_id=topic.pk)


def _create_post(topic: Topic, author: User, body: str, *, at: datetime, is_first: bool = False) -> Post:
    post = Post.objects.create(
        topic=topic,
        author=author,
        author_name=author.username,
        is_first=is_first,
        # An opening post's digest covers title and body, as ``create_topic`` stores it.
        **rendered_fields(body, digest=body_digest(f"{topic.title}\n{body}") if is_first else None),
    )
    # ``created_at`` is auto_now_add, which overrides any value given to create().
    Post.objects.filter(pk=post.pk).update(created_at=at)
    post.created_at = at
    search_index.index_post(post, topic)
    return post
