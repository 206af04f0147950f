"""Who may see and do what in the community: plain functions, one copy of each rule.

``visible_*`` narrow querysets for lists; ``can_*`` answer for one object;
``check_*`` raise the domain refusal (:mod:`config.errors`) with a code that says why.

Moderator powers (seeing held content, editing others' posts, pinning, locking,
retitling, revisions, the queue, decisions) all ask :func:`can_moderate_board`:
a moderator limited to some boards is a member everywhere else.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Role, TrustLevel, User
from accounts.permissions import check_can_post
from community.models import Board, ContentStatus, ModeratorScope, Post, SearchState, Topic
from config.errors import Forbidden, Invalid

Viewer = User | AnonymousUser


def is_member(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_moderator(user: Viewer) -> bool:
    """Holds the moderator role (or is an admin). What they may moderate is :func:`can_moderate_board`."""
    return is_member(user) and isinstance(user, User) and user.is_moderator


# --- Moderator scope ------------------------------------------------------------------


def moderated_board_ids(user: Viewer) -> set[int] | None:
    """The boards a moderator may moderate: None for every board (admins, unscoped moderators),
    an empty set for everyone who is not a moderator. Cached on the user object for the request."""
    if not is_moderator(user) or not isinstance(user, User):
        return set()
    if user.is_superuser:
        return None
    cache = user.__dict__
    if "_moderated_board_ids" not in cache:
        ids = set(ModeratorScope.objects.filter(moderator=user).values_list("board_id", flat=True))
        cache["_moderated_board_ids"] = ids or None
    scope: set[int] | None = cache["_moderated_board_ids"]
    return scope


def can_moderate_board(user: Viewer, board_id: int) -> bool:
    """The one scope rule behind every moderator power."""
    scope = moderated_board_ids(user)
    return scope is None or board_id in scope


def moderators_of_board(board_id: int) -> QuerySet[User]:
    """Everyone :func:`can_moderate_board` admits for this board, as one query: admins, moderators
    without a scope, and moderators scoped to this board."""
    scopes = ModeratorScope.objects.filter(moderator=OuterRef("pk"))
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(role=Role.MODERATOR) & (~Exists(scopes) | Exists(scopes.filter(board_id=board_id)))
    )


def check_can_moderate_board(user: User, board_id: int, *, detail: str = "Only moderators can do this.") -> None:
    if not can_moderate_board(user, board_id):
        raise Forbidden(detail, code="moderator_only")


def can_see_welcome_list(user: Viewer) -> bool:
    """Newcomers' unanswered first topics: for trusted members and moderators (in the API and in digests)."""
    return is_moderator(user) or (is_member(user) and isinstance(user, User) and user.trust_level == TrustLevel.TRUSTED)


# --- Boards, topics, posts ------------------------------------------------------------------


def _listed_boards(*, members: bool, prefix: str = "") -> Q:
    listed = Q(**{f"{prefix}is_archived": False})
    return listed if members else listed & Q(**{f"{prefix}is_public": True})


def visible_boards(user: Viewer) -> QuerySet[Board]:
    """Boards listed to this viewer: members see all live boards, visitors the public ones.
    (Archived boards stay readable by address, but are listed nowhere.)"""
    return Board.objects.filter(_listed_boards(members=is_member(user)))


def listed_board_filter(user: Viewer) -> Q:
    """Topics whose board is listed to this viewer (:func:`visible_boards`), as a topic filter."""
    return _listed_boards(members=is_member(user), prefix="board__")


def can_see_board(user: Viewer, board: Board) -> bool:
    # Archived boards stay readable by address (old links keep working) but are
    # no longer listed; writes to them are refused.
    return board.is_public or is_member(user)


def readable_boards(user: Viewer) -> QuerySet[Board]:
    """The boards :func:`can_see_board` lets this viewer read, as a queryset."""
    return Board.objects.all() if is_member(user) else Board.objects.filter(is_public=True)


def members_listed_filter() -> Q:
    """Topics a member's lists and digests show: published, on a board listed to members."""
    return Q(status=ContentStatus.PUBLISHED) & _listed_boards(members=True, prefix="board__")


def content_status_filter(user: Viewer, prefix: str = "") -> Q:
    """Statuses the viewer may read: published; their own pending; everything on boards they moderate."""
    published = Q(**{f"{prefix}status": ContentStatus.PUBLISHED})
    if not is_member(user):
        return published
    scope = moderated_board_ids(user)
    if scope is None:
        return Q()
    shown = published | Q(**{f"{prefix}status": ContentStatus.PENDING, f"{prefix}author": user})
    return shown | Q(**{f"{prefix}board_id__in": sorted(scope)}) if scope else shown


def visible_topics(user: Viewer) -> QuerySet[Topic]:
    topics = Topic.objects.filter(content_status_filter(user))
    if not is_member(user):
        topics = topics.filter(board__is_public=True)
    return topics


def can_see_topic(user: Viewer, topic: Topic) -> bool:
    if not can_see_board(user, topic.board):
        return False
    if topic.status == ContentStatus.PUBLISHED or can_moderate_board(user, topic.board_id):
        return True
    # Hidden and removed topics keep a placeholder for readers; pending ones are the author's alone.
    if topic.status == ContentStatus.PENDING:
        return is_member(user) and topic.author_id == user.pk
    return True


