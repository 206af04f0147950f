"""``Idempotency-Key`` for create requests: a retry returns the first answer and creates nothing.

The first successful answer is stored in the same transaction as what it
created, under a unique (member, key) constraint, so two racing requests with
one key cannot both create: the loser's transaction rolls back and it
replays the winner's answer.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from community.models import IdempotencyRecord
from config.api_errors import ApiError

HEADER = "Idempotency-Key"
KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")
RETENTION = timedelta(hours=24)


def _key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY_RE.fullmatch(key):
        raise ApiError(
            "Idempotency-Key must be 1 to 255 visible ASCII characters.",
            code="invalid_idempotency_key",
            fields={HEADER: ["Use 1 to 255 visible ASCII characters, such as a UUID."]},
        )
    return key


def _fingerprint(scope: str, data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{scope}\n{canonical}".encode()).hexdigest()


def _replay(record: IdempotencyRecord, scope: str, fingerprint: str) -> Response:
    if record.scope != scope or record.fingerprint != fingerprint:
        raise ApiError(
            "This Idempotency-Key was already used for a different request.",
            code="idempotency_key_reused",
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(record.response_body, status=record.response_status, headers={"Idempotent-Replayed": "true"})


def find_replay(request: Request, scope: str) -> Response | None:
    """The stored answer for this request's key, if any (a different body is a 422)."""
    user = request.user
    if not isinstance(user, User):
        return None
    key = _key(request)
    if key is None:
        return None
    record = IdempotencyRecord.objects.filter(user=user, key=key, created_at__gte=timezone.now() - RETENTION).first()
    if record is None:
        return None
    return _replay(record, scope, _fingerprint(scope, request.data))


def run_idempotent(request: Request, scope: str, create: Callable[[], Response]) -> Response:
    """Run ``create`` once per (member, key); replay its answer to retries within 24 hours."""
    key = _key(request)
    user = request.user
    if key is None or not isinstance(user, User):
        return create()
    fingerprint = _fingerprint(scope, request.data)
    replay = find_replay(request, scope)
    if replay is not None:
        return replay
    # A key older than the retention window may be reused for something new.
    IdempotencyRecord.objects.filter(user=user, key=key, created_at__lt=timezone.now() - RETENTION).delete()
    try:
        with transaction.atomic():
            response = create()
            if status.is_success(response.status_code):
                IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    scope=scope,
                    fingerprint=fingerprint,
                    response_status=response.status_code,
                    response_body=json.loads(JSONRenderer().render(response.data)),
                )
            return response
    except IntegrityError:
        # Another request with the same key won the race; everything this one wrote is rolled back.
        record = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if record is None:
            raise
        return _replay(record, scope, fingerprint)


class IdempotentCreateMixin:
    """For APIViews whose POST creates: a replayed request skips the throttles.

    A client retrying after a lost answer must get that answer, not a 429.
    """

    def idempotency_scope(self, request: Request) -> str:
        return f"{request.method} {request.path}"

    def check_throttles(self, request: Request) -> None:
        if request.method == "POST" and find_replay(request, self.idempotency_scope(request)) is not None:
            return
        super().check_throttles(request)  # type: ignore[misc]


def purge_expired() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - RETENTION).delete()
    return deleted
