from __future__ import annotations

from config.pagination import FeedCursorPagination


class TopicPagination(FeedCursorPagination):
    def __init__(self, ordering: str = "-created_at") -> None:
        # The cursor positions on the first ordering field; "-id" breaks ties deterministically.
        self.ordering = (ordering, "-id")


class PostPagination(FeedCursorPagination):
    ordering = ("created_at", "id")
    page_size = 20


class TipPagination(FeedCursorPagination):
    ordering = ("-wilson_score", "-outcome_tried", "-id")


class NotificationPagination(FeedCursorPagination):
    ordering = ("-created_at", "-id")
