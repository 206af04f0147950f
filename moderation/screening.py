"""Screening of new and edited posts: pure functions, text and facts in, a verdict out.

Nothing here touches the database. Community code gathers the facts about
the author and the word lists, calls :func:`screen`, and acts on the verdict.
Every signal becomes a :class:`Reason` with the action it asks for, so a
held post can always say why, and moderators see the same reasons.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from moderation import medical_signs, selling_signs, warning_signs, wordlists
from moderation.classifier import EXPLICIT, INDIRECT, MEDICAL, SOMEONE_ELSE, ModelScore, ScreeningModel, default_model
from moderation.patterns import negated
from moderation.textnorm import fold_characters, normalise
from moderation.warning_signs import Tier


class Action(StrEnum):
    HOLD = "hold"
    URGENT = "queue_urgent"
    REVIEW = "queue_high"


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"


CRISIS_REASONS = {
    "crisis_language": Tier.EXPLICIT,
    "warning_signs": Tier.INDIRECT,
    "concern_for_someone": Tier.SOMEONE_ELSE,
}
MEDICAL_REASONS = frozenset(
    {
        "dosage_instructions",
        "stop_medication_advice",
        "avoid_clinician_advice",
        "miracle_cure_claim",
        "unsafe_medical_advice",
    }
)

# How sure the classifier must be, on its own, before it adds a reason the patterns did not find.
# Chosen by cross-validation in ``screening_report`` (see BENCHMARKS.md): the patterns carry precision,
# the model adds recall only where it is confident.
MODEL_CRISIS_THRESHOLD = 0.8
MODEL_EXPLICIT_THRESHOLD = 0.65
MODEL_MEDICAL_THRESHOLD = 0.6
# Fragments shorter than this are outside what the corpus teaches (every corpus post is longer).
MODEL_MIN_WORDS = 5


@dataclass(frozen=True)
class Reason:
    reason: str
    action: Action
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"reason": self.reason, "action": str(self.action), "detail": self.detail}


@dataclass(frozen=True)
class AuthorFacts:
    trust_level: str  # "new" | "member" | "trusted"
    published_posts: int
    is_moderator: bool = False


@dataclass(frozen=True)
class WordLists:
    crisis: tuple[str, ...] = wordlists.CRISIS
    stop_medication: tuple[str, ...] = wordlists.STOP_MEDICATION
    miracle_cure: tuple[str, ...] = wordlists.MIRACLE_CURE
    selling: tuple[str, ...] = wordlists.SELLING
    blocked_domains: tuple[str, ...] = wordlists.BLOCKED_DOMAINS


DEFAULT_WORD_LISTS = WordLists()
NEW_MEMBER_HELD_POSTS = 2
LINK_LIMIT = {"new": 2}


@dataclass
class Verdict:
    reasons: list[Reason] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return any(r.action == Action.HOLD for r in self.reasons)

    @property
    def support_tier(self) -> Tier | None:
        """The most serious warning-sign tier found, or None."""
        tiers = [CRISIS_REASONS[r.reason] for r in self.reasons if r.reason in CRISIS_REASONS]
        order = (Tier.EXPLICIT, Tier.INDIRECT, Tier.SOMEONE_ELSE)
        return min(tiers, key=order.index) if tiers else None

    @property
    def crisis(self) -> bool:
        """Explicit crisis: published, queued urgently, moderators alerted at once."""
        return self.support_tier is Tier.EXPLICIT

    @property
    def needs_support(self) -> bool:
        """Any tier of warning signs: the author gets resources, and the post is never held."""
        return self.support_tier is not None

    @property
    def medical_notice(self) -> bool:
        return any(r.reason in MEDICAL_REASONS for r in self.reasons)

    @property
    def status(self) -> str:
        # Posts with warning signs are never held back: the author needs to be heard, and moderators alerted.
        return "pending" if self.held and not self.needs_support else "published"

    @property
    def queue_priority(self) -> Priority | None:
        if self.crisis:
            return Priority.URGENT
        if self.needs_support or self.medical_notice:
            return Priority.HIGH
        if self.held:
            return Priority.NORMAL
        return None


# --- Text preparation -------------------------------------------------------------------------

_BLOCKQUOTE = re.compile(r"^\s*>.*$", re.MULTILINE)
_QUOTED = re.compile(r"[\"“”«»][^\"“”«»\n]{0,300}[\"“”«»]")
# Fenced blocks first: otherwise the inline pattern eats the fence's first two backticks.
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_NEGATIONS = frozenset({"not", "never", "no", "nor", "longer", "hardly"})
_CLAUSE_END = re.compile(r"[.!?;:,\n]")


def _fold_apostrophes(text: str) -> str:
    return fold_characters(text, _APOSTROPHES) if not text.isascii() else text


def own_words(text: str) -> str:
    """The author's own words: without blockquotes, quoted passages and code."""
    text = _CODE.sub(" ", text)
    text = _BLOCKQUOTE.sub(" ", text)
    text = _QUOTED.sub(" ", _fold_apostrophes(text))
    return " ".join(text.lower().split())


