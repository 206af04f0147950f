"""Search through the API: what is found, by whom, in what order, and what bad input gets.

Runs on PostgreSQL (tsvector) and on SQLite (FTS5) alike.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.models import User
from audit.models import AuditAction
from community import services
from community.models import Board, ContentStatus, ModeratorScope, Post, SearchEntry, Topic, TopicKind
from community.search import selectors as search_selectors
from community.search.selectors import RECENCY_HALF_LIFE_DAYS, score
from community.services import wilson_lower_bound
from community.tags import TAG_LABELS
from tests.clients import as_user
from tests.factories import BoardFactory, MemberFactory, ModeratorFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search/"


def found(client: APIClient, q: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200, response.content
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def topic_ids(client: APIClient, q: str, **params: Any) -> list[int]:
    return [result["topic"] for result in found(client, q, **params)]


def age(topic: Topic, days: float) -> None:
    """Move a topic and its posts back in time."""
    moment = timezone.now() - timedelta(days=days)
    Topic.objects.filter(pk=topic.pk).update(created_at=moment)
    Post.objects.filter(topic=topic).update(created_at=moment)
    SearchEntry.objects.filter(topic=topic).update(created_at=moment)


@pytest.fixture
def board() -> Board:
    return BoardFactory.create(slug="living-with-it")


@pytest.fixture
def author() -> User:
    return MemberFactory.create(username="calm_heron")


# --- What is found ------------------------------------------------------------------------------------


def test_a_result_names_the_topic_its_best_post_and_a_marked_snippet(
    api: APIClient, board: Board, author: User
) -> None:
    topic = make_topic(
        board=board,
        author=author,
        title="Evenings are the worst",
        body="A warm compress for ten minutes calms my eyelid twitching.",
    )
    reply = make_post(
        topic=topic, author=MemberFactory.create(), body="Sunglasses helped my eyelid more than anything."
    )

    (result,) = found(api, "sunglasses")
    assert result == {
        "topic": topic.pk,
        "title": "Evenings are the worst",
        "board": "living-with-it",
        "kind": "experience",
        "post": reply.pk,
        "author": reply.author_name,
        "created_at": result["created_at"],
        "snippet": result["snippet"],
    }
    assert result["snippet"].startswith("<mark>Sunglasses</mark> helped my eyelid more than anything")
    assert result["created_at"].startswith(str(reply.created_at.date()))


def test_stemming_accents_phrases_exclusions_alternatives_and_prefixes(
    api: APIClient, board: Board, author: User
) -> None:
    compress = make_topic(board=board, author=author, title="Compress", body="A warm compress calms my eyelids.")
    coffee = make_topic(board=board, author=author, title="Café", body="Coffee makes my twitching worse.")
    light = make_topic(board=board, author=author, title="Light", body="Sunglasses outside help with bright light.")

    assert topic_ids(api, "eyelid") == [compress.pk]  # stemmed: eyelids
    assert topic_ids(api, "twitches") == [coffee.pk]  # twitching, twitches: one stem
    assert topic_ids(api, "cafe") == [coffee.pk]  # unaccented
    assert topic_ids(api, '"warm compress"') == [compress.pk]
    assert topic_ids(api, '"compress warm"') == []
    assert set(topic_ids(api, "coffee OR sunglasses")) == {coffee.pk, light.pk}
    assert topic_ids(api, "my -coffee -sunglasses") == [compress.pk]
    assert topic_ids(api, "eyeli") == [compress.pk]  # search as you type
    assert topic_ids(api, "sunglas") == [light.pk]


def test_tips_carry_their_outcome_counts(api: APIClient, board: Board, author: User) -> None:
    tip = make_topic(board=board, author=author, kind=TopicKind.TIP, body="Cold spoons on the eyelids.")
    Topic.objects.filter(pk=tip.pk).update(outcome_helped=3, outcome_tried=4, wilson_score=wilson_lower_bound(3, 4))
    make_topic(board=board, author=author, kind=TopicKind.QUESTION, body="Do cold spoons work?")
    tip_result, question_result = sorted(found(api, "spoons"), key=lambda r: r["kind"] != "tip")
    assert tip_result["outcomes"] == {"helped": 3, "tried": 4}
    assert "outcomes" not in question_result


def test_snippets_escape_everything_but_the_marks(api: APIClient, board: Board, author: User) -> None:
    make_topic(
        board=board,
        author=author,
        body='Typed <script>alert("x")</script> and <b>bold</b> & an `<img src=x onerror=y>` about eyelids',
    )
    (result,) = found(api, "eyelids")
    snippet = result["snippet"]
    assert "<mark>eyelids</mark>" in snippet
    without_marks = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks
    assert ">" not in without_marks
    # Shown as typed, escaped, on one line.
    assert "&lt;" in snippet
    assert "&amp;" in snippet
    assert "\n" not in snippet


def test_filters_by_board_tag_and_kind(api: APIClient, board: Board, author: User) -> None:
    other = BoardFactory.create(slug="caregivers")
    tip = make_topic(board=board, author=author, kind=TopicKind.TIP, tags=["compress"], body="Heat pad for spasms.")
    question = make_topic(board=other, author=author, kind=TopicKind.QUESTION, body="Heat or cold for spasms?")
    assert topic_ids(api, "spasms", board="caregivers") == [question.pk]
    assert topic_ids(api, "spasms", tag="compress") == [tip.pk]
    assert topic_ids(api, "spasms", kind="tip") == [tip.pk]
    assert topic_ids(api, "spasms", board="no-such-board") == []


def test_the_tag_vocabulary(api: APIClient) -> None:
    body = api.get("/api/v1/tags/").json()
    assert body["next"] is None
    assert body["previous"] is None
    assert {tag["slug"]: tag["label"] for tag in body["results"]} == TAG_LABELS
    assert {"slug": "compress", "label": "Warm or cold compress", "group": "self-care"} in body["results"]


# --- Visibility: role x status x board -----------------------------------------------------------------

STATES = ("published", "pending_topic", "pending_reply", "hidden_topic", "hidden_reply", "reply_in_hidden", "removed")
BOARDS = ("public", "members", "archived")


@pytest.fixture
def world() -> dict[str, Any]:
    """One topic per (state, board), each with its own word in the post whose state is under test."""
    boards = {
        "public": BoardFactory.create(slug="public-board"),
        "members": BoardFactory.create(slug="members-board", is_public=False),
        "archived": BoardFactory.create(slug="archived-board", is_archived=True),
    }
    holder = MemberFactory.create(username="holder")  # wrote the held (pending) posts
    other = MemberFactory.create(username="other")
    topics: dict[str, int] = {}
    for board_name, board in boards.items():
        for state in STATES:
            word = f"w{state.replace('_', '')}{board_name}x"
            if state == "published":
                topic = make_topic(board=board, author=other, body=f"About {word}.")
            elif state == "pending_topic":
                topic = make_topic(board=board, author=holder, body=f"About {word}.", status=ContentStatus.PENDING)
            elif state == "pending_reply":
                topic = make_topic(board=board, author=other)
                make_post(topic=topic, author=holder, body=f"About {word}.", status=ContentStatus.PENDING)
            elif state == "hidden_topic":
                topic = make_topic(board=board, author=other, body=f"About {word}.", status=ContentStatus.HIDDEN)
            elif state == "hidden_reply":
                topic = make_topic(board=board, author=other)
                make_post(topic=topic, author=other, body=f"About {word}.", status=ContentStatus.HIDDEN)
            elif state == "reply_in_hidden":
                topic = make_topic(board=board, author=other, status=ContentStatus.HIDDEN)
                make_post(topic=topic, author=other, body=f"About {word}.")
            else:
                topic = make_topic(board=board, author=other, body=f"About {word}.", status=ContentStatus.REMOVED)
            topics[word] = topic.pk
    public_moderator = ModeratorFactory.create(username="public_guide")
    ModeratorScope.objects.create(moderator=public_moderator, board=boards["public"])
    return {
        "words": topics,
        "viewers": {
            "visitor": APIClient(),
            "member": as_user(MemberFactory.create()),
            "holder": as_user(holder),
            "public_moderator": as_user(public_moderator),
            "moderator": as_user(ModeratorFactory.create()),
        },
    }


# Who finds what; written out, not derived from the code under test. Archived boards are listed
# nowhere, so nothing on them is found; hidden and removed posts are found by nobody.
EXPECTED = {
    "visitor": {("published", "public")},
    "member": {("published", "public"), ("published", "members")},
    "holder": {
        ("published", "public"),
        ("published", "members"),
        ("pending_topic", "public"),
        ("pending_topic", "members"),
        ("pending_reply", "public"),
        ("pending_reply", "members"),
    },
    "public_moderator": {
        ("published", "public"),
        ("published", "members"),
        ("pending_topic", "public"),
        ("pending_reply", "public"),
    },
    "moderator": {
        ("published", "public"),
        ("published", "members"),
        ("pending_topic", "public"),
        ("pending_topic", "members"),
        ("pending_reply", "public"),
        ("pending_reply", "members"),
    },
}


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_visibility_matrix(world: dict[str, Any], viewer: str) -> None:
    client = world["viewers"][viewer]
    for state in STATES:
        for board in BOARDS:
            word = f"w{state.replace('_', '')}{board}x"
            should = (state, board) in EXPECTED[viewer]
            got = topic_ids(client, word)
            assert got == ([world["words"][word]] if should else []), f"{viewer} searching {state} on {board}"


def test_a_hidden_post_stops_being_found_in_the_transaction_that_hides_it(
    api: APIClient, board: Board, author: User
) -> None:
    topic = make_topic(board=board, author=author, body="Acupuncture eased my spasms.")
    post = topic.posts.get()
    moderator = ModeratorFactory.create()
    with transaction.atomic():
        services.apply_moderation(
            actor=moderator, post=post, action=AuditAction.HIDDEN, status=ContentStatus.HIDDEN, reason="spam"
        )
        assert topic_ids(api, "acupuncture") == []
        transaction.set_rollback(True)
    assert topic_ids(api, "acupuncture") == [topic.pk]


def test_edits_retitles_and_redactions_change_what_is_found(member_api: APIClient, member: User, board: Board) -> None:
    topic, post, _ = services.create_topic(
        actor=member, board=board, title="Mornings", kind=TopicKind.EXPERIENCE, tags=[], body="Magnesium helped."
    )
    assert topic_ids(member_api, "magnesium") == [topic.pk]
    services.edit_post(actor=member, post=post, body="Riboflavin helped.")
    assert topic_ids(member_api, "magnesium") == []
    assert topic_ids(member_api, "riboflavin") == [topic.pk]
    services.update_topic(actor=member, topic=topic, changes={"title": "Evenings with hemifacial spasm"})
    assert topic_ids(member_api, "hemifacial") == [topic.pk]
    assert topic_ids(member_api, "mornings") == []
    services.apply_moderation(
        actor=ModeratorFactory.create(),
        post=post,
        action=AuditAction.REDACTED,
        new_body="[personal details removed] helped.",
        reason="personal details",
    )
    assert topic_ids(member_api, "riboflavin") == []


# --- Ranking -------------------------------------------------------------------------------------------


def test_the_score_combines_text_rank_wilson_and_recency() -> None:
    assert score(0.5, 0.0, 0) == pytest.approx(0.5)
    assert score(0.5, 0.6, 0) == pytest.approx(0.5 * 1.6)
    assert score(0.5, 0.0, RECENCY_HALF_LIFE_DAYS) == pytest.approx(0.25)
    assert score(0.5, 0.6, 2 * RECENCY_HALF_LIFE_DAYS) == pytest.approx(0.5 * 1.6 / 3)


def test_a_match_in_the_title_outranks_one_in_the_text(api: APIClient, board: Board, author: User) -> None:
    in_text = make_topic(board=board, author=author, title="My week", body="Tried blinking exercises today.")
    in_title = make_topic(board=board, author=author, title="Blinking exercises", body="Tried them today.")
    for topic in (in_text, in_title):
        age(topic, 10)
    assert topic_ids(api, "blinking") == [in_title.pk, in_text.pk]


def test_tips_that_helped_more_people_rank_higher(api: APIClient, board: Board, author: User) -> None:
    tips = []
    for helped, tried in ((2, 2), (40, 50), (0, 0)):
        tip = make_topic(board=board, author=author, kind=TopicKind.TIP, body="Chamomile tea before bed.")
        Topic.objects.filter(pk=tip.pk).update(
            outcome_helped=helped, outcome_tried=tried, wilson_score=wilson_lower_bound(helped, tried)
        )
        age(tip, 30)
        tips.append(tip.pk)
    lucky, solid, untried = tips
    assert topic_ids(api, "chamomile") == [solid, lucky, untried]


def test_newer_posts_rank_higher_when_the_text_matches_as_well(api: APIClient, board: Board, author: User) -> None:
    old = make_topic(board=board, author=author, body="Yoga nidra before sleep.")
    new = make_topic(board=board, author=author, body="Yoga nidra before sleep!")
    age(old, 400)
    age(new, 20)
    assert topic_ids(api, "yoga") == [new.pk, old.pk]


def test_newest_sorts_by_the_newest_matching_post(api: APIClient, board: Board, author: User) -> None:
    older_topic = make_topic(board=board, author=author, title="Pillows", body="Which pillow helps?")
    newer_topic = make_topic(board=board, author=author, title="Side sleeping", body="A pillow between the knees.")
    age(older_topic, 50)
    age(newer_topic, 10)
    reply = make_post(topic=older_topic, author=MemberFactory.create(), body="A buckwheat pillow, for me.")
    results = found(api, "pillow", sort="newest")
    assert [r["topic"] for r in results] == [older_topic.pk, newer_topic.pk]
    assert results[0]["post"] == reply.pk


# --- Pages -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_paging_forward_and_back_gives_every_topic_once(api: APIClient, board: Board, author: User, sort: str) -> None:
    topics = [make_topic(board=board, author=author, body=f"Lavender oil, day {n}.").pk for n in range(7)]
    for days, pk in enumerate(topics):
        age(Topic.objects.get(pk=pk), days)
    pages: list[list[int]] = []
    body = api.get(SEARCH, {"q": "lavender", "sort": sort, "page_size": "3"}).json()
    assert body["previous"] is None
    while True:
        pages.append([r["topic"] for r in body["results"]])
        if not body["next"]:
            break
        body = api.get(body["next"]).json()
    assert [len(page) for page in pages] == [3, 3, 1]
    assert sorted(topic for page in pages for topic in page) == sorted(topics)
    back = api.get(body["previous"]).json()
    assert [r["topic"] for r in back["results"]] == pages[1]
    assert back["next"]
    assert back["previous"]


@pytest.mark.parametrize(
    "cursor",
    [
        "cD14",
        "not base64 at all!",
        base64.urlsafe_b64encode(b'{"s":"relevance","a":1e999,"k":1,"t":1,"b":false}').decode(),
        base64.urlsafe_b64encode(b'{"s":"newest","a":1,"k":1,"t":1,"b":false}').decode(),  # another sort's
        base64.urlsafe_b64encode(b'{"s":"relevance","a":1,"k":"x","t":1,"b":false}').decode(),
        base64.urlsafe_b64encode(b"[" * 3000 + b"]" * 3000).decode(),
    ],
)
def test_a_cursor_the_search_did_not_issue_is_a_400(api: APIClient, cursor: str) -> None:
    response = api.get(SEARCH, {"q": "lavender", "cursor": cursor})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


# --- Bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "status"),
    [
        ("", 400),
        ("   ", 400),
        ("x" * 5000, 400),
        ("botox\x00eyelid", 400),
        ('"unbalanced quotes', 200),
        ("((unbalanced parentheses", 200),
        ("'; DROP TABLE community_post; --", 200),
        ("1' OR '1'='1", 200),
        ("-", 400),
        ("OR", 400),
        ("!", 400),
        ("& | ! <-> :*", 400),
        ("-botox", 400),
        ("the", 200),
        ("眼瞼けいれん", 200),
    ],
)
def test_bad_input_is_a_200_or_a_400_naming_q(api: APIClient, q: str, status: int) -> None:
    make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    response = api.get(SEARCH, {"q": q})
    assert response.status_code == status, response.content
    if status == 400:
        assert set(response.json()) == {"detail", "code", "fields"}
        assert "q" in response.json()["fields"]


def test_the_other_parameters_are_checked_too(api: APIClient) -> None:
    for params, field in (
        ({"q": "x", "tag": "unicorns"}, "tag"),
        ({"q": "x", "kind": "poem"}, "kind"),
        ({"q": "x", "sort": "random"}, "sort"),
        ({"q": "x", "board": "not a slug!"}, "board"),
        ({}, "q"),
    ):
        response = api.get(SEARCH, params)
        assert response.status_code == 400
        assert field in response.json()["fields"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=80), sort=st.sampled_from(["relevance", "newest"]))
def test_fuzzed_queries_never_fail(api: APIClient, q: str, sort: str) -> None:
    response = api.get(SEARCH, {"q": q, "sort": sort})
    assert response.status_code in (200, 400), (q, response.content)
    body = response.json()
    if response.status_code == 400:
        assert body["fields"].keys() == {"q"}
    else:
        assert set(body) == {"results", "next", "previous"}


# --- Cost ----------------------------------------------------------------------------------------------


def test_a_search_costs_the_same_queries_for_rare_and_common_words_and_any_page_size(
    django_assert_num_queries: Any, board: Board, author: User, api: APIClient
) -> None:
    for n in range(30):
        topic = make_topic(board=board, author=author, kind=TopicKind.TIP, body=f"Common word spasm, note {n}.")
        make_post(topic=topic, author=author, body="Spasm again.")
    make_topic(board=board, author=author, body="A rare word: blepharospasm.")
    # Candidates (with the tips' Wilson scores), then the page's details with their snippets (SQLite reads
    # those from its FTS5 table: one more); nothing more when nothing matches.
    snippets = 0 if connection.vendor == "postgresql" else 1
    for q, page_size in (("spasm", 5), ("spasm", 50), ("blepharospasm", 25)):
        with django_assert_num_queries(2 + snippets):
            assert api.get(SEARCH, {"q": q, "page_size": str(page_size)}).status_code == 200
    with django_assert_num_queries(1):
        assert api.get(SEARCH, {"q": "absentword"}).status_code == 200
    with django_assert_num_queries(2 + snippets):
        assert api.get(SEARCH, {"q": "spasm", "sort": "newest"}).status_code == 200


def test_a_busy_thread_does_not_crowd_other_topics_out(
    api: APIClient, board: Board, author: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_selectors, "RECENT_CANDIDATES", 5)
    monkeypatch.setattr(search_selectors, "ENOUGH_TOPICS", 3)
    older = [make_topic(board=board, author=author, body=f"Castor oil, week {n}.") for n in range(3)]
    for topic in older:
        age(topic, 30)
    busy = make_topic(board=board, author=author, body="Castor oil again.")
    for n in range(12):
        make_post(topic=busy, author=author, body=f"Castor oil, reply {n}.")
    assert sorted(topic_ids(api, "castor")) == sorted([busy.pk, *(t.pk for t in older)])


def test_search_is_throttled_per_client(api: APIClient) -> None:
    responses = [api.get(SEARCH, {"q": "spasm"}).status_code for _ in range(121)]
    assert responses[:120] == [200] * 120
    assert responses[120] == 429


def test_rebuilding_the_index_finds_the_same_as_the_services_wrote(api: APIClient, board: Board, author: User) -> None:
    topic = make_topic(board=board, author=author, title="Lemon balm", body="Lemon balm tea calms me.")
    hidden = make_topic(board=board, author=author, body="Valerian, hidden.", status=ContentStatus.HIDDEN)
    written = {entry.pk: (entry.state, entry.created_at) for entry in SearchEntry.objects.all()}
    call_command("rebuild_search_index", stdout=StringIO())
    assert {entry.pk: (entry.state, entry.created_at) for entry in SearchEntry.objects.all()} == written
    assert topic_ids(api, "balm") == [topic.pk]
    assert topic_ids(api, "valerian") == []
    assert hidden.pk not in topic_ids(api, "hidden")
