"""What every page view shares: domain refusals as pages, form errors, htmx partials, paging.

Pages call the same services and selectors as the API. A service's refusal (``config.errors``)
becomes an error page with the same status the API would answer; a form's invalid input is shown
next to its fields, checked by the API's own input serializers so no rule is written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache, cached_property, wraps
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from rest_framework import serializers

from accounts.models import User
from config.api_errors import DOMAIN_STATUS, flatten_errors
from config.errors import DomainError, NotFound

PAGE_SIZE = 20
# Past this page number :func:`paginate_counted` does not try an offset (a crafted ?page=10**30 would not fit one).
MAX_COUNTED_PAGE = 100_000

View = Callable[..., HttpResponse]


def member(request: HttpRequest) -> User:
    return cast(User, request.user)


def is_htmx(request: HttpRequest) -> bool:
    """Sent by htmx (django-htmx's middleware sets ``request.htmx``): answer with the fragment it swaps in."""
    return bool(getattr(request, "htmx", False))


def refusal_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = next((code for kind, code in DOMAIN_STATUS.items() if isinstance(exc, kind)), 400)
    context = {"status": status, "detail": exc.detail, "code": exc.code}
    response = render(request, "errors/page.html", context, status=status)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def page(view: View) -> View:
    """A page view: "not found or not yours" is the site's 404, any other refusal a page saying why."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            return refusal_page(request, exc)

    return wrapper


class FormErrors(dict[str, list[str]]):
    """Messages by field name; ``general`` holds what belongs to no one field."""

    @property
    def general(self) -> list[str]:
        return self.get("non_field_errors", [])


def check_input(
    serializer_class: type[serializers.Serializer], data: Mapping[str, Any], **kwargs: Any
) -> tuple[dict[str, Any], FormErrors]:
    """Validate form input with the API's input serializer: (data, no errors) or ({}, errors by field)."""
    serializer = serializer_class(data=dict(data), **kwargs)
    if serializer.is_valid():
        return cast(dict[str, Any], serializer.validated_data), FormErrors()
    return {}, FormErrors(flatten_errors(serializer.errors))


def with_domain_fields(errors: FormErrors, exc: DomainError) -> FormErrors:
    """A refusal with per-field messages (a duplicate post, a title too long) shown on the form."""
    merged = FormErrors({name: list(messages) for name, messages in errors.items()})
    for name, messages in exc.fields.items():
        merged.setdefault(name, []).extend(messages)
    if not exc.fields:
        merged.setdefault("non_field_errors", []).append(exc.detail)
    return merged


@cache
def _month_abbreviations(language: str) -> tuple[str, ...]:
    # What the date format's "M" shows: Django's three-letter month names, capitalised.
    return ("", *(str(MONTHS_3[month]).title() for month in range(1, 13)))


def time_label(moment: datetime) -> str:
    """``moment`` in the current time zone as ``date_format(…, "j M Y, H:i")`` shows it, at a tenth of the cost:
    a topic page labels twenty posts, and Django's format machinery looks the format up again each time."""
    local = timezone.localtime(moment)
    month = _month_abbreviations(get_language() or "")[local.month]
    return f"{local.day} {month} {local.year}, {local.hour:02d}:{local.minute:02d}"


def paginate(request: HttpRequest, rows: QuerySet | list, size: int = PAGE_SIZE) -> Page:
    """Numbered pages (people share "page 3"); a page number out of range shows the last page."""
    return Paginator(rows, size).get_page(request.GET.get("page"))


class _CountedPaginator(Paginator):
    """A paginator told its count by the page's own query."""

    def __init__(self, rows: QuerySet, per_page: int, *, count: int) -> None:
        super().__init__(rows, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def paginate_counted(request: HttpRequest, rows: QuerySet, size: int = PAGE_SIZE) -> Page:
    """:func:`paginate` for an ordered ``values()`` queryset, with the total counted in the same statement
    (``COUNT(*) OVER ()``): one query per page instead of two. The rows carry the total as
    ``page_total_rows``. A page number that is not a whole number from 1 to the last page is
    :func:`paginate`'s to answer (the first or the last page, as ``Paginator.get_page``), at the cost of
    its count."""
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        return paginate(request, rows, size)
    if not 1 <= number <= MAX_COUNTED_PAGE:
        return paginate(request, rows, size)
    offset = (number - 1) * size
    page_rows = list(rows.annotate(page_total_rows=Window(Count("*")))[offset : offset + size])
    if not page_rows and number != 1:
        return paginate(request, rows, size)
    paginator = _CountedPaginator(rows, size, count=page_rows[0]["page_total_rows"] if page_rows else 0)
    # The hook Django's docs name for building a page (``Paginator._get_page``), missing from its stubs.
    return paginator._get_page(page_rows, number, paginator)  # type: ignore[attr-defined]


def posted_next(request: HttpRequest, fallback: str) -> str:
    """The page the form came from (``next``), if it is ours; otherwise ``fallback``."""
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    return target


def back_to(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Redirect to the page the form came from (``next``), if it is ours; otherwise to ``fallback``."""
    return HttpResponseRedirect(posted_next(request, fallback))