def _phrase_re(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in phrase.lower().split()]
    return re.compile(r"(?<![\w'])" + r"\s+".join(words) + r"(?![\w'])")


def _negated(text: str, start: int) -> bool:
    """Whether a negation directly governs the phrase at ``start``: "not suicidal", "never hurt myself",
    "wouldn't harm myself", "no longer want to die". Only the two words just before the phrase count,
    and never across a clause boundary: in "I'm not ok. I want to die" the "not" belongs to another sentence.
    """
    clause = _CLAUSE_END.split(text[max(0, start - 60) : start])[-1]
    return any(word in _NEGATIONS or word.endswith("n't") for word in clause.split()[-2:])


_SENTENCE = re.compile(r"[^.!?\n]*")
_CARE_WORDS = re.compile(r"\b(?:doctor|doctors|neurologist|gp|physician|specialist|clinic|pharmacist|prescriber)\b")
_DEFER_WORDS = re.compile(r"\b(?:ask|asking|talk|talking|check|checking|consult|without|before|unless|until)\b")


def _sentence_at(text: str, start: int) -> str:
    begin = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    match = _SENTENCE.match(text, start)
    return text[begin : match.end() if match else len(text)]


def defers_to_a_clinician(text: str, start: int) -> bool:
    """ "Don't stop your medication without talking to your neurologist" is good advice, not bad."""
    sentence = _sentence_at(text, start)
    return bool(_CARE_WORDS.search(sentence) and _DEFER_WORDS.search(sentence))


def find_phrases(
    text: str, phrases: Iterable[str], *, allow_negation: bool = True, allow_clinician: bool = False
) -> list[str]:
    """Phrases present in ``text`` (already normalised), skipping negated ones such as "I'm not suicidal"."""
    found = []
    for phrase in phrases:
        if " ".join(phrase.lower().split()) not in text:
            continue  # a substring search is far cheaper than the regex over a long post
        for match in _phrase_re(phrase).finditer(text):
            if allow_negation and _negated(text, match.start()):
                continue
            if allow_clinician and defers_to_a_clinician(text, match.start()):
                continue
            found.append(phrase)
            break
    return found


# --- Signals ----------------------------------------------------------------------------------

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.IGNORECASE)
# Seven or more digits in a phone-like run (+44 7700 900123, 555-123-4567), not dates or doses.
PHONE_RE = re.compile(r"(?<![\w/.-])(\+?\d[\d\s().-]{6,}\d)(?![\w/.-])")
URL_RE = re.compile(r"(?:https?://|www\.)([^\s/)>\]]+)", re.IGNORECASE)
DOSE_UNIT = r"(?:mg|milligrams?|mcg|micrograms?|ml|units?|iu|tablets?|pills?|capsules?)"
DOSAGE_RE = re.compile(
    rf"(?<![\w'])(?:you should |you must |just |simply |try (?:taking )?|take |double |increase (?:it |your dose )?to |"
    rf"up (?:it |your dose )?to |start (?:with|on) )\d+(?:\.\d+)?\s*{DOSE_UNIT}\b"
)
FIRST_PERSON_BEFORE = re.compile(r"(?:\bi|\bi'm|\bi was|\bmy \w+|\bthey|\bhe|\bshe)\s+(?:\w+\s+)?$")


