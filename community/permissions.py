"""Who may see and do what in the community: plain functions.

``visible_*`` narrow querysets for lists; ``can_*`` answer for one object;
``check_*`` raise the API refusal with a code that says why.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from rest_framework import status

from accounts.models import User
from community.models import Board, ContentStatus, Post, Topic
from config.api_errors import ApiError

Viewer = User | AnonymousUser


def is_member(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_moderator(user: Viewer) -> bool:
    return is_member(user) and isinstance(user, User) and user.is_moderator


def visible_boards(user: Viewer) -> QuerySet[Board]:
    """Boards listed to this viewer: members see all live boards, visitors the public ones."""
    boards = Board.objects.filter(is_archived=False)
    return boards if is_member(user) else boards.filter(is_public=True)


def can_see_board(user: Viewer, board: Board) -> bool:
    # Archived boards stay readable by address (old links keep working) but are
    # no longer listed; writes to them are refused.
    return board.is_public or is_member(user)


def content_status_filter(user: Viewer, prefix: str = "") -> Q:
    """Statuses the viewer may read: published; their own pending; everything for moderators."""
    if is_moderator(user):
        return Q()
    published = Q(**{f"{prefix}status": ContentStatus.PUBLISHED})
    if not is_member(user):
        return published
    return published | Q(**{f"{prefix}status": ContentStatus.PENDING, f"{prefix}author": user})


def visible_topics(user: Viewer) -> QuerySet[Topic]:
    topics = Topic.objects.filter(content_status_filter(user))
    if not is_member(user):
        topics = topics.filter(board__is_public=True)
    return topics


def can_see_topic(user: Viewer, topic: Topic) -> bool:
    if not can_see_board(user, topic.board):
        return False
    if topic.status == ContentStatus.PUBLISHED or is_moderator(user):
        return True
    # Hidden and removed topics keep a placeholder for readers; pending ones are the author's alone.
    if topic.status == ContentStatus.PENDING:
        return is_member(user) and topic.author_id == user.pk
    return True


def visible_posts_filter(user: Viewer) -> Q:
    """Posts listed in a thread. Hidden/removed posts stay in place as placeholders."""
    if is_moderator(user):
        return Q()
    shown = ~Q(status=ContentStatus.PENDING)
    if is_member(user):
        shown |= Q(status=ContentStatus.PENDING, author=user)
    return shown


def can_see_post(user: Viewer, post: Post) -> bool:
    """Whether the post appears at all (hidden/removed appear as placeholders)."""
    if post.status != ContentStatus.PENDING or is_moderator(user):
        return True
    return is_member(user) and post.author_id == user.pk


def can_read_post_text(user: Viewer, post: Post) -> bool:
    if post.status == ContentStatus.PUBLISHED or is_moderator(user):
        return True
    return post.status == ContentStatus.PENDING and is_member(user) and post.author_id == user.pk


def check_can_write_in_board(user: User, board: Board) -> None:
    if board.is_archived:
        raise ApiError(
            "This board is archived and no longer takes new posts.",
            code="board_archived",
            status_code=status.HTTP_403_FORBIDDEN,
        )


def check_can_reply(user: User, topic: Topic) -> None:
    check_can_write_in_board(user, topic.board)
    if topic.is_locked and not user.is_moderator:
        raise ApiError(
            "This topic is locked: it no longer takes replies.",
            code="topic_locked",
            status_code=status.HTTP_403_FORBIDDEN,
        )
    if topic.status != ContentStatus.PUBLISHED:
        raise ApiError(
            "This topic is not open for replies.", code="topic_not_open", status_code=status.HTTP_403_FORBIDDEN
        )


def check_can_edit_post(user: User, post: Post) -> None:
    if user.is_moderator:
        return
    if post.author_id != user.pk:
        raise ApiError("You can only edit your own posts.", code="not_author", status_code=status.HTTP_403_FORBIDDEN)
    if post.status in (ContentStatus.HIDDEN, ContentStatus.REMOVED):
        raise ApiError(
            "This post was taken down and can no longer be edited.",
            code="post_not_editable",
            status_code=status.HTTP_403_FORBIDDEN,
        )
    check_can_write_in_board(user, post.topic.board)


def check_can_withdraw_post(user: User, post: Post) -> None:
    if post.author_id != user.pk:
        raise ApiError(
            "You can only withdraw your own posts.", code="not_author", status_code=status.HTTP_403_FORBIDDEN
        )


def check_can_edit_topic(user: User, topic: Topic, changes: dict) -> None:
    moderator_only = {"pinned", "locked"} & set(changes)
    if user.is_moderator:
        return
    if moderator_only:
        raise ApiError(
            "Only moderators can pin or lock topics.",
            code="moderator_only",
            status_code=status.HTTP_403_FORBIDDEN,
            fields={name: ["Only moderators can change this."] for name in sorted(moderator_only)},
        )
    if topic.author_id != user.pk:
        raise ApiError("You can only edit your own topics.", code="not_author", status_code=status.HTTP_403_FORBIDDEN)
    if topic.status in (ContentStatus.HIDDEN, ContentStatus.REMOVED):
        raise ApiError(
            "This topic was taken down and can no longer be edited.",
            code="topic_not_editable",
            status_code=status.HTTP_403_FORBIDDEN,
        )
    check_can_write_in_board(user, topic.board)


def check_not_silenced(user: User) -> None:
    now = timezone.now()
    for until, code, what in (
        (user.suspended_until, "member_suspended", "suspended"),
        (user.silenced_until, "member_silenced", "silenced"),
    ):
        if until and until > now:
            raise ApiError(
                f"Your account is {what} until {until:%Y-%m-%d %H:%M} UTC.",
                code=code,
                status_code=status.HTTP_403_FORBIDDEN,
                extra={"until": until.isoformat()},
            )


def check_can_react(user: User, post: Post) -> None:
    check_not_silenced(user)
    if post.status != ContentStatus.PUBLISHED:
        raise ApiError(
            "You can only react to published posts.", code="post_not_published", status_code=status.HTTP_403_FORBIDDEN
        )


def check_can_record_outcome(user: User, topic: Topic) -> None:
    check_not_silenced(user)
    if topic.kind != "tip":
        raise ApiError(
            "Outcomes can only be recorded on tips.", code="not_a_tip", status_code=status.HTTP_400_BAD_REQUEST
        )
    if topic.status != ContentStatus.PUBLISHED:
        raise ApiError("This tip is not published.", code="topic_not_open", status_code=status.HTTP_403_FORBIDDEN)
