"""Who may use each moderation endpoint: a role-by-endpoint matrix, one fresh world per test.

Roles: a visitor, a member, a trusted member, the author of the queued post, a moderator limited to
another board, a moderator for every board, and an admin. Board-scoped moderators learn nothing about
items outside their boards (404, absent from lists); members never learn who flagged what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import TrustLevel, User
from audit.models import AuditEntry
from community.models import ContentStatus, ModeratorScope, Post, Topic
from moderation import services
from moderation.guidelines import Guideline, RemovalReason
from moderation.models import (
    Decision,
    Flag,
    ItemKind,
    ItemStatus,
    QueueItem,
    Sanction,
    SanctionKind,
)
from tests.factories import AdminFactory, BoardFactory, MemberFactory, ModeratorFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

# "scoped_moderator" moderates another board only; "board_moderator" is scoped to the world's board.
ROLES = ["visitor", "member", "trusted", "author", "scoped_moderator", "board_moderator", "moderator", "admin"]
FLAG_NOTE = "the reporter's private note about this reply"


@dataclass
class World:
    people: dict[str, User]
    reporter: User
    target: User
    topic: Topic
    post: Post
    item: QueueItem
    removed_post: Post
    sanction: Sanction
    under_age_item: QueueItem


@pytest.fixture
def world() -> World:
    board = BoardFactory.create()
    other_board = BoardFactory.create()
    author = MemberFactory.create(username="river_author")
    scoped = ModeratorFactory.create()
    ModeratorScope.objects.create(moderator=scoped, board=other_board)
    board_moderator = ModeratorFactory.create()
    ModeratorScope.objects.create(moderator=board_moderator, board=board)
    people = {
        "member": MemberFactory.create(),
        "trusted": MemberFactory.create(trust_level=TrustLevel.TRUSTED),
        "author": author,
        "scoped_moderator": scoped,
        "board_moderator": board_moderator,
        "moderator": ModeratorFactory.create(),
        "admin": AdminFactory.create(),
    }
    reporter = MemberFactory.create(username="quiet_reporter")
    topic = make_topic(board=board, author=author, title="Evenings are the worst")
    post = make_post(topic=topic, author=author, body="My reply that someone did not like.")
    services.flag_post(actor=reporter, post=post, reason="harassment", note=FLAG_NOTE)
    item = QueueItem.objects.get(post=post, kind=ItemKind.CONTENT, status=ItemStatus.OPEN)

    # A second post of the author's, removed by a moderator outside the roles, so the author can appeal it.
    deciding_moderator = ModeratorFactory.create()
    removed_post = make_post(topic=topic, author=author, body="A reply that was removed.")
    services.flag_post(actor=reporter, post=removed_post, reason="off_topic")
    removal = QueueItem.objects.get(post=removed_post, status=ItemStatus.OPEN)
    services.decide_item(
        actor=deciding_moderator,
        item_id=removal.pk,
        data=services.DecisionInput(
            decision=Decision.REMOVE,
            version=removal.version,
            reason=RemovalReason.OFF_TOPIC,
            guideline=Guideline.ON_TOPIC,
        ),
    )

    target = MemberFactory.create()
    sanction = services.apply_sanction(
        actor=deciding_moderator, member=MemberFactory.create(), kind=SanctionKind.SILENCE, reason="Spam"
    )
    young = make_post(topic=topic, author=MemberFactory.create(), body="I'm 13 and my eyelid twitches.")
    services.flag_post(actor=reporter, post=young, reason="under_age")
    under_age_item = QueueItem.objects.get(post=young, status=ItemStatus.OPEN)
    return World(people, reporter, target, topic, post, item, removed_post, sanction, under_age_item)


def client_for(role: str, world: World) -> APIClient:
    client = APIClient()
    if role != "visitor":
        client.force_login(world.people[role])
    return client


def call(endpoint: str, client: APIClient, world: World) -> Any:
    item = world.item
    item.refresh_from_db()
    requests: dict[str, tuple[str, str, dict[str, Any] | None]] = {
        "queue": ("get", "/api/v1/moderation/queue/", None),
        "item": ("get", f"/api/v1/moderation/queue/{item.pk}/", None),
        "claim": ("post", f"/api/v1/moderation/queue/{item.pk}/claim/", {}),
        "decide": (
            "post",
            f"/api/v1/moderation/queue/{item.pk}/decide/",
            {"decision": "dismiss", "version": item.version},
        ),
        "sanction": (
            "post",
            f"/api/v1/moderation/users/{world.target.username}/sanctions/",
            {"kind": "warn", "reason": "Please keep it kind."},
        ),
        "lift": ("post", f"/api/v1/moderation/sanctions/{world.sanction.pk}/lift/", {"note": "Served enough."}),
        "audit": ("get", "/api/v1/moderation/audit/", None),
        "stats": ("get", "/api/v1/moderation/stats/", None),
        "welcome": ("get", "/api/v1/welcome/", None),
        "appeal": (
            "post",
            "/api/v1/appeals/",
            {"post": world.removed_post.pk, "statement": "It was on topic: evenings are when it starts."},
        ),
        "flag": ("post", f"/api/v1/posts/{world.post.pk}/flags/", {"reason": "off_topic"}),
        # Moderator powers outside the queue: the same scope rule.
        "edit_post": ("patch", f"/api/v1/posts/{world.post.pk}/", {"body": "My reply, with a word changed."}),
        "retitle": ("patch", f"/api/v1/topics/{world.topic.pk}/", {"title": "Evenings are hard"}),
        "pin": ("patch", f"/api/v1/topics/{world.topic.pk}/", {"pinned": True}),
        "lock": ("patch", f"/api/v1/topics/{world.topic.pk}/", {"locked": True}),
        "revisions": ("get", f"/api/v1/posts/{world.post.pk}/revisions/", None),
        # Data rights: each member's own export; erasing an under-age account is a decision on its report.
        "export": ("get", "/api/v1/me/export/", None),
        "erase_member": (
            "post",
            f"/api/v1/moderation/queue/{world.under_age_item.pk}/erase-member/",
            {"version": world.under_age_item.version},
        ),
    }
    method, url, body = requests[endpoint]
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body, format="json")


MODERATORS_ONLY = {
    "visitor": 401,
    "member": 403,
    "trusted": 403,
    "author": 403,
    "scoped_moderator": 200,
    "board_moderator": 200,
    "moderator": 200,
    "admin": 200,
}
# Item-level endpoints: a moderator limited to another board is told the item does not exist.
ITEM_LEVEL = {**MODERATORS_ONLY, "scoped_moderator": 404}
EXPECTED: dict[str, dict[str, int]] = {
    "queue": MODERATORS_ONLY,
    "item": ITEM_LEVEL,
    "claim": ITEM_LEVEL,
    "decide": ITEM_LEVEL,
    # Sanctions apply site-wide: a board-scoped moderator gives them only from an item on their boards.
    "sanction": {**MODERATORS_ONLY, "scoped_moderator": 403, "board_moderator": 403, "moderator": 201, "admin": 201},
    "lift": {**MODERATORS_ONLY, "scoped_moderator": 403, "board_moderator": 403},
    "audit": MODERATORS_ONLY,
    "stats": MODERATORS_ONLY,
    "welcome": {**MODERATORS_ONLY, "trusted": 200},
    # Only the author of a removed post may appeal it; for anyone else the post "does not exist".
    "appeal": dict.fromkeys(ROLES, 404) | {"visitor": 401, "author": 201},
    "flag": dict.fromkeys(ROLES, 201) | {"visitor": 401, "author": 400},
    # A moderator of another board is a member here: someone else's post and topic are not theirs to change.
    "edit_post": {**MODERATORS_ONLY, "author": 200, "scoped_moderator": 403},
    "retitle": {**MODERATORS_ONLY, "author": 200, "scoped_moderator": 403},
    "pin": {**MODERATORS_ONLY, "scoped_moderator": 403},
    "lock": {**MODERATORS_ONLY, "scoped_moderator": 403},
    "revisions": {**MODERATORS_ONLY, "scoped_moderator": 403},
    "export": dict.fromkeys(ROLES, 200) | {"visitor": 401},
    "erase_member": ITEM_LEVEL,
}
CASES = [(endpoint, role) for endpoint in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), CASES, ids=[f"{e}-{r}" for e, r in CASES])
def test_role_endpoint_matrix(world: World, endpoint: str, role: str) -> None:
    version_before = QueueItem.objects.get(pk=world.item.pk).version

    response = call(endpoint, client_for(role, world), world)

    assert response.status_code == EXPECTED[endpoint][role], response.content
    if response.status_code >= 400:
        assert {"detail", "code", "fields"} <= set(response.json())
        if endpoint in ("claim", "decide"):
            item = QueueItem.objects.get(pk=world.item.pk)
            assert item.version == version_before
            assert item.status == ItemStatus.OPEN
            assert item.claimed_by is None


@pytest.mark.parametrize("role", ["visitor", "member", "author"])
def test_refusals_name_their_code(world: World, role: str) -> None:
    response = call("queue", client_for(role, world), world)

    assert response.json()["code"] == ("not_authenticated" if role == "visitor" else "permission_denied")


# --- What authorised roles get ------------------------------------------------------------------

ALL_BOARD_MODERATORS = ["board_moderator", "moderator", "admin"]


@pytest.mark.parametrize("role", ALL_BOARD_MODERATORS)
def test_moderators_see_the_item_in_their_queue_with_its_reporter(world: World, role: str) -> None:
    client = client_for(role, world)

    listed = client.get("/api/v1/moderation/queue/").json()["results"]
    detail = client.get(f"/api/v1/moderation/queue/{world.item.pk}/").json()

    assert world.item.pk in [entry["id"] for entry in listed]
    assert detail["flags"][0]["reporter"] == world.reporter.username
    assert detail["flags"][0]["note"] == FLAG_NOTE


@pytest.mark.parametrize("role", ALL_BOARD_MODERATORS)
def test_claiming_gives_the_item_to_the_moderator(world: World, role: str) -> None:
    response = call("claim", client_for(role, world), world)

    assert response.json()["claimed_by"] == world.people[role].username
    world.item.refresh_from_db()
    assert world.item.claimed_by == world.people[role]


@pytest.mark.parametrize("role", ALL_BOARD_MODERATORS)
def test_dismissing_resolves_the_item_and_its_flags(world: World, role: str) -> None:
    response = call("decide", client_for(role, world), world)

    assert response.json()["status"] == ItemStatus.RESOLVED
    world.item.refresh_from_db()
    assert world.item.status == ItemStatus.RESOLVED
    assert world.item.decision == Decision.DISMISS
    assert world.item.resolved_by == world.people[role]
    assert not Flag.objects.filter(queue_item=world.item, dismissed_at__isnull=True).exists()
    world.post.refresh_from_db()
    assert world.post.status == ContentStatus.PUBLISHED


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_sanctioning_and_lifting_are_recorded(world: World, role: str) -> None:
    client = client_for(role, world)

    created = call("sanction", client, world).json()
    lifted = call("lift", client, world).json()

    assert Sanction.objects.get(pk=created["id"]).user == world.target
    assert lifted == {"lifted": True}
    world.sanction.refresh_from_db()
    assert world.sanction.lifted_by == world.people[role]


def test_a_scoped_moderator_sees_nothing_of_other_boards(world: World) -> None:
    client = client_for("scoped_moderator", world)

    queue = client.get("/api/v1/moderation/queue/").json()["results"]
    stats = client.get("/api/v1/moderation/stats/").json()
    audit = client.get("/api/v1/moderation/audit/").json()["results"]

    assert queue == []
    assert stats["open"] == {"urgent": 0, "high": 0, "normal": 0}
    assert world.item.pk not in [entry["queue_item"] for entry in audit]
    assert world.post.pk not in [entry["post"] for entry in audit]
    assert AuditEntry.objects.filter(queue_item_id=world.item.pk).exists()


def test_the_author_can_appeal_a_removal(world: World) -> None:
    call("appeal", client_for("author", world), world)

    appeal = QueueItem.objects.get(post=world.removed_post, kind=ItemKind.APPEAL)
    assert appeal.status == ItemStatus.OPEN
    assert appeal.appeal_statement.startswith("It was on topic")


# --- Members never learn who flagged ------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "trusted", "scoped_moderator", "moderator", "admin"])
def test_the_flag_answer_names_nobody(world: World, role: str) -> None:
    response = call("flag", client_for(role, world), world)

    assert response.json() == {"post": world.post.pk, "reason": "off_topic", "received": True}
    assert world.reporter.username not in response.content.decode()


def test_the_authors_views_of_the_flagged_post_show_no_flags(world: World) -> None:
    client = client_for("author", world)

    views = [
        client.get(f"/api/v1/posts/{world.post.pk}/"),
        client.get(f"/api/v1/topics/{world.topic.pk}/"),
        client.get(f"/api/v1/topics/{world.topic.pk}/posts/"),
        client.get("/api/v1/notifications/"),
    ]

    for response in views:
        assert response.status_code == 200
        text = response.content.decode()
        assert world.reporter.username not in text
        assert FLAG_NOTE not in text
        assert "flag" not in text
    assert world.post.pk in [post["id"] for post in views[2].json()["results"]]