_NOT_PHONES = (
    re.compile(r"(19|20)\d{2}\s*[-\u2013]\s*(19|20)\d{2}"),  # a year range: 2019-2021
    re.compile(r"(19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}(\s+\d{1,2})?"),  # ISO date, maybe an hour: 2023-12-01 10
    re.compile(r"\d{1,2}[-./]\d{1,2}[-./]((19|20)\d{2}|\d{2})(\s+\d{1,2})?"),  # 12.03.2021, 12/3/21
)


def _looks_like_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if not 7 <= len(digits) <= 15:
        return False
    return not any(pattern.fullmatch(candidate.strip()) for pattern in _NOT_PHONES)


def contact_details(text: str) -> list[str]:
    found = []
    if EMAIL_RE.search(text):
        found.append("email")
    if any(_looks_like_phone(m.group(1)) for m in PHONE_RE.finditer(text)):
        found.append("phone")
    return found


def dosage_instructions(text: str) -> bool:
    for match in DOSAGE_RE.finditer(text):
        before = text[max(0, match.start() - 20) : match.start()]
        if FIRST_PERSON_BEFORE.search(before):
            continue  # "I take 20 mg" is an experience, not an instruction
        return True
    return False


def links(text: str) -> list[str]:
    """The host of each link, without user info or port ("https://x@bit.ly:443/a" is bit.ly)."""
    hosts = []
    for match in URL_RE.finditer(text):
        host = match.group(1).lower().rstrip(".,;:!?").rsplit("@", 1)[-1]
        hosts.append(host.split(":", 1)[0])
    return hosts


_QUOTE_MARKS = re.compile(r"[\"“”«»]")
_QUOTED_PASSAGE = re.compile(r"[\"“”«»]([^\"“”«»\n]{1,300})[\"“”«»]")


def _reported_passages(text: str) -> list[tuple[str, str]]:
    """(up to 60 characters before a quoted passage, the passage), both normalised."""
    if not _QUOTE_MARKS.search(text):
        return []
    return [
        (normalise(text[max(0, match.start() - 60) : match.start()].rsplit("\n", 1)[-1]), normalise(match.group(1)))
        for match in _QUOTED_PASSAGE.finditer(text)
    ]


@lru_cache(maxsize=1024)
def _normalised_phrase(phrase: str) -> str:
    return normalise(phrase)


@lru_cache(maxsize=1024)
def _listed_phrase_re(phrase: str) -> re.Pattern[str]:
    return _phrase_re(_normalised_phrase(phrase))


def listed_crisis_phrases(normalised: str, phrases: Iterable[str]) -> list[str]:
    """Crisis phrases from the word lists (and the admin's terms) in normalised text, unless negated in their clause.

    Read in the same normalised form and with the same clause-scoped negation as the patterns, so
    "I wouldn't ever kill myself" and "no I don't want to die" are denials here as they are there.
    """
    padded = f" {normalised} "
    found = []
    for phrase in phrases:
        if _normalised_phrase(phrase) not in padded:
            continue
        match = _listed_phrase_re(phrase).search(padded)
        if match and not negated(padded, match.start()):
            found.append(phrase)
    return found


def _detail(signs: list[str], score: ModelScore | None = None, probability: float = 0.0) -> str:
    parts = list(dict.fromkeys(signs))
    if score is not None:
        near = ", ".join(f"'{word}'" for word in score.evidence)
        parts.append(f"model {probability:.2f}" + (f" near {near}" if near else ""))
    return "; ".join(parts)


