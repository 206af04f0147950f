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

from moderation import wordlists


class Action(StrEnum):
    REFUSE = "refuse"
    HOLD = "hold"
    URGENT = "queue_urgent"
    REVIEW = "queue_high"


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"


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
    silenced_until: datetime | None = None
    suspended_until: datetime | None = None


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
    def refused(self) -> bool:
        return any(r.action == Action.REFUSE for r in self.reasons)

    @property
    def held(self) -> bool:
        return any(r.action == Action.HOLD for r in self.reasons)

    @property
    def crisis(self) -> bool:
        return any(r.action == Action.URGENT for r in self.reasons)

    @property
    def medical_notice(self) -> bool:
        return any(r.action == Action.REVIEW for r in self.reasons)

    @property
    def status(self) -> str:
        # Crisis posts are never held back: the author needs to be heard, and moderators alerted.
        return "pending" if self.held and not self.crisis else "published"

    @property
    def queue_priority(self) -> Priority | None:
        if self.crisis:
            return Priority.URGENT
        if self.medical_notice:
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


def own_words(text: str) -> str:
    """The author's own words: without blockquotes, quoted passages and code."""
    text = _CODE.sub(" ", text)
    text = _BLOCKQUOTE.sub(" ", text)
    text = _QUOTED.sub(" ", text.translate(_APOSTROPHES))
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


def screen(
    text: str,
    author: AuthorFacts,
    *,
    now: datetime,
    words: WordLists = DEFAULT_WORD_LISTS,
) -> Verdict:
    """Screen a new or edited post. Returns every reason found, each with its action."""
    verdict = Verdict()
    reasons = verdict.reasons
    if author.suspended_until and author.suspended_until > now:
        reasons.append(Reason("member_suspended", Action.REFUSE, f"until {author.suspended_until.isoformat()}"))
        return verdict
    if author.silenced_until and author.silenced_until > now:
        reasons.append(Reason("member_silenced", Action.REFUSE, f"until {author.silenced_until.isoformat()}"))
        return verdict

    mine = own_words(text)
    everything = " ".join(text.lower().translate(_APOSTROPHES).split())

    crisis = find_phrases(mine, words.crisis)
    if crisis:
        reasons.append(Reason("crisis_language", Action.URGENT, ", ".join(crisis)))

    if dosage_instructions(mine):
        reasons.append(Reason("dosage_instructions", Action.REVIEW))
    stop = find_phrases(mine, words.stop_medication, allow_negation=False, allow_clinician=True)
    if stop:
        reasons.append(Reason("stop_medication_advice", Action.REVIEW, ", ".join(stop)))
    miracle = find_phrases(mine, words.miracle_cure)
    if miracle:
        reasons.append(Reason("miracle_cure_claim", Action.REVIEW, ", ".join(miracle)))

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
    selling = find_phrases(everything, words.selling, allow_negation=False)
    if selling:
        reasons.append(Reason("selling", Action.HOLD, ", ".join(selling)))
    return verdict


CRISIS_RESOURCES = {
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
