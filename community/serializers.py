"""Input validation, and the shapes of what the community API answers.

Reads on hot paths build plain dicts (``topic_row``, ``post_data``); the
serializer classes below describe the same shapes for the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from accounts.serializers import SupportResourcesSchema
from community.models import ContentStatus, GoneReason, Notification, Post, ReactionKind, Topic, TopicKind
from community.permissions import Viewer, can_moderate_board, can_read_text, is_moderator
from community.search.query import MAX_QUERY_LENGTH
from community.search.selectors import SORTS
from community.selectors import MY_REACTION_FIELDS, POST_ROW_FIELDS, TOPIC_ROW_FIELDS, TOPIC_SORTS
from community.tags import MAX_TAGS_PER_TOPIC, TAG_SLUGS
from config.serializers import CleanCharField, StrictInputSerializer

# --- Input -----------------------------------------------------------------------------


class TagsField(serializers.ListField):
    child = serializers.ChoiceField(choices=sorted(TAG_SLUGS))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=MAX_TAGS_PER_TOPIC, allow_empty=True, **kwargs)

    def to_internal_value(self, data: Any) -> list[str]:
        return sorted(set(super().to_internal_value(data)))


def title_field(**kwargs: Any) -> CleanCharField:
    return CleanCharField(min_length=5, max_length=150, **kwargs)


def body_field(**kwargs: Any) -> CleanCharField:
    return CleanCharField(min_length=1, max_length=20_000, multiline=True, **kwargs)


class TopicCreateInput(StrictInputSerializer):
    title = title_field()
    kind = serializers.ChoiceField(choices=TopicKind.choices)
    tags = TagsField(required=False, default=list)
    body = body_field()


class TopicUpdateInput(StrictInputSerializer):
    title = title_field(required=False)
    tags = TagsField(required=False)
    pinned = serializers.BooleanField(required=False)
    locked = serializers.BooleanField(required=False)


class PostCreateInput(StrictInputSerializer):
    body = body_field()


class PostUpdateInput(StrictInputSerializer):
    body = body_field()


class OutcomeInput(StrictInputSerializer):
    helped = serializers.BooleanField()


class NotificationsReadInput(StrictInputSerializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, max_length=500
    )


class TopicListQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TopicKind.choices, required=False)
    tag = serializers.ChoiceField(choices=sorted(TAG_SLUGS), required=False)
    sort = serializers.ChoiceField(choices=list(TOPIC_SORTS), required=False, default="latest")


TOPIC_LIST_CHOICES = {"kind": frozenset(TopicKind.values), "tag": TAG_SLUGS, "sort": frozenset(TOPIC_SORTS)}


def topic_list_query(params: Mapping[str, str]) -> dict[str, str]:
    """:class:`TopicListQuery`'s validation without building a serializer (the board feed's hot path):
    a blank value counts as absent, the last of repeated values counts, ``sort`` defaults to ``latest``;
    a value off the list is the same 400. A test holds the two to the same answers."""
    query = {}
    errors = {}
    for name, choices in TOPIC_LIST_CHOICES.items():
        value = params.get(name)
        if not value:
            continue
        if value in choices:
            query[name] = value
        else:
            message = serializers.ChoiceField.default_error_messages["invalid_choice"].format(input=value)
            errors[name] = [ErrorDetail(message, code="invalid_choice")]
    if errors:
        raise serializers.ValidationError(errors)
    query.setdefault("sort", "latest")
    return query


class TipListQuery(serializers.Serializer):
    tag = serializers.ChoiceField(choices=sorted(TAG_SLUGS), required=False)
    board = serializers.SlugField(required=False, max_length=64)


class SearchQueryInput(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        help_text=(
            'Words to find (all of them); `"a phrase"` in that order; `-word` to exclude; `OR` between '
            "alternatives. The last word also matches as a prefix (search as you type)."
        ),
    )
    board = serializers.SlugField(required=False, max_length=64, help_text="Only this board (slug).")
    tag = serializers.ChoiceField(choices=sorted(TAG_SLUGS), required=False, help_text="Only topics with this tag.")
    kind = serializers.ChoiceField(choices=TopicKind.choices, required=False)
    sort = serializers.ChoiceField(
        choices=SORTS,
        default="relevance",
        help_text=(
            "`relevance`: text rank times the Wilson score of tips times recency; "
            "`newest`: by the newest matching post."
        ),
    )


# --- Output ----------------------------------------------------------------------------


def reactions_of(row: Any) -> dict[str, int]:
    if not isinstance(row, dict):
        row = {name: getattr(row, name) for name in ("helpful_count", "support_count", "me_too_count")}
    return {"helpful": row["helpful_count"], "support": row["support_count"], "me_too": row["me_too_count"]}


def topic_row(row: dict[str, Any], board_slug: str | None = None) -> dict[str, Any]:
    """A topic in a feed, from a ``values()`` row."""
    data = {
        "id": row["id"],
        "board": board_slug or row.get("board__slug"),
        "title": row["title"],
        "kind": row["kind"],
        "tags": row["tags"],
        "status": row["status"],
        "author": row["author_name"],
        "created_at": row["created_at"],
        "last_activity_at": row["last_activity_at"],
        "reply_count": row["reply_count"],
        "pinned": row["is_pinned"],
        "locked": row["is_locked"],
        "reactions": reactions_of(row),
    }
    if row["kind"] == TopicKind.TIP:
        data["outcomes"] = {"helped": row["outcome_helped"], "tried": row["outcome_tried"]}
        data["score"] = round(row["wilson_score"], 4)
    return data


TOPIC_GONE_TITLE = "This topic is no longer available"


def topic_data(topic: Topic, viewer: Viewer) -> dict[str, Any]:
    data = topic_row({name: getattr(topic, name) for name in TOPIC_ROW_FIELDS}, topic.board.slug)
    if topic.status in (ContentStatus.HIDDEN, ContentStatus.REMOVED) and not can_moderate_board(viewer, topic.board_id):
        data["title"] = TOPIC_GONE_TITLE
        data["tags"] = []
    return data


def post_row(row: dict[str, Any], viewer: Viewer, board_id: int | None) -> dict[str, Any]:
    """A post as the viewer may see it, from a ``values()`` row (``POST_ROW_FIELDS``, and the viewer's
    ``mine_<kind>`` when the selector annotated them): hidden and removed posts keep their place, not
    their text. ``board_id`` is the post's board, needed for moderators only (see ``can_read_text``)."""
    status = row["status"]
    readable = can_read_text(viewer, status=status, author_id=row["author_id"], board_id=board_id)
    data: dict[str, Any] = {
        "id": row["id"],
        "topic": row["topic_id"],
        "author": row["author_name"],
        "is_first": row["is_first"],
        "body_html": row["body_html"] if readable else None,
        "status": status,
        "created_at": row["created_at"],
        "edited_at": row["edited_at"],
        "reactions": reactions_of(row),
        # Set by the thread selectors; posts fetched one by one do not carry them.
        "my_reactions": [kind for kind, mine in MY_REACTION_FIELDS if row.get(mine, False)],
        # Shown as "Not medical advice: talk to your doctor" next to posts screening marked.
        "medical_notice": row["medical_notice"],
    }
    if status in (ContentStatus.HIDDEN, ContentStatus.REMOVED):
        reason = row["gone_reason"] or (GoneReason.FLAGGED if status == ContentStatus.HIDDEN else GoneReason.MODERATED)
        data["notice"] = GoneReason(reason).label
    return data


