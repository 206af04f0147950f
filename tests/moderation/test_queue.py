"""The review queue end to end: flags, claims, decisions, sanctions, appeals, audit and reminders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from audit.models import AuditAction, AuditEntry
from community.models import ContentStatus, Notification, Post, PostRevision, Topic
from moderation.models import Flag, ItemKind, ItemStatus, QueueItem, Sanction
from moderation.tasks import remind_moderators
from tests.accounts.helpers import PASSWORD, post_json
from tests.clients import as_user
from tests.factories import BoardFactory, MemberFactory, ModeratorFactory, make_post, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread() -> dict[str, Any]:
    author = MemberFactory.create(username="river_author")
    topic = make_topic(board=BoardFactory.create(), author=author, title="Coping with evening spasms")
    reply = make_post(topic=topic, author=author, body="Call me on 555 123 4567 any time")
    return {"author": author, "topic": topic, "post": reply}


def flag(user: User, post: Post, reason: str = "harassment", note: str = "") -> Any:
    return as_user(user).post(f"/api/v1/posts/{post.pk}/flags/", {"reason": reason, "note": note}, format="json")


def item_for(post: Post, kind: str = ItemKind.CONTENT) -> QueueItem:
    return QueueItem.objects.get(post=post, kind=kind, status=ItemStatus.OPEN)


def decide(client: APIClient, item: QueueItem, **body: Any) -> Any:
    item.refresh_from_db()
    body.setdefault("version", item.version)
    return client.post(f"/api/v1/moderation/queue/{item.pk}/decide/", body, format="json")


# --- The crisis path -----------------------------------------------------------------------------


def test_crisis_post_is_published_urgent_supported_and_worked_through_the_queue(moderator: User) -> None:
    member = MemberFactory.create()
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    response = as_user(member).post(
        f"/api/v1/topics/{topic.pk}/posts/",
        {"body": "Honestly some nights I want to end it all."},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "published"
    assert {"reason": "crisis_language", "action": "queue_urgent"} in body["screening"]
    assert body["resources"]["lines"]
    assert Notification.objects.filter(recipient=member, kind="crisis_resources").exists()

    queue = as_user(moderator).get("/api/v1/moderation/queue/").json()["results"]
    assert queue[0]["priority"] == "urgent"
    assert queue[0]["post"]["id"] == body["id"]
    item = QueueItem.objects.get(pk=queue[0]["id"])

    claimed = as_user(moderator).post(f"/api/v1/moderation/queue/{item.pk}/claim/", {}, format="json")
    assert claimed.status_code == 200
    assert claimed.json()["claimed_by"] == moderator.username
    done = decide(as_user(moderator), item, decision="approve", note="Reached out with resources.")
    assert done.status_code == 200
    assert done.json()["status"] == "resolved"
    assert Post.objects.get(pk=body["id"]).status == "published"
    actions = list(AuditEntry.objects.filter(queue_item_id=item.pk).values_list("action", flat=True))
    assert set(actions) >= {AuditAction.SCREENED, AuditAction.CLAIMED, AuditAction.APPROVED}


def test_urgent_items_come_before_older_normal_ones(moderator: User, thread: dict[str, Any]) -> None:
    flag(MemberFactory.create(), thread["post"], "off_topic")
    other = make_post(topic=thread["topic"], author=MemberFactory.create(), body="fine")
    flag(MemberFactory.create(), other, "at_risk")
    order = [i["post"]["id"] for i in as_user(moderator).get("/api/v1/moderation/queue/").json()["results"]]
    assert order == [other.pk, thread["post"].pk]
    only_urgent = as_user(moderator).get("/api/v1/moderation/queue/?priority=urgent").json()["results"]
    assert [i["post"]["id"] for i in only_urgent] == [other.pk]


# --- Flags ---------------------------------------------------------------------------------------


def test_flags_weigh_by_trust_and_hide_at_five(thread: dict[str, Any]) -> None:
    post = thread["post"]
    newcomer, member, trusted = (
        MemberFactory.create(trust_level="new"),
        MemberFactory.create(),
        MemberFactory.create(trust_level="trusted"),
    )
    assert flag(newcomer, post).status_code == 201
    assert flag(member, post).status_code == 201
    item = item_for(post)
    assert item.flag_score == 3
    post.refresh_from_db()
    assert post.status == "published"

    assert flag(trusted, post).status_code == 201
    item.refresh_from_db()
    post.refresh_from_db()
    assert item.flag_score == 6
    assert post.status == "hidden"
    assert AuditEntry.objects.filter(action=AuditAction.AUTO_HIDDEN, post_id=post.pk, actor_id__isnull=True).exists()
    assert QueueItem.objects.filter(post=post, status=ItemStatus.OPEN).count() == 1
    thread["topic"].refresh_from_db()
    assert thread["topic"].reply_count == 0


def test_at_risk_flags_raise_priority_and_never_hide(thread: dict[str, Any]) -> None:
    for _ in range(3):
        assert flag(MemberFactory.create(trust_level="trusted"), thread["post"], "at_risk").status_code == 201
    item = item_for(thread["post"])
    thread["post"].refresh_from_db()
    assert item.priority == "urgent"
    assert thread["post"].status == "published"


def test_a_moderator_flag_acts_directly(moderator: User, thread: dict[str, Any]) -> None:
    flag(moderator, thread["post"], "personal_info")
    thread["post"].refresh_from_db()
    assert thread["post"].status == "hidden"


def test_one_flag_per_member_per_post_and_other_needs_a_note(thread: dict[str, Any]) -> None:
    reporter = MemberFactory.create()
    assert flag(reporter, thread["post"], "other").status_code == 400
    assert flag(reporter, thread["post"], "other", "Feels like an ad").status_code == 201
    second = flag(reporter, thread["post"], "spam_or_selling")
    assert second.status_code == 409
    assert second.json()["code"] == "already_flagged"
    assert Flag.objects.filter(post=thread["post"]).count() == 1
    assert flag(reporter, thread["post"], "other", "x" * 1001).status_code == 400


def test_new_members_may_flag_five_posts_a_day(thread: dict[str, Any]) -> None:
    newcomer = MemberFactory.create(trust_level="new")
    posts = [make_post(topic=thread["topic"], author=MemberFactory.create(), body=f"post {i}") for i in range(6)]
    statuses = [flag(newcomer, post, "off_topic").status_code for post in posts]
    assert statuses == [201, 201, 201, 201, 201, 429]


def test_reflagging_after_dismissal_needs_an_edit_or_a_day(moderator: User, thread: dict[str, Any]) -> None:
    reporter = MemberFactory.create()
    flag(reporter, thread["post"], "off_topic")
    assert decide(as_user(moderator), item_for(thread["post"]), decision="dismiss").status_code == 200
    again = flag(reporter, thread["post"], "off_topic")
    assert again.status_code == 409
    assert again.json()["code"] == "flag_recently_dismissed"
    Post.objects.filter(pk=thread["post"].pk).update(edited_at=timezone.now() + timedelta(seconds=1))
    assert flag(reporter, thread["post"], "off_topic").status_code == 201


def test_the_reporter_is_never_shown_to_the_author(thread: dict[str, Any]) -> None:
    reporter = MemberFactory.create(username="secret_reporter")
    flag(reporter, thread["post"], "harassment")
    author = as_user(thread["author"])
    for url in (
        f"/api/v1/posts/{thread['post'].pk}/",
        f"/api/v1/topics/{thread['topic'].pk}/posts/",
        "/api/v1/notifications/",
    ):
        assert "secret_reporter" not in author.get(url).content.decode()


# --- Claims and versions ---------------------------------------------------------------------------


def test_claims_conflict_expire_and_can_be_taken_over(thread: dict[str, Any]) -> None:
    flag(MemberFactory.create(), thread["post"])
    item = item_for(thread["post"])
    first, second = ModeratorFactory.create(), ModeratorFactory.create()
    assert as_user(first).post(f"/api/v1/moderation/queue/{item.pk}/claim/", {}, format="json").status_code == 200

    blocked = as_user(second).post(f"/api/v1/moderation/queue/{item.pk}/claim/", {}, format="json")
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "claimed_by_other"
    blocked_decide = decide(as_user(second), item, decision="dismiss")
    assert blocked_decide.status_code == 409

    taken = as_user(second).post(f"/api/v1/moderation/queue/{item.pk}/claim/", {"takeover": True}, format="json")
    assert taken.json()["claimed_by"] == second.username

    QueueItem.objects.filter(pk=item.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert as_user(first).post(f"/api/v1/moderation/queue/{item.pk}/claim/", {}, format="json").status_code == 200


def test_a_stale_version_is_a_409_and_changes_nothing(moderator: User, thread: dict[str, Any]) -> None:
    flag(MemberFactory.create(), thread["post"])
    item = item_for(thread["post"])
    stale = item.version
    flag(MemberFactory.create(), thread["post"])  # the item moves on
    response = as_user(moderator).post(
        f"/api/v1/moderation/queue/{item.pk}/decide/",
        {"decision": "remove", "reason": "harassment", "guideline": "G1", "version": stale},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    item.refresh_from_db()
    thread["post"].refresh_from_db()
    assert item.status == "open"
    assert thread["post"].status == "published"
    assert not AuditEntry.objects.filter(action=AuditAction.REMOVED).exists()


def test_deciding_twice_is_a_409(moderator: User, thread: dict[str, Any]) -> None:
    flag(MemberFactory.create(), thread["post"])
    item = item_for(thread["post"])
    assert decide(as_user(moderator), item, decision="dismiss").status_code == 200
    again = decide(as_user(moderator), item, decision="dismiss")
    assert again.status_code == 409
    assert again.json()["code"] == "item_resolved"


# --- Each decision's effect -------------------------------------------------------------------------


def test_approve_publishes_a_held_post_and_tells_the_author(moderator: User) -> None:
    newcomer = MemberFactory.create(trust_level="new")
    board = BoardFactory.create()
    created = as_user(newcomer).post(
        f"/api/v1/boards/{board.slug}/topics/",
        {"title": "Hello from a newcomer", "kind": "question", "body": "Does caffeine make it worse?"},
        format="json",
    )
    assert created.json()["status"] == "pending"
    assert {"reason": "new_member_first_posts", "action": "hold"} in created.json()["screening"]
    topic = Topic.objects.get(pk=created.json()["id"])
    assert topic.pk not in [t["id"] for t in APIClient().get(f"/api/v1/boards/{board.slug}/topics/").json()["results"]]

    item = item_for(Post.objects.get(topic=topic))
    assert decide(as_user(moderator), item, decision="approve").status_code == 200
    topic.refresh_from_db()
    assert topic.status == "published"
    assert Notification.objects.filter(recipient=newcomer, kind="post_approved").exists()
    assert topic.pk in [t["id"] for t in APIClient().get(f"/api/v1/boards/{board.slug}/topics/").json()["results"]]


def test_remove_needs_reason_and_guideline_and_sends_a_statement_of_reasons(
    moderator: User, thread: dict[str, Any]
) -> None:
    flag(MemberFactory.create(), thread["post"])
    item = item_for(thread["post"])
    missing = decide(as_user(moderator), item, decision="remove")
    assert missing.status_code == 400
    assert {"reason", "guideline"} <= set(missing.json()["fields"])

    done = decide(
        as_user(moderator), item, decision="remove", reason="personal_info", guideline="G3", note="Phone number."
    )
    assert done.status_code == 200
    thread["post"].refresh_from_db()
    assert (thread["post"].status, thread["post"].gone_reason) == ("removed", "moderated")
    note = Notification.objects.get(recipient=thread["author"], kind="moderation_decision")
    assert "Personal information" in note.message
    assert "G3" in note.message
    assert note.data["appealable"] is True
    entry = AuditEntry.objects.get(action=AuditAction.REMOVED)
    assert entry.before["status"] == "published"
    assert entry.after["status"] == "removed"
    assert entry.actor_id == moderator.pk
    assert entry.reason == "personal_info"


def test_hide_then_placeholder_for_readers(moderator: User, thread: dict[str, Any]) -> None:
    flag(MemberFactory.create(), thread["post"])
    decide(as_user(moderator), item_for(thread["post"]), decision="hide", reason="off_topic")
    listed = APIClient().get(f"/api/v1/topics/{thread['topic'].pk}/posts/").json()["results"]
    hidden = next(p for p in listed if p["id"] == thread["post"].pk)
    assert hidden["body_html"] is None
    assert hidden["notice"] == "Hidden by moderators"


def test_redact_edits_out_details_and_keeps_a_revision(moderator: User, thread: dict[str, Any]) -> None:
    flag(MemberFactory.create(), thread["post"], "personal_info")
    done = decide(
        as_user(moderator), item_for(thread["post"]), decision="redact", redacted_body="Call me [number removed]"
    )
    assert done.status_code == 200
    thread["post"].refresh_from_db()
    assert thread["post"].body == "Call me [number removed]"
    assert thread["post"].status == "published"
    assert PostRevision.objects.get(post=thread["post"]).body.startswith("Call me on 555")
    assert AuditEntry.objects.filter(action=AuditAction.REDACTED).exists()


def test_dismiss_restores_a_post_hidden_by_flags(moderator: User, thread: dict[str, Any]) -> None:
    for _ in range(2):
        flag(MemberFactory.create(trust_level="trusted"), thread["post"])
    thread["post"].refresh_from_db()
    assert thread["post"].status == "hidden"
    decide(as_user(moderator), item_for(thread["post"]), decision="dismiss")
    thread["post"].refresh_from_db()
    assert thread["post"].status == "published"
    assert not Flag.objects.filter(post=thread["post"], dismissed_at__isnull=True).exists()


def test_escalate_keeps_the_item_open_and_tells_the_admins(
    moderator: User, thread: dict[str, Any], django_capture_on_commit_callbacks
) -> None:
    from tests.factories import AdminFactory

    admin = AdminFactory.create()
    flag(MemberFactory.create(), thread["post"])
    item = item_for(thread["post"])
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(as_user(moderator), item, decision="escalate", note="Legal question")
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.status, item.escalated, item.priority) == ("open", True, "urgent")
    assert any(admin.email in m.to for m in mail.outbox)
    assert all("Coping" not in m.subject and "555" not in m.body for m in mail.outbox)


# --- Sanctions -----------------------------------------------------------------------------------


def test_sanction_durations_step_up(moderator: User) -> None:
    member = MemberFactory.create()
    client = as_user(moderator)
    ends = []
    for _ in range(5):
        response = client.post(
            f"/api/v1/moderation/users/{member.username}/sanctions/",
            {"kind": "silence", "reason": "Rude"},
            format="json",
        )
        assert response.status_code == 201
        sanction = Sanction.objects.get(pk=response.json()["id"])
        assert sanction.ends_at is not None
        ends.append(sanction.ends_at - sanction.starts_at)
    assert [round(d.total_seconds() / 3600) for d in ends] == [24, 72, 168, 720, 720]


def test_a_silenced_member_reads_but_cannot_post_react_or_flag(moderator: User, thread: dict[str, Any]) -> None:
    member = MemberFactory.create()
    as_user(moderator).post(
        f"/api/v1/moderation/users/{member.username}/sanctions/",
        {"kind": "silence", "reason": "Cool off"},
        format="json",
    )
    client = as_user(member)
    assert client.get(f"/api/v1/topics/{thread['topic'].pk}/posts/").status_code == 200
    reply = client.post(f"/api/v1/topics/{thread['topic'].pk}/posts/", {"body": "hello"}, format="json")
    assert reply.status_code == 403
    assert reply.json()["code"] == "member_silenced"
    assert reply.json()["until"]
    assert client.put(f"/api/v1/posts/{thread['post'].pk}/reactions/support/").status_code == 403
    assert flag(member, thread["post"]).status_code == 403

    # When the silence ends, the member can post again without anyone lifting it.
    User.objects.filter(pk=member.pk).update(silenced_until=timezone.now() - timedelta(seconds=1))
    reply = client.post(f"/api/v1/topics/{thread['topic'].pk}/posts/", {"body": "hello again"}, format="json")
    assert reply.status_code == 201


def test_suspension_ends_sessions_and_refuses_login_until_it_ends(moderator: User) -> None:
    member = MemberFactory.create()
    login = post_json(Client(), "/_allauth/app/v1/auth/login", {"email": member.email, "password": PASSWORD})
    token = login.json()["meta"]["session_token"]
    session_client = as_user(member)
    assert Client().get("/api/v1/me/", headers={"X-Session-Token": token}).status_code == 200

    as_user(moderator).post(
        f"/api/v1/moderation/users/{member.username}/sanctions/", {"kind": "suspend", "reason": "Spam"}, format="json"
    )
    assert Client().get("/api/v1/me/", headers={"X-Session-Token": token}).status_code == 401
    assert session_client.get("/api/v1/me/").status_code == 401
    refused = post_json(Client(), "/_allauth/app/v1/auth/login", {"email": member.email, "password": PASSWORD})
    assert refused.status_code == 403
    assert refused.json()["code"] == "member_suspended"

    User.objects.filter(pk=member.pk).update(suspended_until=timezone.now() - timedelta(seconds=1))
    again = post_json(Client(), "/_allauth/app/v1/auth/login", {"email": member.email, "password": PASSWORD})
    assert again.status_code == 200


def test_lifting_early_is_audited_and_restores_posting(moderator: User) -> None:
    member = MemberFactory.create()
    created = as_user(moderator).post(
        f"/api/v1/moderation/users/{member.username}/sanctions/", {"kind": "silence", "reason": "Heated"}, format="json"
    )
    lift = as_user(moderator).post(
        f"/api/v1/moderation/sanctions/{created.json()['id']}/lift/", {"note": "Apologised"}, format="json"
    )
    assert lift.json() == {"lifted": True}
    member.refresh_from_db()
    assert member.silenced_until is None
    assert AuditEntry.objects.filter(action=AuditAction.SANCTION_LIFTED, target_user_id=member.pk).exists()
    again = as_user(moderator).post(f"/api/v1/moderation/sanctions/{created.json()['id']}/lift/", {}, format="json")
    assert again.json() == {"lifted": False}


def test_moderators_cannot_sanction_themselves_or_each_other(moderator: User) -> None:
    other = ModeratorFactory.create()
    for target in (moderator, other):
        response = as_user(moderator).post(
            f"/api/v1/moderation/users/{target.username}/sanctions/", {"kind": "warn", "reason": "x"}, format="json"
        )
        assert response.status_code == 403


def test_a_sanction_can_come_with_a_decision(moderator: User, thread: dict[str, Any]) -> None:
    flag(MemberFactory.create(), thread["post"])
    decide(
        as_user(moderator),
        item_for(thread["post"]),
        decision="remove",
        reason="harassment",
        guideline="G1",
        sanction={"kind": "silence", "reason": "Harassment"},
    )
    thread["author"].refresh_from_db()
    assert thread["author"].silenced_until is not None
    assert Sanction.objects.get(user=thread["author"]).queue_item is not None


# --- Appeals -------------------------------------------------------------------------------------


def test_appeal_once_decided_by_a_different_moderator(thread: dict[str, Any]) -> None:
    remover, reviewer = ModeratorFactory.create(), ModeratorFactory.create()
    flag(MemberFactory.create(), thread["post"])
    decide(as_user(remover), item_for(thread["post"]), decision="remove", reason="personal_info", guideline="G3")

    author = as_user(thread["author"])
    appeal = author.post("/api/v1/appeals/", {"post": thread["post"].pk, "statement": "It was my own number."}, "json")
    assert appeal.status_code == 201
    assert author.post("/api/v1/appeals/", {"post": thread["post"].pk, "statement": "Again"}, "json").status_code == 409

    item = item_for(thread["post"], ItemKind.APPEAL)
    own = decide(as_user(remover), item, decision="approve")
    assert own.status_code == 403
    assert own.json()["code"] == "own_decision"
    assert decide(as_user(reviewer), item, decision="remove").status_code == 400
    assert decide(as_user(reviewer), item, decision="approve", note="Fair point.").status_code == 200
    thread["post"].refresh_from_db()
    assert thread["post"].status == "published"
    assert AuditEntry.objects.filter(action=AuditAction.APPEAL_UPHELD, actor_id=reviewer.pk).exists()


def test_only_the_author_of_a_moderated_removal_can_appeal(thread: dict[str, Any]) -> None:
    stranger = as_user(MemberFactory.create())
    assert stranger.post("/api/v1/appeals/", {"post": thread["post"].pk, "statement": "x"}, "json").status_code == 404
    not_removed = as_user(thread["author"]).post(
        "/api/v1/appeals/", {"post": thread["post"].pk, "statement": "x"}, "json"
    )
    assert not_removed.status_code == 400
    assert not_removed.json()["code"] == "not_appealable"


# --- Audit, stats, welcome, reminders ---------------------------------------------------------------


def test_the_audit_log_is_append_only_and_filterable(moderator: User, thread: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    flag(MemberFactory.create(), thread["post"])
    decide(as_user(moderator), item_for(thread["post"]), decision="dismiss")
    entries = as_user(moderator).get("/api/v1/moderation/audit/?action=dismissed").json()["results"]
    assert len(entries) == 1
    assert entries[0]["actor"] == f"member-{moderator.pk}"
    entry = AuditEntry.objects.get(pk=entries[0]["id"])
    entry.note = "rewritten"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    for method in ("put", "patch", "delete"):
        assert getattr(as_user(moderator), method)("/api/v1/moderation/audit/").status_code == 405


def test_stats_count_open_items_and_time_to_first_action(moderator: User, thread: dict[str, Any]) -> None:
    flag(MemberFactory.create(), thread["post"], "at_risk")
    item = item_for(thread["post"])
    QueueItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    as_user(moderator).post(f"/api/v1/moderation/queue/{item.pk}/claim/", {}, format="json")
    stats = as_user(moderator).get("/api/v1/moderation/stats/").json()
    assert stats["open"] == {"urgent": 1, "high": 0, "normal": 0}
    assert 590 <= stats["median_seconds_to_first_action"] <= 700


def test_welcome_list_shows_unanswered_first_topics_of_newcomers(db: None) -> None:
    newcomer = MemberFactory.create(trust_level="new")
    waiting = make_topic(board=BoardFactory.create(), author=newcomer, title="First time posting here")
    fresh = make_topic(board=BoardFactory.create(), author=MemberFactory.create(trust_level="new"), title="Just now")
    Topic.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(hours=30))
    trusted = as_user(MemberFactory.create(trust_level="trusted"))
    listed = [t["id"] for t in trusted.get("/api/v1/welcome/").json()["results"]]
    assert listed == [waiting.pk]
    assert fresh.pk not in listed
    make_post(topic=waiting, author=MemberFactory.create(), body="Welcome!")
    assert trusted.get("/api/v1/welcome/").json()["results"] == []


def test_reminders_for_unclaimed_urgent_items_go_once_an_hour(moderator: User, thread: dict[str, Any]) -> None:
    flag(MemberFactory.create(), thread["post"], "at_risk")
    item = item_for(thread["post"])
    assert remind_moderators() == 0  # not yet 30 minutes old
    QueueItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    assert remind_moderators() == 1
    assert remind_moderators() == 0  # the same hour: nothing twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert moderator.email in message.to
    assert "Coping" not in f"{message.subject} {message.body}"
    assert "555" not in message.body
    QueueItem.objects.filter(pk=item.pk).update(last_reminded_at=timezone.now() - timedelta(minutes=61))
    assert remind_moderators() == 1


def test_a_claimed_item_is_not_reminded(moderator: User, thread: dict[str, Any]) -> None:
    flag(MemberFactory.create(), thread["post"], "at_risk")
    item = item_for(thread["post"])
    as_user(moderator).post(f"/api/v1/moderation/queue/{item.pk}/claim/", {}, format="json")
    QueueItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert remind_moderators() == 0


@pytest.mark.parametrize("items", [1, 50])
def test_queue_list_query_count_is_constant(moderator: User, django_assert_max_num_queries, items: int) -> None:
    board = BoardFactory.create()
    author = MemberFactory.create()
    topic = make_topic(board=board, author=author)
    reporters = [MemberFactory.create() for _ in range(2)]
    for i in range(items):
        post = make_post(topic=topic, author=author, body=f"reply {i}")
        for reporter in reporters:
            flag(reporter, post, "off_topic")
    client = as_user(moderator)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/moderation/queue/?page_size=100")
    assert len(response.json()["results"]) == items
    assert all(len(i["flags"]) == 2 for i in response.json()["results"])


def test_trust_level_rises_after_two_approved_posts_and_three_days(moderator: User) -> None:
    from moderation.services import recompute_trust_level

    newcomer = MemberFactory.create(trust_level="new")
    User.objects.filter(pk=newcomer.pk).update(date_joined=timezone.now() - timedelta(days=4))
    newcomer.refresh_from_db()
    topic = make_topic(board=BoardFactory.create(), author=newcomer, status=ContentStatus.PENDING)
    assert recompute_trust_level(user=newcomer) is False
    Post.objects.filter(topic=topic).update(status="published")
    make_post(topic=topic, author=newcomer, body="an update")
    assert recompute_trust_level(user=newcomer) is True
    newcomer.refresh_from_db()
    assert newcomer.trust_level == "member"
    assert AuditEntry.objects.filter(action=AuditAction.TRUST_CHANGED, target_user_id=newcomer.pk).exists()


def test_a_board_moderator_sanctions_from_an_item_on_their_board(thread: dict[str, Any]) -> None:
    from community.models import ModeratorScope

    scoped = ModeratorFactory.create()
    ModeratorScope.objects.create(moderator=scoped, board=thread["topic"].board)
    flag(MemberFactory.create(), thread["post"])
    done = decide(
        as_user(scoped),
        item_for(thread["post"]),
        decision="remove",
        reason="personal_info",
        guideline="G3",
        sanction={"kind": "warn", "reason": "Please keep numbers private"},
    )
    assert done.status_code == 200
    assert Sanction.objects.filter(user=thread["author"], kind="warn", created_by=scoped).exists()
    standalone = as_user(scoped).post(
        f"/api/v1/moderation/users/{thread['author'].username}/sanctions/", {"kind": "warn", "reason": "x"}, "json"
    )
    assert standalone.status_code == 403
    assert standalone.json()["code"] == "scoped_moderator"
