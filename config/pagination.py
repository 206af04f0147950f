from rest_framework.pagination import CursorPagination


class FeedCursorPagination(CursorPagination):
    """Cursor pagination for every feed: stable under inserts, constant cost per page."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering: str | tuple[str, ...] = "-created_at"