def post_data(post: Post, viewer: Viewer) -> dict[str, Any]:
    """A post instance as the viewer may see it (:func:`post_row`)."""
    row = {name: getattr(post, name) for name in POST_ROW_FIELDS}
    row.update((mine, getattr(post, mine)) for _, mine in MY_REACTION_FIELDS if hasattr(post, mine))
    # Only moderators need the board, so only they load the post's topic (their selectors join it).
    return post_row(row, viewer, post.topic.board_id if is_moderator(viewer) else None)


def notification_data(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "message": notification.message,
        "topic": notification.topic_id,
        "post": notification.post_id,
        "actor": notification.actor_name or None,
        "data": notification.data,
        "created_at": notification.created_at,
        "read": notification.read_at is not None,
    }


class ReactionCountsSchema(serializers.Serializer):
    helpful = serializers.IntegerField()
    support = serializers.IntegerField()
    me_too = serializers.IntegerField()


class OutcomeCountsSchema(serializers.Serializer):
    helped = serializers.IntegerField()
    tried = serializers.IntegerField()


class SearchResultSchema(serializers.Serializer):
    topic = serializers.IntegerField()
    title = serializers.CharField()
    board = serializers.CharField(help_text="The board's slug.")
    kind = serializers.ChoiceField(choices=TopicKind.choices)
    post = serializers.IntegerField(help_text="The best-matching post of the topic.")
    author = serializers.CharField(help_text='The post\'s author: the pseudonym, or "former member".')
    created_at = serializers.DateTimeField(help_text="When the post was written.")
    snippet = serializers.CharField(
        help_text="The matching passage of the post, HTML-escaped; the matched words in `<mark>`, no other markup."
    )
    outcomes = OutcomeCountsSchema(required=False, help_text="Tips only.")


