"""Screening of new posts: what is published, held, queued urgently or marked "not medical advice", and why.

Most tests call the pure :func:`moderation.screening.screen` with plain facts and a fixed clock; the last
section goes through the database (moderators' extra terms) and the API (what the author is told).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import TrustLevel
from community.models import Notification, NotificationKind, Post, Topic
from moderation import wordlists
from moderation.intake import screen_text
from moderation.models import Priority, QueueItem, ScreeningCategory, ScreeningTerm
from moderation.screening import Action, AuthorFacts, Reason, Verdict, WordLists, screen
from tests.clients import as_user
from tests.factories import BoardFactory, MemberFactory, ModeratorFactory, NewMemberFactory, make_post, make_topic

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MEMBER = AuthorFacts(trust_level="member", published_posts=12)
TRUSTED = AuthorFacts(trust_level="trusted", published_posts=80)
# A new member past their first posts: links are limited, nothing else is held.
SETTLED_NEWCOMER = AuthorFacts(trust_level="new", published_posts=2)
FIRST_TIMER = AuthorFacts(trust_level="new", published_posts=0)
MODERATOR = AuthorFacts(trust_level="new", published_posts=0, is_moderator=True)


def reasons_of(verdict: Verdict) -> set[str]:
    return {reason.reason for reason in verdict.reasons}


# --- Crisis language -----------------------------------------------------------------------------

CRISIS_HITS = [
    "I want to end it all",
    "some days I just want to die",
    "I've been thinking about killing myself",
    "I keep hurting myself",
    "I don't want to live like this",
    "I don\u2019t want to be here anymore",
    "I Want To DIE",
    "I feel SUICIDAL tonight",
    "I want\nto die",
    "I want to end\n\nmy life",
    "Sometimes I wish I was dead",
    "I keep cutting myself",
    'He said "chin up" but I want to die',
    "> someone in the thread said hello\n\nI want to end my life",
]


@pytest.mark.parametrize("text", CRISIS_HITS)
def test_crisis_language_is_published_and_queued_urgently(text: str) -> None:
    verdict = screen(text, MEMBER, now=NOW)

    assert "crisis_language" in reasons_of(verdict)
    assert verdict.crisis
    assert verdict.status == "published"
    assert verdict.queue_priority == Priority.URGENT
    assert not verdict.held


CRISIS_NEAR_MISSES = [
    "I'm not suicidal, just exhausted",
    "I'm no longer suicidal since the surgery",
    "I would never hurt myself",
    "> I want to die",
    "> I want to die\n> I can't go on\n\nI'm so sorry you feel like this, please reach out to someone tonight",
    "\u00abI want to die\u00bb is a line from the novel",
    "killing time in the waiting room",
    "this twitch is killing me",
    "I could die of embarrassment when my eye twitches",
    "dying to know if anyone tried magnesium",
    "the end of it all was a relief: surgery worked",
    "the forum bot flagged `kill myself` as a phrase",
]


@pytest.mark.parametrize("text", CRISIS_NEAR_MISSES)
def test_near_misses_and_quoted_crisis_words_are_not_crisis(text: str) -> None:
    verdict = screen(text, MEMBER, now=NOW)

    assert verdict.reasons == []
    assert verdict.status == "published"
    assert verdict.queue_priority is None


@pytest.mark.parametrize(
    "text",
    [
        'My friend said "I want to die" when she got the diagnosis',
        "My neighbour told me \u201cI want to die\u201d after her stroke",
        "my sister says she wants to die",
        "I think my husband is suicidal, how do I help him",
    ],
)
def test_concern_for_someone_else_is_queued_high_with_resources_for_helpers(text: str) -> None:
    verdict = screen(text, FIRST_TIMER, now=NOW)

    assert verdict.support_tier is not None
    assert "concern_for_someone" in reasons_of(verdict) or verdict.crisis
    assert verdict.status == "published"
    assert verdict.queue_priority in (Priority.HIGH, Priority.URGENT)


@pytest.mark.parametrize(
    "text",
    [
        "Honestly some days I dont want to be alive anymore",
        "i have the pills saved",
        "im going to kms tonight",
        "been cutting again, cant stop",
        "wish i could go to sleep and not wake up",
    ],
)
def test_explicit_crisis_as_members_write_it_is_urgent(text: str) -> None:
    verdict = screen(text, FIRST_TIMER, now=NOW)

    assert verdict.crisis
    assert verdict.status == "published"
    assert verdict.queue_priority == Priority.URGENT


@pytest.mark.parametrize(
    "text",
    [
        "everyone would be better off without me",
        "I have nothing to live for anymore",
        "goodbye everyone, thank you for everything",
        "i wish i could just disappear",
        "I can't go on",
        "I can\u2019t go on",
    ],
)
def test_indirect_warning_signs_are_published_high_with_check_in_resources(text: str) -> None:
    verdict = screen(text, MEMBER, now=NOW)

    assert "warning_signs" in reasons_of(verdict)
    assert verdict.status == "published"
    assert verdict.queue_priority in (Priority.HIGH, Priority.URGENT)


@pytest.mark.parametrize(
    "text",
    ["this spasm is killing me", "dying to try the new injection", "dead tired after the clinic today"],
)
def test_idioms_are_not_warning_signs(text: str) -> None:
    assert screen(text, MEMBER, now=NOW).support_tier is None


# A negation elsewhere in the sentence, or in the sentence before, is not a negation of the crisis phrase.
CRISIS_AFTER_AN_UNRELATED_NEGATION = [
    "I'm not ok. I want to die",
    "No, I want to die.",
    "I have no energy and I want to die",
    "I\u2019m so sorry. Never give up. I want to die.",
    "Botox helped. I'm not sure. I want to die sometimes.",
]


@pytest.mark.parametrize("text", CRISIS_AFTER_AN_UNRELATED_NEGATION)
def test_crisis_language_after_an_unrelated_negation_is_still_crisis(text: str) -> None:
    verdict = screen(text, MEMBER, now=NOW)

    assert "crisis_language" in reasons_of(verdict)
    assert verdict.queue_priority == Priority.URGENT


def test_crisis_words_inside_a_fenced_code_block_are_not_the_authors_own_words() -> None:
    verdict = screen("The filter matched this:\n```\nkill myself\n```\nwhy?", MEMBER, now=NOW)

    assert verdict.reasons == []


def test_the_crisis_reason_names_the_phrases_found() -> None:
    verdict = screen("I want to die. I keep hurting myself.", MEMBER, now=NOW)

    assert [r.reason for r in verdict.reasons] == ["crisis_language"]
    detail = verdict.reasons[0].as_dict()["detail"]
    assert "wish to be dead: 'i want to die'" in detail
    assert "self-harm: 'hurting myself'" in detail


@pytest.mark.parametrize(
    ("text", "held_for"),
    [
        ("I can't go on anymore", "new_member_first_posts"),
        ("I want to end it all, call me on 555-123-4567", "contains_phone"),
        ("I want to die. https://a.org https://b.org https://c.org", "too_many_links"),
    ],
)
def test_a_crisis_post_is_published_even_when_it_would_otherwise_be_held(text: str, held_for: str) -> None:
    verdict = screen(text, FIRST_TIMER, now=NOW)

    assert held_for in reasons_of(verdict)
    assert verdict.held
    assert verdict.needs_support
    assert verdict.status == "published"
    assert verdict.queue_priority in (Priority.URGENT, Priority.HIGH)


def test_crisis_outranks_medical_advice_in_the_queue() -> None:
    verdict = screen("I want to die. You should take 40 mg tonight.", MEMBER, now=NOW)

    assert reasons_of(verdict) == {"crisis_language", "dosage_instructions"}
    assert verdict.medical_notice
    assert verdict.queue_priority == Priority.URGENT


# --- Medical advice ------------------------------------------------------------------------------

MEDICAL_HITS = [
    ("take 20 mg of baclofen at night", "dosage_instructions"),
    ("you should take 2 tablets before bed", "dosage_instructions"),
    ("increase to 40mg if it doesn't help", "dosage_instructions"),
    ("start with 5 mg and see", "dosage_instructions"),
    ("start on 2.5 mg", "dosage_instructions"),
    ("Just try taking 10 mg of clonazepam", "dosage_instructions"),
    ("up your dose to 30 mg", "dosage_instructions"),
    ("Take 20 MG at bedtime", "dosage_instructions"),
    ("simply 2 pills a day", "dosage_instructions"),
    ("You should stop taking your medication, it's poison", "stop_medication_advice"),
    ("Honestly, stop your meds and try magnesium", "stop_medication_advice"),
    ("you don't need a doctor for this", "avoid_clinician_advice"),
    ("skip the neurologist and try this", "avoid_clinician_advice"),
    ("This is a miracle cure for twitching", "miracle_cure_claim"),
    ("Magnesium cured my spasms in a week", "miracle_cure_claim"),
    ("Guaranteed cure for blepharospasm", "miracle_cure_claim"),
    ("Big pharma doesn\u2019t want you to know this", "miracle_cure_claim"),
]


@pytest.mark.parametrize(("text", "reason"), MEDICAL_HITS)
def test_medical_advice_is_published_with_a_notice_and_queued_high(text: str, reason: str) -> None:
    verdict = screen(text, MEMBER, now=NOW)

    assert reasons_of(verdict) == {reason}
    assert verdict.medical_notice
    assert verdict.status == "published"
    assert not verdict.held
    assert verdict.queue_priority == Priority.HIGH


MEDICAL_NEAR_MISSES = [
    "I take 20 mg at night",
    "I take 20mg",
    "I took 20 mg",
    "When I take 20 mg I sleep through",
    "My husband and I take 20 mg each",
    "she takes 5 mg",
    "I started with 5 mg",
    "my neurologist started me on 10 mg",
    "They increased it to 40mg last month",
    "I was on 200 units of botox",
    "20 mg tablets are small",
    "my neurologist will increase it in May",
    "not a miracle cure but it helps",
    "There is no miracle cure for this",
    "Botox is not a permanent cure",
    "I stopped my medication last year with my doctor",
    "> take 20 mg",
    '"you should take 2 tablets" is what the pharmacist said',
    "inline `take 20 mg` is what the leaflet says",
]


@pytest.mark.parametrize("text", MEDICAL_NEAR_MISSES)
def test_experiences_and_quotes_are_not_medical_advice(text: str) -> None:
    verdict = screen(text, MEMBER, now=NOW)

    assert verdict.reasons == []
    assert not verdict.medical_notice
    assert verdict.queue_priority is None


@pytest.mark.parametrize(
    "text",
    [
        "ask your doctor before you stop your medication",
        "Don't stop your medication without talking to your neurologist",
    ],
)
def test_telling_someone_to_check_with_their_doctor_is_not_stop_medication_advice(text: str) -> None:
    verdict = screen(text, MEMBER, now=NOW)

    assert "stop_medication_advice" not in reasons_of(verdict)
    assert not verdict.medical_notice


# --- Contact details -----------------------------------------------------------------------------

CONTACT_HITS = [
    ("write to me at jane.doe@example.com", "contains_email"),
    ("Jane+spasm@mail.co.uk", "contains_email"),
    ("call me on +44 7700 900123", "contains_phone"),
    ("my number is 555-123-4567", "contains_phone"),
    ("(555) 123-4567 after six", "contains_phone"),
    ("07700900123", "contains_phone"),
    ("+1 (415) 555 0199 anytime", "contains_phone"),
    ("555.123.4567", "contains_phone"),
    ("ring 0161 496 0000", "contains_phone"),
]


@pytest.mark.parametrize(("text", "reason"), CONTACT_HITS)
def test_contact_details_are_held_to_protect_the_author(text: str, reason: str) -> None:
    verdict = screen(text, MEMBER, now=NOW)

    assert verdict.reasons == [Reason(reason, Action.HOLD, "to protect your privacy")]
    assert verdict.held
    assert verdict.status == "pending"
    assert verdict.queue_priority == Priority.NORMAL


def test_an_email_and_a_phone_number_give_two_reasons() -> None:
    verdict = screen("mail jane@example.org or call 555-123-4567", MEMBER, now=NOW)

    assert reasons_of(verdict) == {"contains_email", "contains_phone"}


CONTACT_NEAR_MISSES = [
    "I was diagnosed in 2019-2021",
    "from 2019 \u2013 2021 it was bad",
    "between 2019-2021 and 2022-2023 nothing helped",
    "on 12/03/2021 I had surgery",
    "I had 200 units last time",
    "at 10:30 I had my appointment",
    "I've had this for 15 years",
    "the helpline is 988",
    "I paid 1500 euros",
    "Since 3 March 2021 I've had 12 injections",
    "We met @ the clinic",
    "It costs $1,250,000 apparently",
]


@pytest.mark.parametrize("text", CONTACT_NEAR_MISSES)
def test_dates_doses_times_and_short_numbers_are_not_contact_details(text: str) -> None:
    verdict = screen(text, MEMBER, now=NOW)

    assert verdict.reasons == []
    assert verdict.status == "published"


@pytest.mark.parametrize(
    "text",
    [
        "I had my surgery on 2021-03-12",
        "Operation am 12.03.2021, seitdem ruhig",
        "booked for 2023-12-01 10:30",
    ],
)
def test_plain_dates_are_not_phone_numbers(text: str) -> None:
    verdict = screen(text, MEMBER, now=NOW)

    assert "contains_phone" not in reasons_of(verdict)
    assert verdict.status == "published"


# --- Links and selling ---------------------------------------------------------------------------


def test_a_new_member_may_post_two_links() -> None:
    verdict = screen("see https://a.org and https://b.org", SETTLED_NEWCOMER, now=NOW)

    assert verdict.reasons == []


def test_a_new_member_with_three_links_is_held() -> None:
    verdict = screen("https://a.org https://b.org www.c.org", SETTLED_NEWCOMER, now=NOW)

    assert verdict.reasons == [Reason("too_many_links", Action.HOLD, "3 links, 2 allowed")]
    assert verdict.status == "pending"


@pytest.mark.parametrize("author", [MEMBER, TRUSTED], ids=["member", "trusted"])
def test_members_may_post_many_links(author: AuthorFacts) -> None:
    text = " ".join(f"https://site{n}.org/page" for n in range(5))

    assert screen(text, author, now=NOW).reasons == []


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("see https://bit.ly/abc", "bit.ly"),
        ("see HTTPS://BIT.LY/abc", "bit.ly"),
        ("see https://go.bit.ly/abc", "go.bit.ly"),
        ("see https://bit.ly.", "bit.ly"),
        ("see www.tinyurl.com/x", "tinyurl.com"),
        ("join https://t.me/spasmgroup", "t.me"),
        ("chat on https://wa.me/15551234", "wa.me"),
    ],
)
def test_links_to_blocked_domains_and_their_subdomains_are_held(text: str, domain: str) -> None:
    verdict = screen(text, TRUSTED, now=NOW)

    assert verdict.reasons == [Reason("blocked_domain", Action.HOLD, domain)]
    assert verdict.status == "pending"


@pytest.mark.parametrize("text", ["see https://notbit.ly/abc", "see https://bit.lyrics.example/abc"])
def test_domains_that_only_resemble_a_blocked_one_pass(text: str) -> None:
    assert screen(text, TRUSTED, now=NOW).reasons == []


def test_a_port_number_does_not_hide_a_blocked_domain() -> None:
    verdict = screen("see https://bit.ly:443/abc", TRUSTED, now=NOW)

    assert "blocked_domain" in reasons_of(verdict)
    assert verdict.status == "pending"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Buy now while stocks last", "buy now"),
        ("BUY NOW", "buy now"),
        ("discount code SPASM10", "discount code"),
        ("DM me for details", "dm me for"),
        ("use my code SPASM", "use my code"),
        ("free shipping worldwide", "free shipping"),
        ("WhatsApp me for the price", "whatsapp me"),
        ('"buy now" and save 20%', "buy now"),
    ],
)
def test_selling_is_held_even_from_trusted_members(text: str, phrase: str) -> None:
    verdict = screen(text, TRUSTED, now=NOW)

    assert verdict.reasons == [Reason("selling", Action.HOLD, phrase)]
    assert verdict.status == "pending"


@pytest.mark.parametrize(
    "text",
    [
        "I didn't buy it now that I know",
        "I would buy nowhere else",
        "I messaged my neurologist for advice",
        "the clinic's order of appointments is now online",
    ],
)
def test_ordinary_words_near_selling_phrases_pass(text: str) -> None:
    assert screen(text, TRUSTED, now=NOW).reasons == []


# --- Who is writing ------------------------------------------------------------------------------


@pytest.mark.parametrize(("published_posts", "held"), [(0, True), (1, True), (2, False), (10, False)])
def test_a_new_members_first_two_posts_are_held(published_posts: int, held: bool) -> None:
    verdict = screen("Hello everyone, glad I found you.", AuthorFacts("new", published_posts), now=NOW)

    assert verdict.held is held
    assert verdict.status == ("pending" if held else "published")
    assert verdict.queue_priority == (Priority.NORMAL if held else None)
    if held:
        assert verdict.reasons == [Reason("new_member_first_posts", Action.HOLD)]


def test_established_members_are_not_held_for_their_first_posts() -> None:
    assert screen("Hello everyone.", AuthorFacts("member", 0), now=NOW).reasons == []


def test_moderators_are_never_held() -> None:
    text = "mail me at guide@example.org, https://bit.ly/x https://a.org https://b.org, discount code X"

    verdict = screen(text, MODERATOR, now=NOW)

    assert verdict.reasons == []
    assert verdict.status == "published"


def test_moderators_crisis_language_still_reaches_the_queue() -> None:
    verdict = screen("Some days I want to end it all.", MODERATOR, now=NOW)

    assert reasons_of(verdict) == {"crisis_language"}
    assert verdict.queue_priority == Priority.URGENT


# --- Extra terms ---------------------------------------------------------------------------------


def test_extra_crisis_phrases_are_picked_up() -> None:
    words = WordLists(crisis=(*wordlists.CRISIS, "custom phrase"))

    verdict = screen("There is a Custom   Phrase in here", MEMBER, now=NOW, words=words)

    assert verdict.reasons == [Reason("crisis_language", Action.URGENT, "'custom phrase'")]
    assert screen("There is a Custom Phrase in here", MEMBER, now=NOW).reasons == []


def test_extra_blocked_domains_are_picked_up() -> None:
    words = WordLists(blocked_domains=("spam.example",))

    verdict = screen("see https://shop.spam.example/x and https://bit.ly/y", MEMBER, now=NOW, words=words)

    assert verdict.reasons == [Reason("blocked_domain", Action.HOLD, "shop.spam.example")]


@pytest.mark.django_db
def test_a_moderators_selling_term_holds_a_post() -> None:
    member = MemberFactory.create()
    assert not screen_text(author=member, text="Try my Special Elixir tonight").held

    ScreeningTerm.objects.create(category=ScreeningCategory.SELLING, phrase="Special Elixir")
    verdict = screen_text(author=member, text="Try my special elixir tonight")

    assert verdict.reasons == [Reason("selling", Action.HOLD, "special elixir")]
    assert verdict.status == "pending"


@pytest.mark.django_db
def test_an_inactive_term_is_ignored() -> None:
    ScreeningTerm.objects.create(category=ScreeningCategory.CRISIS, phrase="gone dark", is_active=False)

    assert screen_text(author=MemberFactory.create(), text="I have gone dark").reasons == []


@pytest.mark.django_db
def test_screen_text_counts_the_authors_published_posts() -> None:
    newcomer = NewMemberFactory.create()
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    make_post(topic=topic, author=newcomer, status="pending")
    make_post(topic=topic, author=newcomer)
    assert screen_text(author=newcomer, text="Hello").held

    make_post(topic=topic, author=newcomer)
    assert not screen_text(author=newcomer, text="Hello").held
    # Edits are never held as "first posts".
    assert not screen_text(author=NewMemberFactory.create(), text="Hello", is_edit=True).held


# --- Through the API -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reply_in_crisis_is_published_urgently_queued_and_the_author_gets_resources() -> None:
    member = MemberFactory.create()
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())

    response = as_user(member).post(
        f"/api/v1/topics/{topic.pk}/posts/", {"body": "Honestly some nights I want to end it all."}, format="json"
    )

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "published"
    assert {"reason": "crisis_language", "action": "queue_urgent"} in data["screening"]
    assert data["resources"]["lines"]
    assert data["resources"]["message"]
    post = Post.objects.get(pk=data["id"])
    assert post.status == "published"
    item = QueueItem.objects.get(post=post)
    assert item.priority == Priority.URGENT
    assert item.status == "open"
    assert Notification.objects.filter(recipient=member, kind=NotificationKind.CRISIS_RESOURCES, post=post).exists()
    topic.refresh_from_db()
    assert topic.reply_count == 1


@pytest.mark.django_db
def test_a_new_members_first_topic_in_crisis_is_published_not_held() -> None:
    newcomer = NewMemberFactory.create()
    board = BoardFactory.create()

    response = as_user(newcomer).post(
        f"/api/v1/boards/{board.slug}/topics/",
        {"title": "Tired of everything", "kind": "question", "tags": [], "body": "I can't go on like this."},
        format="json",
    )

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "published"
    reasons = {entry["reason"] for entry in data["screening"]}
    # "Tired of everything" and "I can't go on": two warning signs together count as explicit.
    assert {"crisis_language", "new_member_first_posts"} <= reasons
    assert "resources" in data
    assert QueueItem.objects.get(post__topic_id=data["id"]).priority == Priority.URGENT


@pytest.mark.django_db
def test_a_new_members_first_topic_waits_for_review_and_only_the_author_sees_it() -> None:
    newcomer = NewMemberFactory.create()
    board = BoardFactory.create()

    response = as_user(newcomer).post(
        f"/api/v1/boards/{board.slug}/topics/",
        {"title": "Hello from a newcomer", "kind": "question", "tags": [], "body": "My left eye twitches all day."},
        format="json",
    )

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "pending"
    assert data["screening"] == [{"reason": "new_member_first_posts", "action": "hold"}]
    assert "resources" not in data
    topic = Topic.objects.get(pk=data["id"])
    assert topic.status == "pending"
    assert QueueItem.objects.get(post__topic=topic).priority == Priority.NORMAL

    other = as_user(MemberFactory.create())
    assert other.get(f"/api/v1/topics/{topic.pk}/").status_code == 404
    assert topic.pk not in [t["id"] for t in other.get(f"/api/v1/boards/{board.slug}/topics/").json()["results"]]
    mine = as_user(newcomer).get(f"/api/v1/topics/{topic.pk}/")
    assert mine.status_code == 200
    assert mine.json()["status"] == "pending"


@pytest.mark.django_db
def test_a_reply_with_an_email_address_is_held() -> None:
    member = MemberFactory.create()
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())

    response = as_user(member).post(
        f"/api/v1/topics/{topic.pk}/posts/", {"body": "Write to me: river@example.org"}, format="json"
    )

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "pending"
    assert data["screening"] == [{"reason": "contains_email", "action": "hold"}]
    assert Post.objects.get(pk=data["id"]).status == "pending"
    assert QueueItem.objects.get(post_id=data["id"]).priority == Priority.NORMAL
    topic.refresh_from_db()
    assert topic.reply_count == 0


@pytest.mark.django_db
def test_a_reply_with_medical_advice_carries_the_notice() -> None:
    member = MemberFactory.create()
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())

    response = as_user(member).post(
        f"/api/v1/topics/{topic.pk}/posts/", {"body": "You should take 2 tablets before bed."}, format="json"
    )

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "published"
    assert data["medical_notice"] is True
    assert data["screening"] == [{"reason": "dosage_instructions", "action": "queue_high"}]
    assert QueueItem.objects.get(post_id=data["id"]).priority == Priority.HIGH


@pytest.mark.django_db
def test_a_silenced_member_is_refused_and_nothing_is_written() -> None:
    until = datetime.now(tz=UTC) + timedelta(hours=6)
    member = MemberFactory.create(silenced_until=until)
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    posts_before = Post.objects.count()

    response = as_user(member).post(
        f"/api/v1/topics/{topic.pk}/posts/", {"body": "I want to end it all."}, format="json"
    )

    assert response.status_code == 403
    body = response.json()
    assert {"detail", "code", "fields"} <= set(body)
    assert body["code"] == "member_silenced"
    assert datetime.fromisoformat(body["until"]) == until
    assert Post.objects.count() == posts_before
    assert not QueueItem.objects.exists()
    assert not Notification.objects.filter(recipient=member).exists()


@pytest.mark.django_db
def test_a_moderators_reply_with_contact_details_is_published() -> None:
    moderator = ModeratorFactory.create(trust_level=TrustLevel.NEW)
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())

    response = as_user(moderator).post(
        f"/api/v1/topics/{topic.pk}/posts/", {"body": "Write to the team: team@example.org"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "published"
    assert response.json()["screening"] == []
    assert not QueueItem.objects.exists()
