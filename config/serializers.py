"""Serializer building blocks shared by every app's input serializers."""

import re
from typing import Any, cast

from rest_framework import serializers

# C0 controls other than tab, newline and carriage return, DEL, C1 controls,
# and the Unicode bidi overrides that can disguise text.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Titles and other one-line fields also refuse tabs and line breaks.
SINGLE_LINE_BREAKERS = re.compile(r"[\t\n\r\u2028\u2029]")


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know.

    A typo such as ``titel`` silently ignored is a bug the client never sees;
    naming it in a 400 is kinder.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown}, code="unknown_field")
        return super().to_internal_value(data)


class CleanCharField(serializers.CharField):
    """A CharField that refuses control characters (NUL is refused by DRF already)."""

    default_error_messages = {"control_chars": "Control characters are not allowed."}

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if CONTROL_CHARS.search(value) or (not self.multiline and SINGLE_LINE_BREAKERS.search(value)):
            self.fail("control_chars")
        return value


def validated(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> dict[str, Any]:
    """Run an input serializer and return its validated data; invalid input raises the API's 400."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return cast(dict[str, Any], serializer.validated_data)
