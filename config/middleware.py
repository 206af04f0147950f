"""Request guards that must run before any parser, DRF's or allauth's."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from config.api_errors import error_body

MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:\\.|[^"\\])*"')
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in ``body`` (strings skipped), without parsing it."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub(b'""', body)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _body(request: HttpRequest) -> bytes:
    try:
        return request.body
    except RequestDataTooBig:
        return b""  # the view's parser refuses it as too large, in its own words


class JsonDepthLimitMiddleware:
    """Refuse JSON nested deeper than any client needs, before a recursive parser can overflow.

    Python's json module raises RecursionError on about a thousand nested arrays; three
    kilobytes were enough to make every JSON endpoint, allauth's included, answer 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes = request.method in ("POST", "PUT", "PATCH", "DELETE") and "json" in (request.content_type or "")
        if writes and json_depth(_body(request)) > MAX_JSON_DEPTH:
            return JsonResponse(
                error_body(f"JSON may nest at most {MAX_JSON_DEPTH} levels deep.", "json_too_deep"), status=400
            )
        return self.get_response(request)
