"""Domain errors: what services, permissions and selectors raise when they refuse.

They carry a stable machine-readable ``code``, a sentence for the member, and
optionally per-field messages and extra payload (a sanction's end date, an
item's version). They know nothing of HTTP: ``config.api_errors`` is the one
place that turns each kind into a status code and the error shape, so a
service reads the same whether a view, a task, the admin or a test calls it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class DomainError(Exception):
    """A refusal the member can act on. Subclasses name the kind of refusal."""

    def __init__(
        self,
        detail: str,
        *,
        code: str,
        fields: Mapping[str, Sequence[str]] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.fields = {name: [str(m) for m in messages] for name, messages in (fields or {}).items()}
        self.extra = dict(extra or {})


class Invalid(DomainError):
    """The request asks for something that is not valid as given."""


class Forbidden(DomainError):
    """The actor may not do this (they may be allowed to see it)."""


class NotFound(DomainError):
    """Missing, or not the actor's to see: the two are answered alike."""

    def __init__(self, detail: str = "Not found.", *, code: str = "not_found", **kwargs: Any) -> None:
        super().__init__(detail, code=code, **kwargs)


class Conflict(DomainError):
    """The request clashes with the current state (already done, changed meanwhile)."""


class Unprocessable(DomainError):
    """Well-formed, but cannot be processed as sent (an idempotency key reused for another body)."""


class RateLimited(DomainError):
    """Too many of these for now; ``retry_after`` seconds until the next one is taken."""

    def __init__(self, detail: str, *, code: str, retry_after: int, **kwargs: Any) -> None:
        super().__init__(detail, code=code, **kwargs)
        self.retry_after = retry_after


def cursor_refusal() -> Invalid:
    """A paging cursor the feed did not issue (selectors raise it; the API and the pages show it)."""
    return Invalid(
        "This cursor is not valid: use the next or previous link of a page.",
        code="invalid_cursor",
        fields={"cursor": ["Not a cursor this feed issued."]},
    )
