"""Reads, already narrowed to what the viewer may see, with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, Field, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import TrustLevel, User
from community.models import (
    Board,
    BoardFollow,
    Bookmark,
    ContentStatus,
    Notification,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    TipOutcome,
    Topic,
    TopicFollow,
    TopicKind,
    TopicTag,
)
from community.permissions import (
    Viewer,
    can_see_board,
    can_see_post,
    can_see_topic,
    content_status_filter,
    is_member,
    is_moderator,
    listed_board_filter,
    readable_boards,
    visible_boards,
    visible_posts_filter,
    visible_topics,
)
from config.errors import NotFound

TOPIC_ROW_FIELDS = (
    "id",
    "title",
    "kind",
    "tags",
    "status",
    "author_name",
    "created_at",
    "last_activity_at",
    "reply_count",
    "helpful_count",
    "support_count",
    "me_too_count",
    "outcome_helped",
    "outcome_tried",
    "wilson_score",
    "is_pinned",
    "is_locked",
)

POST_ROW_FIELDS = (
    "id",
    "topic_id",
    "author_id",
    "author_name",
    "is_first",
    "body_html",
    "status",
    "gone_reason",
    "medical_notice",
    "helpful_count",
    "support_count",
    "me_too_count",
    "created_at",
    "edited_at",
)
# The viewer's own reactions, annotated on a thread's posts: (kind, annotation).
MY_REACTION_FIELDS = tuple((kind, f"mine_{kind}") for kind in ReactionKind.values)

WELCOME_AFTER = timedelta(hours=24)

TOPIC_SORTS = {
    "latest": "-created_at",
    "active": "-last_activity_at",
    "helpful": "-helpful_count",
}


def board_list(user: Viewer) -> QuerySet[Board]:
    return visible_boards(user).order_by("position", "name")


def get_board_for_viewer(user: Viewer, slug: str) -> Board:
    """The board by slug, or 404 for "missing" and "not yours to see" alike."""
    board = Board.objects.filter(slug=slug).first()
    if board is None or not can_see_board(user, board):
        raise NotFound
    return board


def _with_tag(topics: QuerySet[Topic], tag: str | None) -> QuerySet[Topic]:
    if not tag:
        return topics
    return topics.filter(Exists(TopicTag.objects.filter(topic=OuterRef("pk"), tag=tag)))


def board_topic_rows(user: Viewer, board: Board, *, kind: str | None, tag: str | None) -> QuerySet:
    """Topic rows of one board for a feed (dicts, no model instances: this is the hot path)."""
    return _topic_rows(user, Q(board=board), kind=kind, tag=tag)


def readable_board_topic_rows(user: Viewer, slug: str, *, kind: str | None, tag: str | None) -> QuerySet:
    """:func:`board_topic_rows` of the board with this slug, or none when it is missing or not the
    viewer's to read. The board is looked up inside the topics' query (a subquery, so PostgreSQL still
    walks the topics' index), on every request: a board made members-only is hidden at once. An empty
    page does not say which: ask :func:`get_board_for_viewer`. Slugs are unique: the subquery needs
    no ORDER BY (the boards' default one cost a tenth of the list's CPU to compile)."""
    board = readable_boards(user).filter(slug=slug).order_by().values("pk")[:1]
    return _topic_rows(user, Q(board_id=Subquery(board)), kind=kind, tag=tag)


def _topic_rows(user: Viewer, where: Q, *, kind: str | None, tag: str | None) -> QuerySet:
    topics = _all_topic_rows().filter(where, content_status_filter(user))
    if kind:
        topics = topics.filter(kind=kind)
    return _with_tag(topics, tag)


@cache
def _all_topic_rows() -> QuerySet:
    """Every topic as ``TOPIC_ROW_FIELDS`` rows: built once per process, and only ever filtered (which
    copies it), never read itself. Resolving the seventeen field names on every request was a sixth of
    a topic list's CPU."""
    return Topic.objects.values(*TOPIC_ROW_FIELDS)


def tip_rows(user: Viewer, *, tag: str | None, board_slug: str | None) -> QuerySet:
    tips = visible_topics(user).filter(listed_board_filter(user), kind=TopicKind.TIP)
    if board_slug:
        tips = tips.filter(board__slug=board_slug)
    return _with_tag(tips, tag).values(*TOPIC_ROW_FIELDS, "board__slug")


def get_topic_for_viewer(user: Viewer, topic_id: int) -> Topic:
    """The topic with its board; not found for "missing" and "not yours to see" alike.
    Services that change it take their own lock."""
    return _visible_topic(user, Topic.objects.select_related("board"), topic_id)


def get_thread_for_viewer(user: Viewer, topic_id: int) -> Topic:
    """The topic with only what deciding who may read its thread needs (status, author, board and
    whether it is public); not found for "missing" and "not yours to see" alike. For reading its
    posts: other fields are loaded one query each when touched.

    Read with a written-out statement, the same one ``select_related("board").only(...).get()``
    sends: building and compiling that queryset took four times the CPU of running the query, on
    every request for a topic's posts. :func:`can_see_topic` decides on the instances as before."""
    sql, topic_fields = _thread_topic_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [topic_id])
        row = cursor.fetchone()
    if row is None:
        raise NotFound
    topic = Topic.from_db(connection.alias, topic_fields, row[:-1])
    topic.board = Board.from_db(connection.alias, ["id", "is_public"], (topic.board_id, row[-1]))
    if not can_see_topic(user, topic):
        raise NotFound
    return topic