def searchable_entries_filter(user: Viewer) -> Q:
    """Search entries (one per post, ``SearchEntry``) whose post this viewer may find.

    The text the viewer can read (:func:`can_read_text`) in a thread they can see, on a board
    listed to them (:func:`listed_board_filter`): published posts in published topics; their own
    held posts; held posts on boards they moderate. Never hidden or removed posts or anything in a
    hidden or removed topic (the entry's state is ``closed``): they have no text to show, to
    moderators included, who review those in the queue.
    """
    listed = _listed_boards(members=is_member(user), prefix="board__")
    published = Q(state=SearchState.PUBLISHED)
    if not is_member(user):
        return published & listed
    held = Q(state=SearchState.PENDING)
    findable = published | held & Q(author=user)
    scope = moderated_board_ids(user)
    if scope is None:
        findable |= held
    elif scope:
        findable |= held & Q(board_id__in=sorted(scope))
    return findable & listed


def visible_posts_filter(user: Viewer, topic: Topic) -> Q:
    """Posts listed in a thread. Hidden/removed posts stay in place as placeholders."""
    if can_moderate_board(user, topic.board_id):
        return Q()
    shown = ~Q(status=ContentStatus.PENDING)
    if is_member(user):
        shown |= Q(status=ContentStatus.PENDING, author=user)
    return shown


def can_see_post(user: Viewer, post: Post) -> bool:
    """Whether the post appears at all (hidden/removed appear as placeholders)."""
    if post.status != ContentStatus.PENDING or can_moderate_board(user, post.topic.board_id):
        return True
    return is_member(user) and post.author_id == user.pk


def can_read_text(user: Viewer, *, status: str, author_id: int | None, board_id: int | None) -> bool:
    """Whether the viewer may read a post's text, for post instances and ``values()`` rows alike.

    ``board_id`` is the post's board: only moderators need it, None stands for "not loaded" and
    is only passed for viewers who are not moderators."""
    if status == ContentStatus.PUBLISHED:
        return True
    if status == ContentStatus.PENDING and is_member(user) and author_id == user.pk:
        return True
    return board_id is not None and is_moderator(user) and can_moderate_board(user, board_id)


def check_can_write_in_board(user: User, board: Board) -> None:
    if board.is_archived:
        raise Forbidden("This board is archived and no longer takes new posts.", code="board_archived")


def check_can_start_topic(user: User, board: Board) -> None:
    check_can_write_in_board(user, board)
    check_can_post(user)


def check_can_reply(user: User, topic: Topic) -> None:
    check_can_write_in_board(user, topic.board)
    if topic.is_locked and not can_moderate_board(user, topic.board_id):
        raise Forbidden("This topic is locked: it no longer takes replies.", code="topic_locked")
    if topic.status != ContentStatus.PUBLISHED:
        raise Forbidden("This topic is not open for replies.", code="topic_not_open")
    check_can_post(user)


def check_can_edit_post(user: User, post: Post) -> None:
    """Authors edit their own live posts; moderators edit any post on the boards they moderate."""
    if not can_moderate_board(user, post.topic.board_id):
        if post.author_id != user.pk:
            raise Forbidden("You can only edit your own posts.", code="not_author")
        if post.status in (ContentStatus.HIDDEN, ContentStatus.REMOVED):
            raise Forbidden("This post was taken down and can no longer be edited.", code="post_not_editable")
        check_can_write_in_board(user, post.topic.board)
    check_can_post(user)


def check_can_withdraw_post(user: User, post: Post) -> None:
    if post.author_id != user.pk:
        raise Forbidden("You can only withdraw your own posts.", code="not_author")


def check_can_edit_topic(user: User, topic: Topic, changes: dict) -> None:
    """Authors retitle and retag their own topics; pinning, locking and editing others' topics
    need a moderator of the topic's board."""
    moderator_only = {"pinned", "locked"} & set(changes)
    if not can_moderate_board(user, topic.board_id):
        _check_author_may_edit_topic(user, topic, moderator_only)
    if "title" in changes and changes["title"] != topic.title:
        check_can_post(user)


def _check_author_may_edit_topic(user: User, topic: Topic, moderator_only: set[str]) -> None:
    if moderator_only:
        raise Forbidden(
            "Only moderators can pin or lock topics.",
            code="moderator_only",
            fields={name: ["Only moderators can change this."] for name in sorted(moderator_only)},
        )
    if topic.author_id != user.pk:
        raise Forbidden("You can only edit your own topics.", code="not_author")
    if topic.status in (ContentStatus.HIDDEN, ContentStatus.REMOVED):
        raise Forbidden("This topic was taken down and can no longer be edited.", code="topic_not_editable")
    check_can_write_in_board(user, topic.board)


def check_can_see_revisions(user: User, post: Post) -> None:
    check_can_moderate_board(user, post.topic.board_id, detail="Only moderators can see earlier versions.")


def check_can_react(user: User, post: Post) -> None:
    check_can_post(user)
    if post.status != ContentStatus.PUBLISHED:
        raise Forbidden("You can only react to published posts.", code="post_not_published")


def check_can_record_outcome(user: User, topic: Topic) -> None:
    check_can_post(user)
    if topic.kind != "tip":
        raise Invalid("Outcomes can only be recorded on tips.", code="not_a_tip")
    if topic.status != ContentStatus.PUBLISHED:
        raise Forbidden("This tip is not published.", code="topic_not_open")
