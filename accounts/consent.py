"""What members consent to at signup, and the version of each text they saw.

Bump a version when the text changes: a member's record keeps the version
they accepted, so a new text can ask again.
"""

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