@cache
def _thread_topic_statement() -> tuple[str, list[str]]:
    """The statement :func:`get_thread_for_viewer` sends, and the topic fields it reads (in the model's
    field order, as ``Model.from_db`` wants them); the board's ``is_public`` comes last."""

    def column(model: type[Topic] | type[Board], name: str) -> str:
        field = model._meta.get_field(name)
        assert isinstance(field, Field)  # a concrete column, not a reverse relation
        return str(connection.ops.quote_name(str(field.column)))

    wanted = {"id", "status", "author_id", "board_id"}
    fields = [field for field in Topic._meta.concrete_fields if field.attname in wanted]
    columns = ", ".join(f"t.{column(Topic, field.name)}" for field in fields)
    topics, boards = (connection.ops.quote_name(model._meta.db_table) for model in (Topic, Board))
    sql = (
        f"SELECT {columns}, b.{column(Board, 'is_public')} FROM {topics} t "  # noqa: S608 (names from the models)
        f"JOIN {boards} b ON b.{column(Board, 'id')} = t.{column(Topic, 'board')} WHERE t.{column(Topic, 'id')} = %s"
    )
    return sql, [field.attname for field in fields]


def _visible_topic(user: Viewer, topics: QuerySet[Topic], topic_id: int) -> Topic:
    try:
        # ``get`` rather than ``first()``: a primary key needs no ORDER BY, which cost a fifth of the query's CPU.
        topic = topics.get(pk=topic_id)
    except Topic.DoesNotExist:
        raise NotFound from None
    if not can_see_topic(user, topic):
        raise NotFound
    return topic


def topic_viewer_state(
    user: Viewer, topic: Topic, *, post_ids: Sequence[int] = (), unread: bool = False
) -> dict[str, Any]:
    """What a topic page shows about the viewer, in one statement: whether they follow and bookmarked
    the topic and their answer to a tip; with ``post_ids``, their own reactions on those posts (by post);
    with ``unread``, how many of their notifications are unread (the layout's badge).

    Indexed lookups written out as scalar subqueries: as a queryset annotated with ``Exists`` and
    ``Subquery`` the first three cost fifteen times the CPU to build, and as separate queries the
    reactions and the count were two more round trips on every member's topic page."""
    state: dict[str, Any] = {"following": False, "bookmarked": False, "outcome": None, "reactions": {}}
    if unread:
        state["unread_notifications"] = 0
    if not isinstance(user, User) or not is_member(user):
        return state
    follows, bookmarks, outcomes, reactions, notifications = (
        model._meta.db_table for model in (TopicFollow, Bookmark, TipOutcome, Reaction, Notification)
    )
    # Table names come from the models; every value is a parameter.
    parts = [
        f"EXISTS (SELECT 1 FROM {follows} WHERE topic_id = %s AND user_id = %s)",  # noqa: S608
        f"EXISTS (SELECT 1 FROM {bookmarks} WHERE topic_id = %s AND user_id = %s)",  # noqa: S608
        f"(SELECT helped FROM {outcomes} WHERE topic_id = %s AND user_id = %s LIMIT 1)",  # noqa: S608
    ]
    params: list[Any] = [topic.pk, user.pk] * 3
    if unread:
        parts.append(f"(SELECT COUNT(*) FROM {notifications} WHERE recipient_id = %s AND read_at IS NULL)")  # noqa: S608
        params.append(user.pk)
    if post_ids:
        # "post:kind" pairs, comma-separated: kinds are slugs, so neither separator occurs in them.
        placeholders = ", ".join(["%s"] * len(post_ids))
        pairs = _string_agg("post_id || ':' || kind")
        parts.append(f"(SELECT {pairs} FROM {reactions} WHERE user_id = %s AND post_id IN ({placeholders}))")  # noqa: S608
        params.extend([user.pk, *post_ids])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        values = list(cursor.fetchone())
    state.update(following=bool(values[0]), bookmarked=bool(values[1]), outcome=values[2])
    if unread:
        state["unread_notifications"] = values[3]
    if post_ids and values[-1]:
        mine: dict[int, set[str]] = {}
        for pair in values[-1].split(","):
            post_id, _, kind = pair.partition(":")
            mine.setdefault(int(post_id), set()).add(kind)
        state["reactions"] = mine
    return state


