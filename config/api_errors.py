"""One error shape for the whole API: ``{"detail", "code", "fields"}``.

Clients rely on it, so every path that can answer an error goes through here:
DRF exceptions via :func:`api_exception_handler`, Django-level 400/403/404/500
via the ``handler*`` views, and domain refusals (:mod:`config.errors`, raised by
services without any HTTP in them) mapped to their status here, in one table.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.utils import InterfaceError as DatabaseInterfaceError
from django.db.utils import OperationalError as DatabaseOperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config import errors

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """A refusal with a stable machine-readable ``code`` and optional extra payload.

    ``extra`` lands beside ``detail``/``code``/``fields`` in the body, for things
    such as a sanction's end date that a client shows the member.
    """

    def __init__(
        self,
        detail: str,
        *,
        code: str,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        fields: Mapping[str, Sequence[str]] | None = None,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.code = code
        self.fields = {name: [str(m) for m in messages] for name, messages in (fields or {}).items()}
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


# The one place a kind of domain refusal becomes an HTTP status.
DOMAIN_STATUS: dict[type[errors.DomainError], int] = {
    errors.Invalid: status.HTTP_400_BAD_REQUEST,
    errors.Forbidden: status.HTTP_403_FORBIDDEN,
    errors.NotFound: status.HTTP_404_NOT_FOUND,
    errors.Conflict: status.HTTP_409_CONFLICT,
    errors.Unprocessable: status.HTTP_422_UNPROCESSABLE_ENTITY,
    errors.RateLimited: status.HTTP_429_TOO_MANY_REQUESTS,
}


def from_domain_error(exc: errors.DomainError) -> ApiError:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, errors.RateLimited) else {}
    return ApiError(
        exc.detail,
        code=exc.code,
        status_code=next((code for kind, code in DOMAIN_STATUS.items() if isinstance(exc, kind)), 400),
        fields=exc.fields,
        extra=exc.extra,
        headers=headers,
    )


def error_body(detail: str, code: str, fields: Mapping[str, list[str]] | None = None, **extra: Any) -> dict:
    return {"detail": detail, "code": code, "fields": dict(fields or {}), **extra}


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested validation detail into ``{"a.b": ["message"]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for sub_name, messages in flatten_errors(value, name).items():
                flat.setdefault(sub_name, []).extend(messages)
    elif isinstance(detail, list | tuple):
        for index, item in enumerate(detail):
            if isinstance(item, Mapping | list | tuple):
                for sub_name, messages in flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)).items():
                    flat.setdefault(sub_name, []).extend(messages)
            else:
                flat.setdefault(prefix or "non_field_errors", []).append(str(item))
    else:
        flat.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return flat


def _validation_body(exc: exceptions.ValidationError) -> dict:
    fields = flatten_errors(exc.detail)
    general = fields.pop("non_field_errors", [])
    codes = exc.get_codes()
    code = "invalid"
    if isinstance(codes, list) and len(codes) == 1 and isinstance(codes[0], str):
        code = codes[0]
    if general:
        detail = " ".join(general)
    elif fields:
        detail = "Some fields are not valid: " + ", ".join(sorted(fields)) + "."
    else:
        detail = "The request is not valid."
    return error_body(detail, code, fields)


# PostgreSQL's deadlock_detected and serialization_failure: the database gave up one of two
# transactions that met head-on, and rolled it back whole. Trying again succeeds.
TRANSIENT_SQLSTATES = {"40P01", "40001"}
DATABASE_RETRY_AFTER_SECONDS = 5


def _is_transient(exc: Exception) -> bool:
    cause = exc.__cause__
    return isinstance(exc, DatabaseOperationalError) and getattr(cause, "sqlstate", None) in TRANSIENT_SQLSTATES


def _as_api_exception(exc: Exception) -> Exception:
    """Domain refusals and Django's own exceptions, as the DRF exception that answers them."""
    if isinstance(exc, errors.DomainError):
        return from_domain_error(exc)
    if _is_transient(exc):
        logger.warning("transaction rolled back by the database (%s): answered 409", type(exc.__cause__).__name__)
        return ApiError(
            "Another change met this one at the same moment; nothing was saved. Please try again.",
            code="write_conflict",
            status_code=status.HTTP_409_CONFLICT,
            headers={"Retry-After": "1"},
        )
    if isinstance(exc, RequestDataTooBig):
        return ApiError("The request body is too large.", code="request_too_large")
    if isinstance(exc, SuspiciousOperation):
        return ApiError("The request could not be understood.", code="bad_request")
    if isinstance(exc, exceptions.ParseError):
        # DRF's message quotes the JSON decoder ("Expecting value: line 1 column 1"): say it plainly.
        return ApiError("The request body is not valid JSON.", code="parse_error")
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, ApiError):
        response.data = error_body(str(exc.detail), exc.code, exc.fields, **exc.extra)
        for name, value in exc.headers.items():
            response[name] = value
    elif isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        code = exc.get_codes()
        if isinstance(detail, Mapping | list):
            response.data = error_body("The request could not be processed.", exc.default_code, flatten_errors(detail))
        else:
            response.data = error_body(str(detail), code if isinstance(code, str) else exc.default_code)
    return response


# Paths answered in the API's error shape; everything else is a page and gets an HTML error page.
API_PATH_PREFIXES = ("/api/", "/_allauth/", "/healthz", "/bench/")


def _json_error(request: HttpRequest, status_code: int, detail: str, code: str) -> HttpResponse:
    if not request.path.startswith(API_PATH_PREFIXES):
        return _page_error(request, status_code, detail)
    return JsonResponse(error_body(detail, code), status=status_code)


def _page_error(request: HttpRequest, status_code: int, detail: str) -> HttpResponse:
    """An error page in the site's layout; a server error gets a plain one that needs no database."""
    if status_code >= 500:
        html = render_to_string("errors/server.html", {"status": status_code, "detail": detail})
    else:
        html = render_to_string("errors/page.html", {"status": status_code, "detail": detail}, request=request)
    return HttpResponse(html, status=status_code)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _json_error(request, 400, "The request could not be understood.", "bad_request")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _json_error(request, 403, "You do not have permission to do this.", "permission_denied")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _json_error(request, 404, "Not found.", "not_found")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF refusals (allauth's browser API, the admin) in the error shape; the reason stays in the log."""
    return _json_error(request, 403, "The CSRF token is missing or does not match.", "csrf_failed")


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's last resort for an exception nothing else answered (views, DRF, any middleware).

    A database that cannot be reached (restarting, failing over) is not a bug of ours and passes:
    503 ``database_unavailable`` with ``Retry-After``, in the error shape, so clients wait and retry.
    """
    failure = sys.exc_info()[1]
    if isinstance(failure, DatabaseOperationalError | DatabaseInterfaceError) and not _is_transient(failure):
        response = _json_error(
            request, 503, "The service is briefly unavailable. Please try again in a moment.", "database_unavailable"
        )
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response
    return _json_error(request, 500, "Something went wrong on our side.", "server_error")
