from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.db.models import F
from django.utils import timezone

from accounts.consent import CURRENT_VERSIONS
from accounts.models import ConsentRecord, Profile, Role, TrustLevel, User
from community.models import Board, ContentStatus, Post, Topic, TopicKind, TopicTag
from community.rendering import rendered_fields
from community.search import index as search_index

DEFAULT_PASSWORD = "calm-blue-lake-42"


class MemberFactory(factory.django.DjangoModelFactory[User]):
    """A member as signup leaves them: verified email, profile, the three consents."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member_{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = Role.MEMBER
    trust_level = TrustLevel.MEMBER
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def signed_up(user: User, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        Profile.objects.create(user=user)
        now = timezone.now()
        ConsentRecord.objects.bulk_create(
            ConsentRecord(user=user, kind=kind, version=version, given_at=now)
            for kind, version in CURRENT_VERSIONS.items()
        )


class NewMemberFactory(MemberFactory):
    trust_level = TrustLevel.NEW


class ModeratorFactory(MemberFactory):
    username = factory.Sequence(lambda n: f"guide_{n}")
    role = Role.MODERATOR
    trust_level = TrustLevel.TRUSTED


class AdminFactory(MemberFactory):
    username = factory.Sequence(lambda n: f"keeper_{n}")
    is_staff = True
    is_superuser = True


class BoardFactory(factory.django.DjangoModelFactory[Board]):
    class Meta:
        model = Board

    slug = factory.Sequence(lambda n: f"board-{n}")
    name = factory.Sequence(lambda n: f"Board {n}")
    description = "A place to talk."
    is_public = True


def make_topic(
    *,
    board: Board,
    author: User,
    title: str = "Warm compress before bed",
    kind: str = TopicKind.EXPERIENCE,
    body: str = "A warm compress for ten minutes calms my eyelid twitching.",
    status: str = ContentStatus.PUBLISHED,
    tags: list[str] | None = None,
) -> Topic:
    """A topic with its first post, as ``create_topic`` would leave it (without the limits)."""
    topic = Topic.objects.create(
        board=board,
        author=author,
        author_name=author.username,
        title=title,
        kind=kind,
        status=status,
        tags=sorted(tags or []),
    )
    TopicTag.objects.bulk_create(TopicTag(topic=topic, tag=tag) for tag in tags or [])
    make_post(topic=topic, author=author, body=body, status=status, is_first=True)
    return topic


def make_post(
    *,
    topic: Topic,
    author: User,
    body: str = "Same here, thank you for sharing.",
    status: str = ContentStatus.PUBLISHED,
    is_first: bool = False,
) -> Post:
    post = Post.objects.create(
        topic=topic,
        author=author,
        author_name=author.username,
        is_first=is_first,
        status=status,
        **rendered_fields(body),
    )
    search_index.index_post(post, topic)
    if not is_first and status == ContentStatus.PUBLISHED:
        Topic.objects.filter(pk=topic.pk).update(reply_count=F("reply_count") + 1)
    return post
