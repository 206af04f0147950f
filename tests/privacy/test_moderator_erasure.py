"""Moderators erase the account of a member reported as under 16: from the report, audited, and proven."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import User
from audit.models import AuditAction, AuditEntry
from community.models import ContentStatus, ModeratorScope, Post
from moderation.models import Decision, ItemStatus, QueueItem
from tests.clients import as_user
from tests.factories import BoardFactory, ModeratorFactory
from tests.privacy.scene import Life, live_a_life
from tests.privacy.traces import find_traces

pytestmark = pytest.mark.django_db


@pytest.fixture
def life() -> Life:
    return live_a_life()


def report(life: Life, reason: str) -> QueueItem:
    reporter = as_user(life.others[2])
    response = reporter.post(f"/api/v1/posts/{life.reply.pk}/flags/", {"reason": reason}, format="json")
    assert response.status_code == 201, response.content
    return QueueItem.objects.get(post=life.reply, status=ItemStatus.OPEN)


def erase_from(moderator: User, item: QueueItem, **body: object) -> Any:
    payload = {"version": item.version, **body}
    return as_user(moderator).post(f"/api/v1/moderation/queue/{item.pk}/erase-member/", payload, format="json")


def test_an_under_age_report_lets_a_moderator_erase_the_account_without_a_trace(life: Life) -> None:
    item = report(life, "under_age")
    member_id = life.member.pk

    response = erase_from(life.moderator, item, note="Said they are in year 8.")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "resolved"
    assert response.json()["decision"] == Decision.ERASE_ACCOUNT
    assert not User.objects.filter(pk=member_id).exists()
    assert set(Post.objects.filter(pk__in=[life.reply.pk, life.removed.pk]).values_list("status", flat=True)) == {
        ContentStatus.REMOVED
    }
    assert find_traces(life.private_words + life.own_words) == []
    entry = AuditEntry.objects.get(action=AuditAction.ACCOUNT_ERASED)
    assert (entry.actor_id, entry.target_user_id, entry.queue_item_id) == (life.moderator.pk, member_id, item.pk)
    assert (entry.reason, entry.after["content"]) == ("under_age", "remove")
    assert not QueueItem.objects.filter(post__in=[life.reply, life.removed], status=ItemStatus.OPEN).exists()


def test_only_an_under_age_report_allows_it(life: Life) -> None:
    item = report(life, "off_topic")

    response = erase_from(life.moderator, item)

    assert response.status_code == 409
    assert response.json()["code"] == "not_under_age_report"
    assert User.objects.filter(pk=life.member.pk).exists()


def test_a_stale_version_or_a_member_changes_nothing(life: Life) -> None:
    item = report(life, "under_age")

    assert erase_from(life.moderator, item, version=item.version + 3).status_code == 409
    assert (
        as_user(life.others[0])
        .post(f"/api/v1/moderation/queue/{item.pk}/erase-member/", {"version": item.version}, format="json")
        .status_code
        == 403
    )
    assert User.objects.filter(pk=life.member.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.ACCOUNT_ERASED).exists()


def test_a_moderator_of_other_boards_does_not_see_the_item(life: Life) -> None:
    item = report(life, "under_age")
    elsewhere = ModeratorFactory.create()
    ModeratorScope.objects.create(moderator=elsewhere, board=BoardFactory.create())

    assert erase_from(elsewhere, item).status_code == 404
    assert User.objects.filter(pk=life.member.pk).exists()


def test_a_moderators_account_is_erased_only_by_an_admin(life: Life) -> None:
    User.objects.filter(pk=life.member.pk).update(role="moderator")
    item = report(life, "under_age")

    response = erase_from(ModeratorFactory.create(), item)

    assert response.status_code == 403
    assert response.json()["code"] == "moderator_target"
