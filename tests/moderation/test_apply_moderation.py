"""Moderation changes a post through one entry point, ``apply_moderation``: status, counters, the
author's notification and one audit entry; never a new screening, never a new review."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditAction, AuditEntry
from community.models import ContentStatus, Notification, Post, PostRevision, Topic
from moderation.models import Decision, ItemKind, ItemStatus, QueueItem
from tests.clients import as_user
from tests.factories import BoardFactory, MemberFactory, ModeratorFactory, make_post, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged() -> dict[str, Any]:
    author = MemberFactory.create()
    topic = make_topic(board=BoardFactory.create(), author=author, title="What helped my spasms")
    post = make_post(topic=topic, author=author, body="Text me on 555 123 4567 and I will tell you my dose.")
    as_user(MemberFactory.create()).post(f"/api/v1/posts/{post.pk}/flags/", {"reason": "personal_info"}, format="json")
    item = QueueItem.objects.get(post=post, status=ItemStatus.OPEN)
    return {"author": author, "topic": topic, "post": post, "item": item, "moderator": ModeratorFactory.create()}


def test_a_redaction_is_not_screened_again_and_resolves_its_item_once(flagged: dict[str, Any]) -> None:
    """The reproduction: redacted text with a dosage in it used to be screened as the moderator's own
    post, file a new high-priority review on the item being decided, and be overwritten by the decision."""
    item: QueueItem = flagged["item"]
    post: Post = flagged["post"]
    version, priority = item.version, item.priority
    screened_before = AuditEntry.objects.filter(action=AuditAction.SCREENED).count()

    response = as_user(flagged["moderator"]).post(
        f"/api/v1/moderation/queue/{item.pk}/decide/",
        {"decision": "redact", "version": version, "redacted_body": "[number removed] I take 20 mg at night."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    post.refresh_from_db()
    assert (item.status, item.decision, item.version, item.priority) == (
        ItemStatus.RESOLVED,
        Decision.REDACT,
        version + 1,
        priority,
    )
    assert item.reasons == [{"reason": "flag_personal_info", "action": "review", "detail": ""}]
    assert (post.body, post.status, post.medical_notice) == (
        "[number removed] I take 20 mg at night.",
        ContentStatus.PUBLISHED,
        False,
    )
    assert not QueueItem.objects.filter(post=post, status=ItemStatus.OPEN).exists()
    assert AuditEntry.objects.filter(action=AuditAction.SCREENED).count() == screened_before
    redacted = AuditEntry.objects.get(action=AuditAction.REDACTED)
    assert (redacted.queue_item_id, redacted.actor_id, redacted.after["edited"]) == (
        item.pk,
        flagged["moderator"].pk,
        True,
    )
    assert PostRevision.objects.get(post=post).body.startswith("Text me on 555")


def test_a_moderators_edit_of_someone_elses_post_is_a_moderation_action(flagged: dict[str, Any]) -> None:
    post: Post = flagged["post"]

    response = as_user(flagged["moderator"]).patch(
        f"/api/v1/posts/{post.pk}/", {"body": "Happy to share: I take 20 mg, ask your neurologist."}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["screening"] == []
    post.refresh_from_db()
    assert post.medical_notice is False
    assert QueueItem.objects.filter(post=post, status=ItemStatus.OPEN).count() == 1
    entry = AuditEntry.objects.get(action=AuditAction.POST_EDITED)
    assert (entry.post_id, entry.target_user_id) == (post.pk, flagged["author"].pk)


def test_the_authors_own_edit_is_still_screened(flagged: dict[str, Any]) -> None:
    post: Post = flagged["post"]

    response = as_user(flagged["author"]).patch(
        f"/api/v1/posts/{post.pk}/", {"body": "Take 20 mg of it twice a day, trust me."}, format="json"
    )

    assert response.status_code == 200
    post.refresh_from_db()
    assert post.medical_notice is True
    assert not AuditEntry.objects.filter(action=AuditAction.POST_EDITED).exists()


def test_removing_a_reply_moves_the_counter_notifies_and_audits_once(flagged: dict[str, Any]) -> None:
    item: QueueItem = flagged["item"]
    topic: Topic = flagged["topic"]
    replies = Topic.objects.get(pk=topic.pk).reply_count

    as_user(flagged["moderator"]).post(
        f"/api/v1/moderation/queue/{item.pk}/decide/",
        {"decision": "remove", "version": item.version, "reason": "personal_info", "guideline": "G3"},
        format="json",
    )

    assert Topic.objects.get(pk=topic.pk).reply_count == replies - 1
    assert Notification.objects.filter(recipient=flagged["author"], kind="moderation_decision").count() == 1
    assert AuditEntry.objects.filter(queue_item_id=item.pk, action=AuditAction.REMOVED).count() == 1


def test_an_upheld_appeal_restores_the_post_through_the_same_entry_point(flagged: dict[str, Any]) -> None:
    item: QueueItem = flagged["item"]
    post: Post = flagged["post"]
    as_user(flagged["moderator"]).post(
        f"/api/v1/moderation/queue/{item.pk}/decide/",
        {"decision": "remove", "version": item.version, "reason": "personal_info", "guideline": "G3"},
        format="json",
    )
    as_user(flagged["author"]).post(
        "/api/v1/appeals/", {"post": post.pk, "statement": "I took the number out."}, format="json"
    )
    appeal = QueueItem.objects.get(post=post, kind=ItemKind.APPEAL)

    as_user(ModeratorFactory.create()).post(
        f"/api/v1/moderation/queue/{appeal.pk}/decide/",
        {"decision": "approve", "version": appeal.version},
        format="json",
    )

    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED
    assert AuditEntry.objects.filter(queue_item_id=appeal.pk, action=AuditAction.APPEAL_UPHELD).count() == 1
