"""Community API views: input serializer → service or selector → output shape."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from accounts.models import User
from community import selectors, services
from community.idempotency import IdempotentCreateMixin, run_idempotent
from community.models import ReactionKind
from community.pagination import NotificationPagination, PostPagination, TipPagination, TopicPagination
from community.permissions import check_can_see_revisions, is_moderator
from community.search import query as search_query
from community.search import selectors as search_selectors
from community.serializers import (
    BoardSchema,
    CreatedPostSchema,
    CreatedTopicSchema,
    NotificationSchema,
    NotificationsReadInput,
    OutcomeInput,
    OutcomeResultSchema,
    PostCreateInput,
    PostSchema,
    PostUpdateInput,
    ReactionResultSchema,
    RevisionSchema,
    SearchQueryInput,
    SearchResultSchema,
    TagSchema,
    TipListQuery,
    TopicCreateInput,
    TopicListQuery,
    TopicSchema,
    TopicUpdateInput,
    UpdatedTopicSchema,
    board_data,
    notification_data,
    post_data,
    post_row,
    topic_data,
    topic_list_query,
    topic_row,
)
from community.tags import TAG_GROUPS
from community.throttles import ReplyThrottle, TopicThrottle, record_post
from config.api_errors import ApiError
from config.errors import Forbidden, Invalid
from config.pagination import PAGE_PARAMETERS, page_schema, page_size
from config.serializers import validated


def _member(request: Request) -> User:
    return cast(User, request.user)


def _screening_payload(screening: services.Screening) -> dict[str, Any]:
    payload: dict[str, Any] = {"screening": screening.reasons}
    if screening.resources:
        payload["resources"] = screening.resources
    return payload


class BoardListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="v1_boards_list", responses=page_schema(BoardSchema), summary="Boards visible to you")
    def get(self, request: Request) -> Response:
        boards = [board_data(board) for board in selectors.board_list(request.user)]
        return Response({"results": boards, "next": None, "previous": None})


class BoardDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=BoardSchema, summary="One board")
    def get(self, request: Request, slug: str) -> Response:
        return Response(board_data(selectors.get_board_for_viewer(request.user, slug)))


class BoardTopicsView(IdempotentCreateMixin, APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    throttle_classes = [TopicThrottle]

    @extend_schema(
        parameters=[TopicListQuery, *PAGE_PARAMETERS],
        responses=page_schema(TopicSchema),
        operation_id="v1_boards_topics_list",
        summary="Topics of a board",
    )
    def get(self, request: Request, slug: str) -> Response:
        query = topic_list_query(request.query_params)
        rows = selectors.readable_board_topic_rows(request.user, slug, kind=query.get("kind"), tag=query.get("tag"))
        paginator = TopicPagination(ordering=selectors.TOPIC_SORTS[query["sort"]])
        try:
            page = paginator.paginate_queryset(rows, request, view=self) or []
        except ApiError:
            selectors.get_board_for_viewer(request.user, slug)  # a missing board's 404 comes before a bad cursor's 400
            raise
        if not page:
            selectors.get_board_for_viewer(request.user, slug)  # no rows: a 404 unless the board is there to read
        return paginator.get_paginated_response([topic_row(row, slug) for row in page])

    @extend_schema(
        request=TopicCreateInput,
        responses={201: CreatedTopicSchema},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        summary="Start a topic (its first post is the body)",
    )
    def post(self, request: Request, slug: str) -> Response:
        def create() -> Response:
            data = validated(TopicCreateInput, request.data)
            board = selectors.get_board_for_viewer(request.user, slug)
            topic, post, screening = services.create_topic(actor=_member(request), board=board, **data)
            record_post(_member(request), "topic")
            body = {**topic_data(topic, request.user), "post": post_data(post, request.user)}
            return Response({**body, **_screening_payload(screening)}, status=status.HTTP_201_CREATED)

        return run_idempotent(request, self.idempotency_scope(request), create)


class TopicDetailView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(responses=TopicSchema, summary="One topic")
    def get(self, request: Request, topic_id: int) -> Response:
        return Response(topic_data(selectors.get_topic_for_viewer(request.user, topic_id), request.user))

    @extend_schema(request=TopicUpdateInput, responses=UpdatedTopicSchema, summary="Edit a topic (author or moderator)")
    def patch(self, request: Request, topic_id: int) -> Response:
        changes = validated(TopicUpdateInput, request.data, partial=True)
        topic = selectors.get_topic_for_viewer(request.user, topic_id)
        topic, screening = services.update_topic(actor=_member(request), topic=topic, changes=changes)
        return Response({**topic_data(topic, request.user), **_screening_payload(screening)})


class TopicPostsView(IdempotentCreateMixin, APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    throttle_classes = [ReplyThrottle]

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=page_schema(PostSchema),
        operation_id="v1_topics_posts_list",
        summary="Posts of a topic, oldest first",
    )
    def get(self, request: Request, topic_id: int) -> Response:
        topic = selectors.get_thread_for_viewer(request.user, topic_id)
        paginator = PostPagination()
        page = paginator.paginate_queryset(selectors.thread_post_rows(request.user, topic), request, view=self) or []
        return paginator.get_paginated_response([post_row(row, request.user, topic.board_id) for row in page])

    @extend_schema(
        request=PostCreateInput,
        responses={201: CreatedPostSchema},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        summary="Reply in a topic",
    )
    def post(self, request: Request, topic_id: int) -> Response:
        def create() -> Response:
            data = validated(PostCreateInput, request.data)
            topic = selectors.get_topic_for_viewer(request.user, topic_id)
            post, screening = services.create_reply(actor=_member(request), topic=topic, **data)
            record_post(_member(request), "reply")
            return Response(
                {**post_data(post, request.user), **_screening_payload(screening)}, status=status.HTTP_201_CREATED
            )

        return run_idempotent(request, self.idempotency_scope(request), create)


class PostDetailView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(responses=PostSchema, summary="One post")
    def get(self, request: Request, post_id: int) -> Response:
        return Response(post_data(selectors.get_post_for_viewer(request.user, post_id), request.user))

    @extend_schema(request=PostUpdateInput, responses=CreatedPostSchema, summary="Edit your post (revision kept)")
    def patch(self, request: Request, post_id: int) -> Response:
        data = validated(PostUpdateInput, request.data)
        post = selectors.get_post_for_viewer(request.user, post_id)
        post, screening = services.edit_post(actor=_member(request), post=post, **data)
        return Response({**post_data(post, request.user), **_screening_payload(screening)})

    @extend_schema(request=None, responses={204: None}, summary="Withdraw your post")
    def delete(self, request: Request, post_id: int) -> Response:
        post = selectors.get_post_for_viewer(request.user, post_id)
        services.withdraw_post(actor=_member(request), post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostRevisionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_posts_revisions_list",
        responses=page_schema(RevisionSchema),
        summary="Earlier versions of a post (moderators)",
    )
    def get(self, request: Request, post_id: int) -> Response:
        if not is_moderator(request.user):
            raise Forbidden("Only moderators can see earlier versions.", code="moderator_only")
        post = selectors.get_post_for_viewer(request.user, post_id)
        check_can_see_revisions(_member(request), post)
        revisions = [
            {"id": r.pk, "editor": r.editor_name, "title": r.title, "body": r.body, "created_at": r.created_at}
            for r in selectors.post_revisions(post)
        ]
        return Response({"results": revisions, "next": None, "previous": None})


class ReactionView(APIView):
    permission_classes = [IsAuthenticated]

    def _kind(self, kind: str) -> str:
        if kind not in ReactionKind.values:
            raise Invalid(
                f"Unknown reaction. Use one of: {', '.join(ReactionKind.values)}.",
                code="invalid_reaction",
                fields={"kind": ["Unknown reaction."]},
            )
        return kind

    @extend_schema(request=None, responses=ReactionResultSchema, summary="React to a post (idempotent)")
    def put(self, request: Request, post_id: int, kind: str) -> Response:
        kind = self._kind(kind)
        post = selectors.get_post_for_viewer(request.user, post_id)
        changed, counts = services.add_reaction(actor=_member(request), post=post, kind=kind)
        return Response({"post": post.pk, "kind": kind, "changed": changed, "reactions": counts})

    @extend_schema(request=None, responses={200: ReactionResultSchema}, summary="Take back a reaction (idempotent)")
    def delete(self, request: Request, post_id: int, kind: str) -> Response:
        kind = self._kind(kind)
        post = selectors.get_post_for_viewer(request.user, post_id)
        changed, counts = services.remove_reaction(actor=_member(request), post=post, kind=kind)
        return Response({"post": post.pk, "kind": kind, "changed": changed, "reactions": counts})


class OutcomeView(APIView):
    permission_classes = [IsAuthenticated]

    @staticmethod
    def _result(topic: Any, helped: bool | None, changed: bool) -> Response:
        return Response(
            {
                "topic": topic.pk,
                "helped": helped,
                "changed": changed,
                "outcomes": {"helped": topic.outcome_helped, "tried": topic.outcome_tried},
                "score": round(topic.wilson_score, 4),
            }
        )

    @extend_schema(request=OutcomeInput, responses=OutcomeResultSchema, summary="I tried this tip: did it help?")
    def put(self, request: Request, topic_id: int) -> Response:
        data = validated(OutcomeInput, request.data)
        topic = selectors.get_topic_for_viewer(request.user, topic_id)
        changed, topic = services.record_outcome(actor=_member(request), topic=topic, helped=data["helped"])
        return self._result(topic, data["helped"], changed)

    @extend_schema(request=None, responses={200: OutcomeResultSchema}, summary="Take back your outcome")
    def delete(self, request: Request, topic_id: int) -> Response:
        topic = selectors.get_topic_for_viewer(request.user, topic_id)
        changed, topic = services.remove_outcome(actor=_member(request), topic=topic)
        return self._result(topic, None, changed)


class TipsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[TipListQuery, *PAGE_PARAMETERS],
        responses=page_schema(TopicSchema),
        operation_id="v1_tips_list",
        summary="Tips ranked by what helped peers (Wilson lower bound of helped/tried)",
    )
    def get(self, request: Request) -> Response:
        query = validated(TipListQuery, request.query_params)
        rows = selectors.tip_rows(request.user, tag=query.get("tag"), board_slug=query.get("board"))
        paginator = TipPagination()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        return paginator.get_paginated_response([topic_row(row) for row in page])


class SearchView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "search"

    @extend_schema(
        parameters=[SearchQueryInput, *PAGE_PARAMETERS],
        responses=page_schema(SearchResultSchema),
        summary="Search the topics and posts you may read",
    )
    def get(self, request: Request) -> Response:
        params = validated(SearchQueryInput, request.query_params)
        query = search_query.parse(params["q"])
        page = search_selectors.search(
            request.user,
            query,
            filters=search_selectors.Filters(board=params.get("board"), tag=params.get("tag"), kind=params.get("kind")),
            sort=params["sort"],
            cursor=request.query_params.get("cursor"),
            page_size=page_size(request),
        )
        url = request.build_absolute_uri()
        return Response(
            {
                "results": page.results,
                "next": replace_query_param(url, "cursor", page.next_cursor) if page.next_cursor else None,
                "previous": replace_query_param(url, "cursor", page.previous_cursor) if page.previous_cursor else None,
            }
        )


class TagsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=page_schema(TagSchema), summary="The curated tags, for filters")
    def get(self, request: Request) -> Response:
        tags = [
            {"slug": slug, "label": label, "group": group}
            for group, labels in TAG_GROUPS.items()
            for slug, label in labels.items()
        ]
        return Response({"results": tags, "next": None, "previous": None})


class NotificationsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "NotificationPage",
            {
                "results": NotificationSchema(many=True),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "unread": serializers.IntegerField(),
            },
        ),
        parameters=PAGE_PARAMETERS,
        summary="Your notifications, newest first",
    )
    def get(self, request: Request) -> Response:
        paginator = NotificationPagination()
        member = _member(request)
        page = paginator.paginate_queryset(selectors.notifications_for(member), request, view=self) or []
        response = paginator.get_paginated_response([notification_data(n) for n in page])
        response.data["unread"] = selectors.unread_count(member)
        return response


class NotificationsReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=NotificationsReadInput,
        responses=inline_serializer("NotificationsRead", {"marked": serializers.IntegerField()}),
        summary="Mark notifications read (all, or the given ids)",
    )
    def post(self, request: Request) -> Response:
        data = validated(NotificationsReadInput, request.data)
        marked = services.mark_notifications_read(actor=_member(request), ids=data.get("ids"))
        return Response({"marked": marked})


class _ToggleView(APIView):
    """PUT turns it on, DELETE turns it off; both idempotent and answer the state."""

    permission_classes = [IsAuthenticated]
    state_name = "following"

    def target(self, request: Request, **kwargs: Any) -> Any:
        raise NotImplementedError

    def change(self, request: Request, target: Any, on: bool) -> bool:
        return services.set_follow(actor=_member(request), target=target, on=on)

    def _answer(self, request: Request, on: bool, **kwargs: Any) -> Response:
        changed = self.change(request, self.target(request, **kwargs), on)
        return Response({self.state_name: on, "changed": changed})

    def put(self, request: Request, **kwargs: Any) -> Response:
        return self._answer(request, True, **kwargs)

    def delete(self, request: Request, **kwargs: Any) -> Response:
        return self._answer(request, False, **kwargs)


TOGGLE_SCHEMA = inline_serializer(
    "FollowState", {"following": serializers.BooleanField(), "changed": serializers.BooleanField()}
)
BOOKMARK_SCHEMA = inline_serializer(
    "BookmarkState", {"bookmarked": serializers.BooleanField(), "changed": serializers.BooleanField()}
)


@extend_schema_view(
    put=extend_schema(
        request=None, responses=TOGGLE_SCHEMA, summary="Follow a board (your digest then covers the boards you follow)"
    ),
    delete=extend_schema(request=None, responses={200: TOGGLE_SCHEMA}, summary="Stop following a board"),
)
class BoardFollowView(_ToggleView):
    def target(self, request: Request, **kwargs: Any) -> Any:
        return selectors.get_board_for_viewer(request.user, kwargs["slug"])


@extend_schema_view(
    put=extend_schema(request=None, responses=TOGGLE_SCHEMA, summary="Follow a topic (be told about new replies)"),
    delete=extend_schema(request=None, responses={200: TOGGLE_SCHEMA}, summary="Stop following a topic"),
)
class TopicFollowView(_ToggleView):
    def target(self, request: Request, **kwargs: Any) -> Any:
        return selectors.get_topic_for_viewer(request.user, kwargs["topic_id"])


@extend_schema_view(
    put=extend_schema(request=None, responses=BOOKMARK_SCHEMA, summary="Bookmark a topic"),
    delete=extend_schema(request=None, responses={200: BOOKMARK_SCHEMA}, summary="Remove a bookmark"),
)
class BookmarkView(TopicFollowView):
    state_name = "bookmarked"

    def change(self, request: Request, target: Any, on: bool) -> bool:
        return services.set_bookmark(actor=_member(request), topic=target, on=on)
