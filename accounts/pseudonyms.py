"""Rules for public pseudonyms.

A pseudonym must not pass its holder off as a clinician or as staff: in a
health forum a "Dr_Sam" giving dosage advice is a safety problem, and a
"support_team" is an impersonation risk.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError

PSEUDONYM_RE = re.compile(r"^[A-Za-z0-9_-]{3,30}$")

# Refused wherever they appear inside the name ("thenurse", "doctorjoe").
REFUSED_SUBSTRINGS = (
    "doctor",
    "nurse",
    "moderator",
    "admin",
    "staff",
    "physician",
    "neurologist",
    "therapist",
    "official",
    "supportcircle",
)

# Short titles refused as a whole word: "dr_li", "dr-li", "DrLi", "li_md", but not "drew".
REFUSED_WORDS = {"dr", "md", "rn", "np", "mod", "mods", "support", "team", "staff", "helpdesk"}

RESERVED = {
    "anonymous",
    "former-member",
    "former_member",
    "formermember",
    "system",
    "root",
    "null",
    "none",
    "undefined",
    "api",
    "me",
    "help",
    "security",
    "abuse",
    "postmaster",
    "webmaster",
    "noreply",
    "no-reply",
    "everyone",
    "here",
}

_WORD_SPLIT = re.compile(r"[_\-0-9]+|(?<=[a-z])(?=[A-Z])")


def pseudonym_words(name: str) -> list[str]:
    return [word.lower() for word in _WORD_SPLIT.split(name) if word]


def validate_pseudonym(name: str) -> None:
    if not PSEUDONYM_RE.fullmatch(name):
        raise ValidationError(
            "Use 3 to 30 letters, digits, '_' or '-'.",
            code="invalid_username",
        )
    lowered = name.lower()
    squashed = lowered.replace("_", "").replace("-", "")
    if lowered in RESERVED or squashed in RESERVED:
        raise ValidationError("This name is reserved.", code="reserved_username")
    if any(word in squashed for word in REFUSED_SUBSTRINGS) or set(pseudonym_words(name)) & REFUSED_WORDS:
        raise ValidationError(
            "Pseudonyms cannot include titles or staff-like words (such as Dr, nurse, moderator or admin).",
            code="title_username",
        )


def retired_digests(name: str) -> list[str]:
    """The keyed hashes a retired pseudonym is stored as: the first under ``SECRET_KEY``, then one per
    ``SECRET_KEY_FALLBACKS`` entry, so a key rotation does not free the names retired before it.

    Keyed, so the table cannot be checked against a list of guessed names without the key: whether
    someone was a member of a health forum is itself health data.
    """
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    message = name.lower().encode()
    return [hmac.new(key.encode(), message, hashlib.sha256).hexdigest() for key in keys]