def crisis_reasons(text: str, mine: str, normalised: str, *, words: WordLists, score: ModelScore) -> list[Reason]:
    """Warning signs by tier: patterns first (never overruled), the classifier adding what they missed."""
    scanned = warning_signs.scan(normalised)
    signs = scanned.signs + warning_signs.reported_signs(_reported_passages(text))
    by_tier: dict[Tier, list[str]] = {}
    for sign in signs:
        by_tier.setdefault(sign.tier, []).append(f"{warning_signs.CATEGORY_LABELS[sign.category]}: '{sign.phrase}'")
    # A listed phrase is a moderator's word that it is urgent: it counts as explicit, once.
    matched = " ".join(sign.phrase for sign in signs if sign.tier is Tier.EXPLICIT)
    listed = listed_crisis_phrases(normalised, words.crisis)
    extra = [phrase for phrase in listed if _normalised_phrase(phrase) not in matched]
    if extra:
        by_tier.setdefault(Tier.EXPLICIT, []).extend(f"'{phrase}'" for phrase in extra)
    indirect_categories = {sign.category for sign in signs if sign.tier is Tier.INDIRECT}
    if len(indirect_categories) >= 2 and Tier.EXPLICIT not in by_tier:
        # Two different warning signs together (a goodbye and feeling a burden) are treated as explicit.
        by_tier[Tier.EXPLICIT] = ["several warning signs together"]
    model_tier = None
    if score.crisis >= MODEL_CRISIS_THRESHOLD and not scanned.denied:
        if score.probability(EXPLICIT) >= MODEL_EXPLICIT_THRESHOLD:
            model_tier = Tier.EXPLICIT
        elif score.probability(SOMEONE_ELSE) > score.probability(INDIRECT) + score.probability(EXPLICIT):
            model_tier = Tier.SOMEONE_ELSE
        else:
            model_tier = Tier.INDIRECT
    if model_tier is not None and not by_tier:
        by_tier[model_tier] = [_detail([], score, score.crisis)]
    elif model_tier is Tier.EXPLICIT and Tier.EXPLICIT not in by_tier and Tier.INDIRECT in by_tier:
        by_tier[Tier.EXPLICIT] = [_detail([], score, score.probability(EXPLICIT))]
    reason_for = {tier: name for name, tier in CRISIS_REASONS.items()}
    action_for = {Tier.EXPLICIT: Action.URGENT, Tier.INDIRECT: Action.REVIEW, Tier.SOMEONE_ELSE: Action.REVIEW}
    return [
        Reason(reason_for[tier], action_for[tier], _detail(details))
        for tier in (Tier.EXPLICIT, Tier.INDIRECT, Tier.SOMEONE_ELSE)
        if (details := by_tier.get(tier))
    ]


def medical_reasons(mine: str, normalised: str, *, words: WordLists, score: ModelScore) -> list[Reason]:
    found: dict[str, list[str]] = {}
    for sign in medical_signs.find_signs(normalised):
        found.setdefault(sign.reason, []).append(f"'{sign.phrase}'")
    if dosage_instructions(mine):
        found.setdefault("dosage_instructions", []).append("a dose to take")
    for reason, phrases in (
        (
            "stop_medication_advice",
            find_phrases(mine, words.stop_medication, allow_negation=False, allow_clinician=True),
        ),
        ("miracle_cure_claim", find_phrases(mine, words.miracle_cure)),
    ):
        if phrases:
            found.setdefault(reason, []).extend(f"'{phrase}'" for phrase in phrases)
    if not found and score.probability(MEDICAL) >= MODEL_MEDICAL_THRESHOLD and not medical_signs.denied(normalised):
        found["unsafe_medical_advice"] = [_detail([], score, score.probability(MEDICAL))]
    return [Reason(reason, Action.REVIEW, _detail(details)) for reason, details in found.items()]


def content_reasons(
    text: str,
    mine: str | None = None,
    *,
    words: WordLists = DEFAULT_WORD_LISTS,
    model: ScreeningModel | None = None,
    normalised: str | None = None,
) -> list[Reason]:
    """What the words say, whoever wrote them: warning signs by tier, then unsafe medical advice."""
    mine = own_words(text) if mine is None else mine
    # Normalised once: the patterns of every kind and the model all read the same form.
    normalised = normalise(mine) if normalised is None else normalised
    long_enough = len(mine.split()) >= MODEL_MIN_WORDS
    score = (model or default_model()).score_normalised(normalised) if long_enough else ModelScore({})
    return crisis_reasons(text, mine, normalised, words=words, score=score) + medical_reasons(
        mine, normalised, words=words, score=score
    )