def _string_agg(expression: str) -> str:
    """The comma-joined values of ``expression``, as PostgreSQL and SQLite each name it."""
    if connection.vendor == "postgresql":
        return f"string_agg({expression}, ',')"
    return f"group_concat({expression}, ',')"


def board_viewer_state(user: Viewer, board: Board) -> dict[str, Any]:
    """Whether the viewer follows the board."""
    following = (
        isinstance(user, User) and is_member(user) and BoardFollow.objects.filter(board=board, user=user).exists()
    )
    return {"following": following}


def _thread(user: Viewer, topic: Topic) -> QuerySet[Post]:
    """A topic's posts the viewer may see."""
    return Post.objects.filter(visible_posts_filter(user, topic), topic=topic)


def _visible_thread_posts(user: Viewer, topic: Topic) -> QuerySet[Post]:
    """A topic's posts, each annotated with the viewer's own reactions (``mine_<kind>``) in the same query."""
    posts = _thread(user, topic)
    if isinstance(user, User):
        posts = posts.annotate(
            **{
                mine: Exists(Reaction.objects.filter(post=OuterRef("pk"), user=user, kind=kind))
                for kind, mine in MY_REACTION_FIELDS
            }
        )
    return posts


def thread_posts(user: Viewer, topic: Topic) -> QuerySet[Post]:
    """A topic's posts as model instances (``post_data``), with the viewer's own reactions."""
    posts = _visible_thread_posts(user, topic)
    if is_moderator(user):
        # Whether a moderator may read a held post's text depends on its board: the topic's board id rides
        # along. Members and visitors never need it, so their hot path does without the join.
        return posts.select_related("topic").only(*POST_ROW_FIELDS, "topic__board_id")
    return posts.only(*POST_ROW_FIELDS)


def thread_rows(user: Viewer, topic: Topic) -> QuerySet:
    """A topic's posts the viewer may see, as ``POST_ROW_FIELDS`` rows without the viewer's reactions
    (:func:`topic_viewer_state` adds them for a page)."""
    return _thread(user, topic).values(*POST_ROW_FIELDS)


def thread_post_rows(user: Viewer, topic: Topic) -> QuerySet:
    """:func:`thread_posts` as rows (dicts, no model instances: the topic page's hot path), for
    ``post_row`` with the topic's board id."""
    mine = [name for _, name in MY_REACTION_FIELDS] if isinstance(user, User) else []
    return _visible_thread_posts(user, topic).values(*POST_ROW_FIELDS, *mine)


def get_post_for_viewer(user: Viewer, post_id: int) -> Post:
    """The post with topic and board; not found when missing or not visible to this viewer.
    Services that change it take their own lock."""
    post = Post.objects.select_related("topic__board").filter(pk=post_id).first()
    if post is None or not can_see_topic(user, post.topic) or not can_see_post(user, post):
        raise NotFound
    return post


def post_revisions(post: Post) -> QuerySet[PostRevision]:
    return PostRevision.objects.filter(post=post).order_by("-created_at")


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("topic")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def welcome_topics() -> QuerySet[Topic]:
    """Newcomers' first topics that nobody has answered for a day."""
    return (
        Topic.objects.filter(
            status=ContentStatus.PUBLISHED,
            reply_count=0,
            created_at__lte=timezone.now() - WELCOME_AFTER,
            author__trust_level=TrustLevel.NEW,
            board__is_archived=False,
        )
        .annotate(author_topics=Count("author__topics"))
        .filter(author_topics=1)
        .select_related("board")
        .order_by(F("created_at").asc())
    )
