"""The pattern layers of screening on sentences written for these tests (none is in the corpus)."""

from __future__ import annotations

import pytest

from moderation import medical_signs, selling_signs, warning_signs
from moderation.screening import listed_crisis_phrases
from moderation.textnorm import normalise
from moderation.wordlists import CRISIS


def categories(text: str) -> set[str]:
    return {sign.category for sign in medical_signs.find_signs(normalise(text))}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("if the jaw is bad at night swallow an extra gabapentin, works a treat", "dose_change"),
        ("forget what the leaflet says, three of the artane a day is fine for everyone", "dose_change"),
        ("my tip: let the baclofen run out and see if you even need it", "stop_treatment"),
        ("honestly just ignore the botox reminder letters, you can manage without them", "stop_treatment"),
        ("your neurologist doesnt need to know about the extra pills you buy", "avoid_clinician"),
        ("the clinic is a racket, do your own injections at home like i do", "avoid_clinician"),
    ],
)
def test_advice_to_the_reader_is_found_whatever_its_words(text: str, category: str) -> None:
    assert category in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "my neuro moved me to three artane a day after the last review",
        "i let my baclofen run out over christmas and the spasms came back within days",
        "should i skip the next round if the last one is still working?",
        "does anyone take an extra gabapentin on bad nights",
        "please talk to your neurologist before you change the dose, mine adjusted it for me",
        "dont skip your injections because of one bad round, the next one is often better",
    ],
)
def test_experience_questions_and_good_advice_are_not_instructions(text: str) -> None:
    assert categories(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "selling two unopened pens of xeomin, message me",
        "my little shop has a calming eye balm, link in bio",
        "spots open now for my 8 week twitch reset course",
        "i can get you clonazepam without a prescription, cheaper than the pharmacy",
    ],
)
def test_soliciting_is_found(text: str) -> None:
    assert selling_signs.find_selling(normalise(text))


@pytest.mark.parametrize(
    "text",
    [
        "dm me if you ever need to talk, i know how lonely this gets",
        "i bought tinted glasses online and they help a lot",
        "im not selling anything, just sharing what worked for me",
        "only 2 weeks left until my next injection",
    ],
)
def test_peer_support_and_shopping_stories_are_not_selling(text: str) -> None:
    assert selling_signs.find_selling(normalise(text)) == []


def test_doubt_is_not_a_denial() -> None:
    signs = warning_signs.find_signs(normalise("idk how much longer i can keep going like this"))

    assert [sign.category for sign in signs] == ["hopeless_trapped"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i would never ever kill myself, i have my kids", []),
        ("no, i dont want to die. i want the twitching to stop", []),
        ("some nights i want to die", ["want to die"]),
    ],
)
def test_listed_phrases_are_negated_in_their_clause_like_the_patterns(text: str, expected: list[str]) -> None:
    assert listed_crisis_phrases(normalise(text), CRISIS) == expected
