"""What members consent to at signup, and the version of each text they saw.

Bump a version when the text changes: a member's record keeps the version
they accepted, so a new text can ask again.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models


class ConsentKind(models.TextChoices):
    GUIDELINES = "guidelines", "Community guidelines"
    HEALTH_DATA = "health_data", "Processing of health-related data"
    AGE = "age_16_plus", "Confirmed age 16 or older"


CURRENT_VERSIONS: dict[str, str] = {
    ConsentKind.GUIDELINES: "2026-11",
    ConsentKind.HEALTH_DATA: "2026-11",
    ConsentKind.AGE: "2026-11",
}

# Signup field → consent kind.
SIGNUP_CONSENT_FIELDS: dict[str, str] = {
    "accept_guidelines": ConsentKind.GUIDELINES,
    "health_data_consent": ConsentKind.HEALTH_DATA,
    "age_confirmed": ConsentKind.AGE,
}


# What withdrawing each consent means, told to the member when they withdraw it.
WITHDRAWAL_EFFECTS: dict[str, str] = {
    ConsentKind.HEALTH_DATA: (
        "We no longer process new health-related information from you: you cannot post, reply, react, "
        "flag or record tip outcomes, and digests stop. What you already posted stays as it is until you "
        "choose otherwise: you can download everything we hold about you, or erase your account."
    ),
    ConsentKind.GUIDELINES: (
        "Without agreeing to the community guidelines you can read, but not post, reply, react, flag or "
        "record tip outcomes. You can agree again at any time, download your data, or erase your account."
    ),
    ConsentKind.AGE: (
        "Members must be 16 or older: until you confirm it again you can read, but not post, reply, react, "
        "flag or record tip outcomes. You can download your data or erase your account."
    ),
}


@dataclass(frozen=True)
class ConsentStanding:
    """Which consents stand in the way of writing: withdrawn ones, and ones never given for the current text."""

    withdrawn: tuple[str, ...] = ()
    required: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not (self.withdrawn or self.required)


def consent_standing(records: Iterable[tuple[str, str, bool]]) -> ConsentStanding:
    """From a member's records as (kind, version, withdrawn), what is missing for each current text.

    A kind whose only records are withdrawn is ``withdrawn``; a kind with no record in force for the
    current version (a new text, or none ever given) is ``required``.
    """
    in_force: dict[str, set[str]] = {}
    seen: set[str] = set()
    for kind, version, withdrawn in records:
        seen.add(kind)
        if not withdrawn:
            in_force.setdefault(kind, set()).add(version)
    withdrawn_kinds, required = [], []
    for kind, version in CURRENT_VERSIONS.items():
        if kind in in_force:
            if version not in in_force[kind]:
                required.append(kind)
        elif kind in seen:
            withdrawn_kinds.append(kind)
        else:
            required.append(kind)
    return ConsentStanding(withdrawn=tuple(withdrawn_kinds), required=tuple(required))