def screen(
    text: str,
    author: AuthorFacts,
    *,
    now: datetime,
    words: WordLists = DEFAULT_WORD_LISTS,
    model: ScreeningModel | None = None,
) -> Verdict:
    """Screen a new or edited post. Returns every reason found, each with its action.

    Whether the author may post at all is not screening's question: the posting ban
    (``accounts.permissions.check_can_post``) is checked before any text is screened.
    ``model`` is the statistical layer; None means the process's :func:`default_model`.
    """
    verdict = Verdict()
    reasons = verdict.reasons

    mine = own_words(text)
    everything = " ".join(_fold_apostrophes(text).lower().split())
    normalised = normalise(mine)
    reasons.extend(content_reasons(text, mine, words=words, model=model, normalised=normalised))

    if author.is_moderator:
        return verdict

    if author.trust_level == "new" and author.published_posts < NEW_MEMBER_HELD_POSTS:
        reasons.append(Reason("new_member_first_posts", Action.HOLD))
    for kind in contact_details(text):
        reasons.append(Reason(f"contains_{kind}", Action.HOLD, "to protect your privacy"))
    found_links = links(text)
    limit = LINK_LIMIT.get(author.trust_level)
    if limit is not None and len(found_links) > limit:
        reasons.append(Reason("too_many_links", Action.HOLD, f"{len(found_links)} links, {limit} allowed"))
    blocked = sorted({d for d in found_links for b in words.blocked_domains if d == b or d.endswith("." + b)})
    if blocked:
        reasons.append(Reason("blocked_domain", Action.HOLD, ", ".join(blocked)))
    selling = find_phrases(everything, words.selling, allow_negation=False) or selling_signs.find_selling(normalised)
    if selling:
        # Selling is what the classifier's guess would have been about: keep the precise reason only.
        reasons[:] = [r for r in reasons if r.reason != "unsafe_medical_advice"]
        reasons.append(Reason("selling", Action.HOLD, ", ".join(selling)))
    return verdict


CRISIS_RESOURCES: dict[str, Any] = {
    "message": (
        "It sounds like you are going through something really hard. You are not alone, and you deserve "
        "support right now. Your post is published and our moderators have been alerted."
    ),
    "now": [
        "If you are in immediate danger, call your local emergency number "
        "(112 in Europe, 911 in the US, 999 in the UK).",
        "Talk to someone now: a crisis line is free and confidential.",
        "Reach out to someone you trust and tell them how you feel.",
    ],
    "lines": [
        {
            "name": "International Association for Suicide Prevention: find a crisis centre",
            "url": "https://www.iasp.info/crisis-centres-helplines/",
        },
        {"name": "Find A Helpline (worldwide)", "url": "https://findahelpline.com"},
        {"name": "988 Suicide & Crisis Lifeline (US)", "phone": "988"},
        {"name": "Samaritans (UK and Ireland)", "phone": "116 123"},
    ],
}

CHECK_IN_RESOURCES: dict[str, Any] = {
    "message": (
        "Thank you for sharing how you feel. Living with this can be exhausting, and it is okay not to be okay. "
        "Your post is published, and a moderator will gently check in."
    ),
    "now": [
        "If things feel too much, talking helps: a listening line is free and confidential, day and night.",
        "Tell someone you trust how you have been feeling.",
        "If you ever feel you might act on thoughts of ending your life, call your local emergency number "
        "(112 in Europe, 911 in the US, 999 in the UK).",
    ],
    "lines": CRISIS_RESOURCES["lines"],
}

HELPING_SOMEONE_RESOURCES: dict[str, Any] = {
    "message": (
        "It sounds like you are worried about someone. Thank you for looking out for them. Your post is "
        "published, and a moderator will look at it soon."
    ),
    "now": [
        "If they are in immediate danger, call your local emergency number "
        "(112 in Europe, 911 in the US, 999 in the UK) and stay with them if you can.",
        "Ask them directly whether they are thinking about suicide: asking does not put the idea in their head.",
        "Listen without judging, and help them contact a crisis line or their doctor.",
        "Look after yourself too: crisis lines also support people who are worried about someone else.",
    ],
    "lines": CRISIS_RESOURCES["lines"],
}

_RESOURCES: dict[Tier, dict[str, Any]] = {
    Tier.EXPLICIT: CRISIS_RESOURCES,
    Tier.INDIRECT: CHECK_IN_RESOURCES,
    Tier.SOMEONE_ELSE: HELPING_SOMEONE_RESOURCES,
}


def resources_for(verdict: Verdict) -> dict[str, Any] | None:
    """What the author is shown straight away, by the most serious tier found."""
    tier = verdict.support_tier
    return _RESOURCES[tier] if tier is not None else None
