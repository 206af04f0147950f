"""Small template helpers for the pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def dict_get(mapping: Any, key: Any) -> Any:
    """``{{ labels|dict_get:slug }}``: a mapping's value for a key held in a variable."""
    if hasattr(mapping, "get"):
        return mapping.get(key)
    return None
