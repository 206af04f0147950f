from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

from config.api_errors import ApiError, from_domain_error
from config.errors import cursor_refusal

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100

# For the OpenAPI schema of every cursor feed: the two query parameters a client pages with.
PAGE_PARAMETERS = [
    OpenApiParameter(
        "cursor",
        OpenApiTypes.STR,
        description="Opaque: take it from a page's `next` or `previous` link. Anything else is a 400 `invalid_cursor`.",
    ),
    OpenApiParameter(
        "page_size", OpenApiTypes.INT, description=f"Items per page, 1 to {MAX_PAGE_SIZE} (default {PAGE_SIZE})."
    ),
]


def page_size(request: Request) -> int:
    """The ``page_size`` a client asked for, as every feed reads it: the default when missing or not a
    positive number, at most :data:`MAX_PAGE_SIZE`."""
    asked = request.query_params.get("page_size", "")
    if not asked.isdecimal() or len(asked) > 6 or int(asked) < 1:
        return PAGE_SIZE
    return min(int(asked), MAX_PAGE_SIZE)


class FeedCursorPagination(CursorPagination):
    """Cursor pagination for every feed: stable under inserts, constant cost per page.

    A cursor is opaque to clients but decodable by anyone; a crafted one must be a
    400, never a database error. Its position is checked against the ordering field's
    type before it reaches a query.
    """

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering: str | tuple[str, ...] = "-created_at"
    _model: type[Model] | None = None

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> Cursor | None:
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise invalid_cursor() from None
        if cursor is not None and cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: object) -> None:
        ordering = (self.ordering,) if isinstance(self.ordering, str) else self.ordering
        name = ordering[0].lstrip("-")
        if self._model is None:
            return
        try:
            field = self._model._meta.get_field(name)
        except FieldDoesNotExist:
            return
        try:
            field.to_python(position)  # type: ignore[union-attr]
        except (ValidationError, ValueError, TypeError, OverflowError):
            raise invalid_cursor() from None


def invalid_cursor() -> ApiError:
    return from_domain_error(cursor_refusal())


@cache
def page_schema(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """For the OpenAPI schema: a page of ``item`` as every list answers it (``results``, ``next``, ``previous``).

    One class per item, so the schema has one ``Paginated<Item>List`` component however many lists share it.
    """
    fields = {
        "results": item(many=True),
        "next": serializers.URLField(allow_null=True, help_text="The next page, or null on the last one."),
        "previous": serializers.URLField(allow_null=True, help_text="The previous page, or null on the first one."),
    }
    return type(f"Paginated{item.__name__.removesuffix('Schema')}List", (serializers.Serializer,), fields)
