"""The community guidelines moderators cite, and the reason codes for removals."""

from django.db import models


class Guideline(models.TextChoices):
    KINDNESS = "G1", "G1: Be kind; no harassment or personal attacks"
    NO_MEDICAL_ADVICE = "G2", "G2: Share experiences, not medical instructions; see a professional"
    PRIVACY = "G3", "G3: Protect privacy: no contact details or identifying information"
    NO_SELLING = "G4", "G4: No selling, advertising or spam"
    SAFETY = "G5", "G5: Keep each other safe; crisis posts get support, not judgement"
    ON_TOPIC = "G6", "G6: Stay on topic for the board"
    AGE = "G7", "G7: Members must be 16 or older"


class RemovalReason(models.TextChoices):
    MEDICAL_MISINFORMATION = "medical_misinformation", "Unsafe medical advice or misinformation"
    HARASSMENT = "harassment", "Harassment or personal attacks"
    SPAM_OR_SELLING = "spam_or_selling", "Spam or selling"
    PERSONAL_INFO = "personal_info", "Personal information"
    OFF_TOPIC = "off_topic", "Off topic"
    UNDER_AGE = "under_age", "Member under 16"
    OTHER = "other", "Other"
