"""The floor the API is measured against: the same rows, no DRF.

Plain Django views that read the same two pages as the API (a board's 25
newest topics, a topic's 20 oldest posts) with ``.values()`` and answer with
``JsonResponse``: no serializers, no pagination classes, no authentication,
no reshaping. They still go through the whole middleware stack and issue the
same queries as the API views (look up the board or topic, then fetch one row
more than the page to know whether there is a next page), so the difference
to the API is what DRF and the view code add.

Wired only when ``BENCH_FLOOR`` is set (see ``config/urls.py``); anonymous
access to public boards only. Never enable it in production.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path

from community.models import Board, ContentStatus, Post, Topic
from community.selectors import TOPIC_ROW_FIELDS

TOPIC_PAGE = 25
POST_PAGE = 20
POST_FIELDS = (
    "id",
    "topic_id",
    "author_name",
    "is_first",
    "body_html",
    "status",
    "created_at",
    "edited_at",
    "helpful_count",
    "support_count",
    "me_too_count",
)


def board_topics(request: HttpRequest, slug: str) -> JsonResponse:
    board_id = Board.objects.filter(slug=slug, is_public=True).values_list("pk", flat=True).first()
    if board_id is None:
        raise Http404
    rows = list(
        Topic.objects.filter(board_id=board_id, status=ContentStatus.PUBLISHED)
        .order_by("-created_at", "-id")
        .values(*TOPIC_ROW_FIELDS)[: TOPIC_PAGE + 1]
    )
    return JsonResponse({"results": rows[:TOPIC_PAGE], "more": len(rows) > TOPIC_PAGE})


def topic_posts(request: HttpRequest, topic_id: int) -> JsonResponse:
    found = Topic.objects.filter(pk=topic_id, board__is_public=True, status=ContentStatus.PUBLISHED).exists()
    if not found:
        raise Http404
    rows = list(
        Post.objects.filter(topic_id=topic_id)
        .exclude(status=ContentStatus.PENDING)
        .order_by("created_at", "id")
        .values(*POST_FIELDS)[: POST_PAGE + 1]
    )
    return JsonResponse({"results": rows[:POST_PAGE], "more": len(rows) > POST_PAGE})


urlpatterns = [
    path("boards/<slug:slug>/topics/", board_topics, name="bench-floor-board-topics"),
    path("topics/<int:topic_id>/posts/", topic_posts, name="bench-floor-topic-posts"),
]