class TagSchema(serializers.Serializer):
    slug = serializers.CharField()
    # The metaclass takes declared fields off the class, so this does not shadow Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    group = serializers.CharField()


class TopicSchema(serializers.Serializer):
    id = serializers.IntegerField()
    board = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=TopicKind.choices)
    tags = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(choices=ContentStatus.choices)
    author = serializers.CharField(help_text='The pseudonym, or "former member".')
    created_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()
    reply_count = serializers.IntegerField()
    pinned = serializers.BooleanField()
    locked = serializers.BooleanField()
    reactions = ReactionCountsSchema()
    outcomes = OutcomeCountsSchema(required=False, help_text="Tips only.")
    score = serializers.FloatField(required=False, help_text="Tips only: Wilson lower bound (95%) of helped/tried.")


class PostSchema(serializers.Serializer):
    id = serializers.IntegerField()
    topic = serializers.IntegerField()
    author = serializers.CharField()
    is_first = serializers.BooleanField()
    body_html = serializers.CharField(allow_null=True, help_text="Null when the post is hidden or removed.")
    status = serializers.ChoiceField(choices=ContentStatus.choices)
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    reactions = ReactionCountsSchema()
    my_reactions = serializers.ListField(child=serializers.ChoiceField(choices=ReactionKind.choices))
    medical_notice = serializers.BooleanField(
        help_text="Screening found medical advice: show a not-medical-advice marker."
    )
    notice = serializers.CharField(required=False, help_text="Why a hidden or removed post is not shown.")


class ScreeningReasonSchema(serializers.Serializer):
    reason = serializers.CharField()
    action = serializers.CharField()


class CreatedPostSchema(PostSchema):
    screening = ScreeningReasonSchema(many=True)
    resources = SupportResourcesSchema(required=False, help_text="Support resources, when warning signs were found.")


class UpdatedTopicSchema(TopicSchema):
    screening = ScreeningReasonSchema(many=True, help_text="What screening found in a new title; empty otherwise.")
    resources = SupportResourcesSchema(required=False, help_text="Support resources, when warning signs were found.")


class CreatedTopicSchema(TopicSchema):
    post = PostSchema()
    screening = ScreeningReasonSchema(many=True)
    resources = SupportResourcesSchema(required=False, help_text="Support resources, when warning signs were found.")


class ReactionResultSchema(serializers.Serializer):
    post = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReactionKind.choices)
    changed = serializers.BooleanField()
    reactions = ReactionCountsSchema()


class OutcomeResultSchema(serializers.Serializer):
    topic = serializers.IntegerField()
    helped = serializers.BooleanField(allow_null=True)
    changed = serializers.BooleanField()
    outcomes = OutcomeCountsSchema()
    score = serializers.FloatField()


class BoardSchema(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    is_public = serializers.BooleanField()
    is_archived = serializers.BooleanField()


class NotificationSchema(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    message = serializers.CharField()
    topic = serializers.IntegerField(allow_null=True)
    post = serializers.IntegerField(allow_null=True)
    actor = serializers.CharField(allow_null=True)
    data = serializers.DictField()  # type: ignore[assignment]
    created_at = serializers.DateTimeField()
    read = serializers.BooleanField()


class RevisionSchema(serializers.Serializer):
    id = serializers.IntegerField()
    editor = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


def board_data(board: Any) -> dict[str, Any]:
    return {
        "slug": board.slug,
        "name": board.name,
        "description": board.description,
        "is_public": board.is_public,
        "is_archived": board.is_archived,
    }
