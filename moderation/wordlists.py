"""Default screening vocabulary. Moderators extend it in the admin (``ScreeningTerm``).

Phrases are matched case-insensitively on word boundaries after the text is
normalised (quotes and blockquotes removed, whitespace folded). Keep each
list small and precise: a false crisis alert costs a moderator's attention,
a missed one costs far more, so prefer phrases people actually write.
"""

from typing import Final

CRISIS: Final[tuple[str, ...]] = (
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "end it all",
    "want to end it",
    "wanna end it",
    "take my own life",
    "taking my own life",
    "suicidal",
    "suicide",
    "want to die",
    "wish i was dead",
    "wish i were dead",
    "better off dead",
    "better off without me",
    "don't want to live",
    "do not want to live",
    "don't want to be here anymore",
    "no reason to live",
    "nothing to live for",
    "hurt myself",
    "hurting myself",
    "harm myself",
    "harming myself",
    "self-harm",
    "self harm",
    "cut myself",
    "cutting myself",
    "overdose on",
    "can't go on",
    "cannot go on",
)

# Phrases that read as an instruction to stop treatment or avoid care.
STOP_MEDICATION: Final[tuple[str, ...]] = (
    "stop taking your medication",
    "stop taking your meds",
    "stop your medication",
    "stop your meds",
    "quit your medication",
    "quit your meds",
    "throw away your pills",
    "come off your meds",
    "don't take your medication",
    "instead of botox",
)

MIRACLE_CURE: Final[tuple[str, ...]] = (
    "miracle cure",
    "miracle treatment",
    "cured my spasms",
    "cures spasms",
    "cure for hemifacial spasm",
    "cure for blepharospasm",
    "100% cure",
    "guaranteed cure",
    "guaranteed to cure",
    "permanent cure",
    "big pharma doesn't want",
)

SELLING: Final[tuple[str, ...]] = (
    "buy now",
    "order now",
    "discount code",
    "promo code",
    "coupon code",
    "use my code",
    "use code",
    "dm me for",
    "message me for",
    "whatsapp me",
    "limited offer",
    "free shipping",
    "click the link in my bio",
)

BLOCKED_DOMAINS: Final[tuple[str, ...]] = (
    "bit.ly",
    "tinyurl.com",
    "t.me",
    "wa.me",
)
