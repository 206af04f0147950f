"""The curated tag vocabulary. Tags are slugs; labels and groups are for display."""

from typing import Final

TAG_GROUPS: Final[dict[str, dict[str, str]]] = {
    "condition": {
        "hemifacial-spasm": "Hemifacial spasm",
        "blepharospasm": "Blepharospasm",
        "meige-syndrome": "Meige syndrome",
        "caregiver": "Caregiver",
    },
    "trigger": {
        "stress-anxiety": "Stress and anxiety",
        "fatigue-sleep": "Fatigue and sleep",
        "caffeine": "Caffeine",
        "alcohol": "Alcohol",
        "eye-strain": "Eye strain",
        "bright-light": "Bright light",
    },
    "treatment": {
        "botulinum-toxin": "Botulinum toxin",
        "anticholinergics": "Anticholinergics",
        "benzodiazepines": "Benzodiazepines",
        "anticonvulsants": "Anticonvulsants",
        "microvascular-decompression": "Microvascular decompression surgery",
        "physical-therapy": "Physical therapy",
        "massage": "Massage",
        "stretching": "Stretching",
    },
    "self-care": {
        "compress": "Warm or cold compress",
        "meditation-breathing": "Meditation and breathing",
        "hydration": "Hydration",
        "sleep-routine": "Sleep routine",
        "support-groups": "Support groups",
    },
}

TAG_LABELS: Final[dict[str, str]] = {slug: label for group in TAG_GROUPS.values() for slug, label in group.items()}
TAG_SLUGS: Final[frozenset[str]] = frozenset(TAG_LABELS)
MAX_TAGS_PER_TOPIC: Final = 5
