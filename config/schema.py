"""OpenAPI post-processing: every operation documents the error answers it can give, in the one
error shape (``config.api_errors``), so a generated client knows them as well as the successes."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "Every error answer. Some codes add keys (`until`, `version`, `retry_after`, `claimed_until`, `consents`)."
    ),
    "properties": {
        "detail": {"type": "string", "description": "A sentence for the member."},
        "code": {"type": "string", "description": "Stable and machine-readable, e.g. `invalid_cursor`."},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages per input field; empty when the error is not about one field.",
        },
    },
    "required": ["detail", "code", "fields"],
    "additionalProperties": True,
}

# Every operation can be refused for these: bad input or a bad cursor, not signed in (or a session
# ended by a suspension), not allowed, not found or not yours to see, throttled.
ALWAYS = {
    "400": "The request is not valid (see `fields`).",
    "401": "Sign in first.",
    "403": "Not allowed (the code says why: `member_silenced`, `moderator_only`, ...).",
    "404": "Not found, or not yours to see.",
    "429": "Too many requests; `Retry-After` says when to try again.",
}
WRITES = {
    "409": "Conflicts with the current state (already done, or changed since you loaded it).",
    "422": "An `Idempotency-Key` reused with a different request.",
}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: add the error shape and the error answers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = {**ALWAYS, **(WRITES if method in ("post", "put", "patch", "delete") else {})}
            for code, description in codes.items():
                operation["responses"].setdefault(code, {"description": description, "content": error})
    return result
